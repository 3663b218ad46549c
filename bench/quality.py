#!/usr/bin/env python3
"""Detection quality on the labelled corpus: keepopen against peer scanners.

    python3 bench/quality.py [--seed N] [--tools keepopen,gitleaks,...]
                             [--corpus DIR] [--corpus-bin PATH] [--keep DIR]

1. Builds the corpus with `keepopen-corpus build --out DIR --seed N` (DIR/repo
   is a git repository with history, branches, tags and deleted files;
   DIR/labels.json lists the planted secrets). The binary comes from
   --corpus-bin, $KEEPOPEN_CORPUS, or `cargo build --release -p keepopen-corpus`
   (honouring $CARGO_TARGET_DIR).
2. Runs every tool on DIR/repo in its fullest mode: history (plus working
   tree where the tool does both) for keepopen, gitleaks, kingfisher and
   trufflehog3; files only for detect-secrets and secretlint, which cannot see
   secrets that live only in history (deleted files, other branches, tags).
3. Converts each report to JSON Lines {"path", "line", "secret"} (paths
   relative to the repository; duplicates dropped), runs
   `keepopen-corpus eval --labels DIR/labels.json --findings FILE`, and prints
   a table: tool, mode, recall, precision, tp, fp, fn, seconds. A tool that is
   missing or fails is reported as such, not dropped.
4. Writes bench/results/quality-seed<N>.json (scores, per-family recall,
   commands, versions).

Stdlib only; peers come from bench/setup.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

DEFAULT_TOOLS = "keepopen,gitleaks,kingfisher,trufflehog3,detect-secrets,secretlint"


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1, as keepopen-corpus)")
    ap.add_argument("--tools", default=DEFAULT_TOOLS, help=f"comma list (default {DEFAULT_TOOLS})")
    ap.add_argument("--corpus", default=None,
                    help="use an already built corpus DIR (DIR/repo, DIR/labels.json) instead of building one")
    ap.add_argument("--corpus-bin", default=None,
                    help="keepopen-corpus binary (default $KEEPOPEN_CORPUS, else cargo build)")
    ap.add_argument("--no-build", action="store_true",
                    help="do not run cargo build for keepopen-corpus; use the binary already in the target dir")
    ap.add_argument("--keepopen", default=None,
                    help="keepopen binary (default $KEEPOPEN or target/release/keepopen)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per tool run (default 1800)")
    ap.add_argument("--keep", default=None,
                    help="keep the corpus, raw reports and JSONL here (default: a temp dir, removed)")
    ap.add_argument("--out-dir", default=str(bl.RESULTS), help="where quality-seed<N>.json goes")
    return ap.parse_args(argv)


# --------------------------------------------------------------------------
# keepopen-corpus


def corpus_binary(args) -> Path:
    if args.corpus_bin:
        return Path(args.corpus_bin).resolve()
    if os.environ.get("KEEPOPEN_CORPUS"):
        return Path(os.environ["KEEPOPEN_CORPUS"]).resolve()
    target = Path(os.environ.get("CARGO_TARGET_DIR") or (bl.ROOT / "target"))
    if not target.is_absolute():
        target = bl.ROOT / target
    binary = target / "release" / "keepopen-corpus"
    if not args.no_build:
        print(f"building keepopen-corpus (cargo build --release -p keepopen-corpus, target {target}) …",
              flush=True)
        r = subprocess.run(["cargo", "build", "--release", "-p", "keepopen-corpus"], cwd=bl.ROOT)
        if r.returncode != 0:
            sys.exit("error: cargo build -p keepopen-corpus failed")
    if not binary.exists():
        sys.exit(f"error: {binary} not found")
    return binary


def build_corpus(cbin: Path, out: Path, seed: int | None) -> None:
    cmd = [str(cbin), "build", "--out", str(out)]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    print("$ " + " ".join(cmd), flush=True)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    print(f"corpus built in {time.perf_counter() - t0:.1f} s", flush=True)


def evaluate(cbin: Path, labels: Path, findings: Path) -> dict:
    r = subprocess.run(
        [str(cbin), "eval", "--labels", str(labels), "--findings", str(findings)],
        capture_output=True, text=True,
    )
    if r.returncode != 0 and not r.stdout.strip():
        raise RuntimeError(f"eval failed (exit {r.returncode}): {r.stderr.strip()[-800:]}")
    text = r.stdout.strip()
    # The score is one JSON document; tolerate log lines before it.
    start = text.find("{")
    return json.loads(text[start:])


# --------------------------------------------------------------------------
# Converting reports to {"path", "line", "secret"}


class PathFix:
    """Make a reported path repository-relative."""

    def __init__(self, repo: Path, extra: list[Path] = ()):
        roots = {repo, repo.resolve(), *extra, *(p.resolve() for p in extra)}
        self.prefixes = sorted({str(r).rstrip("/") + "/" for r in roots}, key=len, reverse=True)

    def __call__(self, p: str | None) -> str | None:
        if p is None:
            return None
        for pre in self.prefixes:
            if p.startswith(pre):
                p = p[len(pre):]
                break
        while p.startswith("./"):
            p = p[2:]
        return p


def _int(x):
    try:
        return int(x)
    except (TypeError, ValueError):
        return None


def conv_keepopen(report: Path, fix: PathFix, ctx) -> list[dict]:
    """Secret findings only: this corpus measures secrets, and personal-data
    findings are scored by bench/personal.py."""
    data = json.loads(report.read_text())
    return [{"path": fix(f.get("path")), "line": _int(f.get("line")), "secret": f.get("secret")}
            for f in data.get("findings", []) if f.get("category", "secret") == "secret"]


def conv_gitleaks(report: Path, fix: PathFix, ctx) -> list[dict]:
    data = json.loads(report.read_text() or "[]")
    return [{"path": fix(f.get("File")), "line": _int(f.get("StartLine")), "secret": f.get("Secret")}
            for f in data or []]


def conv_kingfisher(report: Path, fix: PathFix, ctx) -> list[dict]:
    out = []
    for rec in bl.read_kingfisher(str(report)):
        f = rec.get("finding", rec)
        path = f.get("path")
        gm = f.get("git_metadata") or {}
        if not path:
            path = (gm.get("file") or {}).get("path")
        out.append({"path": fix(path), "line": _int(f.get("line")), "secret": f.get("snippet")})
    return out


def conv_trufflehog3(report: Path, fix: PathFix, ctx) -> list[dict]:
    """trufflehog3 reports, for history findings, the line's index in the
    unified diff it scanned, not in the file. Map it back through the line's
    text (its `context`) to the line number(s) that text has in the versions
    of that path in history."""
    data = json.loads(report.read_text() or "[]")
    out = []
    index = ctx["line_index"]()
    for f in data or []:
        path = fix(f.get("path"))
        line = _int(f.get("line"))
        secret = f.get("secret")
        if f.get("commit"):
            text = (f.get("context") or {}).get(str(line))
            lines = set()
            if text is not None:
                if text[:1] in "+- ":
                    text = text[1:]
                lines = index.get((path, text), set())
            if not lines:
                out.append({"path": path, "line": None, "secret": secret})
            for n in sorted(lines):
                out.append({"path": path, "line": n, "secret": secret})
        else:
            out.append({"path": path, "line": line, "secret": secret})
    return out


def conv_detect_secrets(report: Path, fix: PathFix, ctx) -> list[dict]:
    """detect-secrets stores only sha1(secret). Recover the plaintext from the
    reported line: the substring of that line whose sha1 matches (found by
    trying every substring; lines are short). Labels are not consulted."""
    data = json.loads(report.read_text())
    wt: Path = ctx["worktree"]
    out = []
    cache: dict[str, list[str]] = {}
    for fname, items in (data.get("results") or {}).items():
        path = fix(fname)
        if path not in cache:
            try:
                cache[path] = (wt / path).read_text("utf-8", "replace").splitlines()
            except OSError:
                cache[path] = []
        lines = cache[path]
        for it in items:
            n = _int(it.get("line_number"))
            secret = None
            if n and 0 < n <= len(lines):
                secret = _unhash(lines[n - 1], it.get("hashed_secret"))
            out.append({"path": path, "line": n, "secret": secret})
    return out


def _unhash(line: str, digest: str | None) -> str | None:
    if not digest or len(line) > 2000:
        return None
    n = len(line)
    for length in range(n, 0, -1):  # longest first
        for i in range(0, n - length + 1):
            s = line[i:i + length]
            if bl.sha1_hex(s) == digest:
                return s
    return None


def conv_secretlint(report: Path, fix: PathFix, ctx) -> list[dict]:
    data = json.loads(report.read_text() or "[]")
    out = []
    for res in data:
        path = fix(res.get("filePath"))
        src = res.get("sourceContent") or ""
        units = src.encode("utf-16-le")  # JS string ranges count UTF-16 units
        for m in res.get("messages", []):
            # secretlint's `range` is not always the secret's span (for AWS
            # keys it starts at the line start), so prefer the matched value
            # the rule reports in `data`, when it occurs in the file.
            cands = [v for v in (m.get("data") or {}).values()
                     if isinstance(v, str) and len(v) >= 8 and v in src]
            secret = max(cands, key=len) if cands else None
            rng = m.get("range") or [None, None]
            if secret is None and rng[0] is not None and rng[1] is not None:
                secret = units[2 * rng[0]:2 * rng[1]].decode("utf-16-le", "replace")
            line = ((m.get("loc") or {}).get("start") or {}).get("line")
            out.append({"path": path, "line": _int(line), "secret": secret})
    return out


CONVERT = {
    "keepopen": conv_keepopen,
    "gitleaks": conv_gitleaks,
    "kingfisher": conv_kingfisher,
    "trufflehog3": conv_trufflehog3,
    "detect-secrets": conv_detect_secrets,
    "secretlint": conv_secretlint,
}


def history_line_index(repo: Path):
    """(path, line text) -> {line numbers}, over every blob version of every
    path reachable from any ref. Built lazily (only trufflehog3 needs it)."""
    cache = {}

    def get():
        if "i" in cache:
            return cache["i"]
        pairs: dict[str, set[str]] = {}
        commits = subprocess.run(["git", "-C", str(repo), "rev-list", "--all"],
                                 capture_output=True, text=True, check=True).stdout.split()
        for c in commits:
            ls = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "-z", c],
                                capture_output=True, check=True).stdout
            for ent in ls.split(b"\0"):
                if not ent:
                    continue
                meta, _, path = ent.partition(b"\t")
                parts = meta.split()
                if len(parts) == 3 and parts[1] == b"blob":
                    pairs.setdefault(parts[2].decode(), set()).add(path.decode("utf-8", "replace"))
        index: dict[tuple[str, str], set[int]] = {}
        with subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) as p:
            for sha, paths in pairs.items():
                p.stdin.write(sha.encode() + b"\n")
                p.stdin.flush()
                header = p.stdout.readline().split()
                size = int(header[2])
                body = p.stdout.read(size)
                p.stdout.read(1)
                if size > 5_000_000 or b"\0" in body[:8000]:
                    continue
                text = body.decode("utf-8", "replace").splitlines()
                for n, ln in enumerate(text, 1):
                    for path in paths:
                        index.setdefault((path, ln), set()).add(n)
            p.stdin.close()
        cache["i"] = index
        return index

    return get


# --------------------------------------------------------------------------
# Running the tools


def run_tool(name: str, repo: Path, work: Path, timeout: float) -> dict:
    """Run one tool in its fullest mode on repo; return timing, report
    paths and status."""
    tool = bl.TOOLS[name]
    res: dict = {"tool": name, "version": tool.version(), "note": tool.note}
    b = tool.binary()
    if b is None:
        res["status"] = "missing"
        return res
    tdir = work / name
    tdir.mkdir()
    steps = []  # (cmd, cwd, report, stdout?)
    if name == "keepopen":
        out = tdir / "report.json"
        steps.append(([str(b), "scan", str(repo), "--format", "json", "-o", str(out),
                       "--show-secrets"], tdir, out, False))
        res["mode"] = "history + working tree"
    elif name == "gitleaks":
        out = tdir / "report.json"
        steps.append((tool.history_cmd(repo, str(out), tdir, b), tdir, out, False))
        res["mode"] = "history (git log -p --all)"
    elif name == "kingfisher":
        out = tdir / "report.json"
        cmd = tool.history_cmd(repo, str(out), tdir, b) + ["--no-dedup"]
        steps.append((cmd, tdir, out, False))
        res["mode"] = "history + working tree"
    elif name == "trufflehog3":
        # History of every branch through a mirror (origin = repo), plus the
        # working tree itself; timed together.
        mirror = bl.mirror_clone(repo, tdir)
        out_h = tdir / "history.json"
        out_c = tdir / "current.json"
        steps.append((tool.history_cmd(mirror, str(out_h), tdir, b), tdir, out_h, False))
        steps.append((tool.files_cmd(repo, str(out_c), tdir, b), tdir, out_c, False))
        res["mode"] = "history (branches) + working tree"
    elif name == "detect-secrets":
        out = tdir / "report.json"
        steps.append((tool.files_cmd(repo, str(out), tdir, b), repo, out, True))
        res["mode"] = "files only (cannot see history)"
    elif name == "secretlint":
        out = tdir / "report.json"
        steps.append((tool.files_cmd(repo, str(out), tdir, b), repo, out, False))
        res["mode"] = "files only (cannot see history)"
    else:
        res["status"] = "unknown tool"
        return res

    res["cmds"] = [" ".join(s[0]) for s in steps]
    res["seconds"] = 0.0
    res["peak_mb"] = 0.0
    res["reports"] = []
    for cmd, cwd, report, to_stdout in steps:
        r = bl.measure(cmd, timeout=timeout, cwd=cwd, ok_rcs=tool.ok_rcs,
                       stdout_path=report if to_stdout else None)
        res["exit"] = r.rc
        if r.timed_out:
            res["status"] = f"timeout (> {timeout:.0f} s)"
            return res
        if r.rc not in tool.ok_rcs:
            res["status"] = f"failed (exit {r.rc})"
            res["error"] = r.error[-800:]
            return res
        res["seconds"] += r.wall
        res["peak_mb"] = max(res["peak_mb"], r.rss_mb or 0)
        res["reports"].append(report)
    res["status"] = "ok"
    return res


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.keepopen:
        os.environ["KEEPOPEN"] = str(Path(args.keepopen).resolve())
    bl.ensure_gnu_time()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in bl.TOOLS]
    if unknown:
        sys.exit(f"error: unknown tool(s): {', '.join(unknown)} (known: {', '.join(bl.TOOLS)})")

    cbin = corpus_binary(args)
    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="bench-quality-"))
    try:
        if args.corpus:
            cdir = Path(args.corpus).resolve()
        else:
            cdir = work / "corpus"
            if cdir.exists():
                shutil.rmtree(cdir)
            build_corpus(cbin, cdir, args.seed)
        repo = cdir / "repo"
        labels = cdir / "labels.json"
        runs = work / "runs"
        if runs.exists():
            shutil.rmtree(runs)
        runs.mkdir()

        fix = PathFix(repo)
        ctx = {"worktree": repo, "line_index": history_line_index(repo)}
        results = []
        for name in tools:
            print(f"- {name} …", flush=True)
            res = run_tool(name, repo, runs, args.timeout)
            if res.get("status") == "ok":
                try:
                    records = []
                    for report in res["reports"]:
                        records += CONVERT[name](Path(report), fix, ctx)
                    seen, uniq = set(), []
                    res["pathless_findings"] = sum(1 for r in records if not r["path"])
                    records = [r for r in records if r["path"]]
                    for rec in records:
                        key = (rec["path"], rec["line"], rec["secret"])
                        if key not in seen:
                            seen.add(key)
                            uniq.append(rec)
                    jsonl = runs / f"{name}.jsonl"
                    with open(jsonl, "w") as f:
                        for rec in uniq:
                            f.write(json.dumps(rec) + "\n")
                    res["raw_findings"] = len(records)
                    res["findings"] = len(uniq)
                    res["jsonl"] = str(jsonl)
                    res["score"] = evaluate(cbin, labels, jsonl)
                except Exception as e:  # noqa: BLE001 - report, do not drop the tool
                    res["status"] = f"failed ({type(e).__name__}: {e})"
            res["reports"] = [str(p) for p in res.get("reports", [])]
            print(f"  {res['status']}"
                  + (f", {res['seconds']:.2f} s, {res.get('findings')} findings" if res.get("status") == "ok" else "")
                  + (f"\n  {res['error']}" if res.get("error") else ""), flush=True)
            results.append(res)

        seed = args.seed
        summary = {
            "seed": seed, "corpus": str(cdir) if (args.keep or args.corpus) else None,
            "corpus_bin": str(cbin), "machine": bl.machine_info(), "results": results,
        }
        print_table(results)
        label = f"quality-seed{seed}"
        out = Path(args.out_dir) / f"{label}.json"
        bl.write_json(out, summary)
        print(f"\nwrote {out}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _get(score: dict, *names):
    for n in names:
        if n in score:
            return score[n]
    return None


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def print_table(results: list[dict]) -> None:
    print()
    print("| tool | mode | recall | precision | tp | fp | fn | seconds | status |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        s = r.get("score") or {}
        print(f"| {r['tool']} {r.get('version', '')} | {r.get('mode', '—')} | "
              f"{fmt(_get(s, 'recall'), '.3f')} | {fmt(_get(s, 'precision'), '.3f')} | "
              f"{fmt(_get(s, 'tp'), 'd')} | {fmt(_get(s, 'fp'), 'd')} | {fmt(_get(s, 'fn_', 'fn'), 'd')} | "
              f"{fmt(r.get('seconds') if r.get('status') == 'ok' else None, '.2f')} | {r.get('status')} |")
    for key, title in (("per_state", "Recall by where the secret lives (state)"),
                       ("per_family", "Recall by family")):
        groups: dict[str, int] = {}
        for r in results:
            for g, v in ((r.get("score") or {}).get(key) or {}).items():
                if isinstance(v, dict):
                    groups[g] = v.get("planted", 0)
        if not groups:
            continue
        print(f"\n{title}:\n")
        print(f"| {key.removeprefix('per_')} | planted | " + " | ".join(r["tool"] for r in results) + " |")
        print("|---|---:|" + "---:|" * len(results))
        for g in sorted(groups):
            cells = []
            for r in results:
                v = ((r.get("score") or {}).get(key) or {}).get(g)
                v = v.get("recall") if isinstance(v, dict) else v
                cells.append(fmt(v, ".2f") if isinstance(v, (int, float)) else "—")
            print(f"| {g} | {groups[g]} | " + " | ".join(cells) + " |")
    decoys = {k for r in results for k in ((r.get("score") or {}).get("fp_on_decoys") or {})}
    if decoys:
        print("\nFalse positives on labelled decoys:\n")
        print("| decoy kind | " + " | ".join(r["tool"] for r in results) + " |")
        print("|---|" + "---:|" * len(results))
        for d in sorted(decoys):
            cells = [fmt(((r.get("score") or {}).get("fp_on_decoys") or {}).get(d, 0 if r.get("score") else None), "d")
                     for r in results]
            print(f"| {d} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())

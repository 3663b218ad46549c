#!/usr/bin/env python3
"""Hostile inputs (issue 11): time and peak memory of `keepopen scan` on
inputs built to be slow or to exhaust memory, at doubling sizes, so the
growth is visible: linear input, linear time.

    python3 bench/hostile.py [--runs 3] [--big] [--keepopen PATH]

Probes, each built in a temporary git repository:

- tokens-on-one-line: N AWS key ids on one line (40k, 80k, 160k, 320k);
- custom-rule-line: a custom `[[rule]]` on one line of M MB (5, 10, 20, 40);
- nested-workflow: a workflow nested L levels deep (100k to 800k);
- history-blob: a blob of repeated token lines of S MB in history, deleted
  from HEAD, at the default limit (150 MB, read; 1.5 GB too with --big,
  which takes minutes to build, and is skipped by the limit).

Prints a Markdown table (median seconds, peak RSS in MB, findings) and, for
each probe, the time ratio between successive doublings (2.0 is linear; 4.0
quadratic). Writes bench/results/hostile.json. Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

B32 = string.ascii_uppercase + "234567"
LOWER = string.ascii_lowercase + string.digits


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org",
         "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, stdout=subprocess.DEVNULL,
    )


def new_repo(parent: Path, name: str) -> Path:
    repo = parent / name
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    return repo


def aws_ids(rng: random.Random, n: int) -> list[str]:
    return ["AKIA" + "".join(rng.choice(B32) for _ in range(16)) for _ in range(n)]


def tokens_on_one_line(parent: Path, n: int) -> tuple[Path, list[str]]:
    repo = new_repo(parent, f"tokens-{n}")
    line = " ".join(aws_ids(random.Random(n), n))
    (repo / "keys.txt").write_text(f"keys = {line}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "tokens")
    return repo, ["--no-history", "--detectors", "secrets"]


RULE = """[[rule]]
id = "acme-token"
name = "ACME token"
description = "Reads every ACME record."
severity = "high"
confidence = "high"
keywords = ["acme_"]
pattern = '''\\b(acme_[a-z0-9]{20})\\b'''
examples = ["acme_\u00ab\u00bb0123456789abcdefghij"]
"""


def custom_rule_line(parent: Path, mb: int) -> tuple[Path, list[str]]:
    repo = new_repo(parent, f"custom-{mb}")
    rng = random.Random(mb)
    unit = " ".join("acme_" + "".join(rng.choice(LOWER) for _ in range(20)) for _ in range(64)) + " "
    line = unit * ((mb << 20) // len(unit) + 1)
    (repo / "dump.cfg").write_text(f"keys = {line}\n")
    (repo / ".keepopen.toml").write_text(RULE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "line")
    return repo, ["--no-history", "--detectors", "secrets"]


def nested_workflow(parent: Path, levels: int) -> tuple[Path, list[str]]:
    repo = new_repo(parent, f"nested-{levels}")
    wf = repo / ".github" / "workflows"
    wf.mkdir(parents=True)
    (wf / "deep.yml").write_text("on: push\njobs: " + "[" * levels + "]" * levels + "\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "deep")
    return repo, ["--no-history"]


def history_blob(parent: Path, mb: int) -> tuple[Path, list[str]]:
    repo = new_repo(parent, f"blob-{mb}")
    ids = aws_ids(random.Random(mb), 4096)
    chunk = "".join(f"aws_access_key_id = {k}\n" for k in ids).encode()
    with open(repo / "dump.txt", "wb") as f:
        left = mb << 20
        while left > 0:
            f.write(chunk[:left])
            left -= len(chunk)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "dump")
    git(repo, "rm", "-q", "dump.txt")
    git(repo, "commit", "-q", "-m", "removed")
    # At the default limit (256 MiB): 150 MB is read, 1.5 GB is listed as
    # skipped, by path and id, without being read into memory.
    return repo, ["--no-worktree", "--detectors", "secrets"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big", action="store_true", help="add the 1.5 GB history blob")
    ap.add_argument("--keepopen")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    bl.ensure_gnu_time()
    ko = bl.keepopen_binary(args.keepopen)
    probes = [
        ("tokens-on-one-line", "tokens", tokens_on_one_line, [40_000, 80_000, 160_000, 320_000]),
        ("custom-rule-line", "MB", custom_rule_line, [5, 10, 20, 40]),
        ("nested-workflow", "levels", nested_workflow, [100_000, 200_000, 400_000, 800_000]),
        ("history-blob", "MB", history_blob, [150, 1536] if args.big else [150]),
    ]
    rows = []
    with tempfile.TemporaryDirectory(prefix="keepopen-hostile-") as tmp:
        parent = Path(tmp)
        for name, unit, build, sizes in probes:
            for size in sizes:
                repo, extra = build(parent, size)
                out = parent / f"{name}-{size}.json"
                runs = []
                for _ in range(args.runs):
                    cmd = [ko, "scan", repo, "--format", "json", "--no-progress",
                           "-o", out, *extra]
                    runs.append(bl.measure(cmd, timeout=args.timeout, ok_rcs=(0, 1, 2)))
                try:
                    report = json.loads(out.read_text())
                    findings = len(report["findings"])
                    skipped = len(report["summary"].get("skipped", []))
                except (OSError, ValueError, KeyError):
                    findings, skipped = None, None
                walls = [r.wall for r in runs if r.wall is not None]
                rss = [r.rss_mb for r in runs if r.rss_mb is not None]
                rows.append({
                    "probe": name, "unit": unit, "size": size,
                    "seconds": bl.median(walls), "peak_mb": max(rss) if rss else None,
                    "findings": findings, "skipped": skipped,
                    "rc": [r.rc for r in runs], "timed_out": any(r.timed_out for r in runs),
                })
                subprocess.run(["rm", "-rf", str(repo)], check=False)
                r = rows[-1]
                print(f"  {name} {size} {unit}: {r['seconds']} s, {r['peak_mb']} MB", file=sys.stderr)
    print("| probe | size | median s | peak MB | findings | skipped | growth per doubling |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    prev: dict[str, dict] = {}
    for r in rows:
        p = prev.get(r["probe"])
        growth = ""
        if p and p["seconds"] and r["seconds"]:
            growth = f"{r['seconds'] / p['seconds']:.2f}× for {r['size'] / p['size']:.0f}× input"
        prev[r["probe"]] = r
        secs = "timeout" if r["timed_out"] else f"{r['seconds']:.2f}"
        print(f"| {r['probe']} | {r['size']:,} {r['unit']} | {secs} | {r['peak_mb']:.0f} | "
              f"{r['findings']} | {r['skipped']} | {growth} |")
    worst = max((r for r in rows if r["peak_mb"]), key=lambda r: r["peak_mb"])
    print(f"\nworst peak: {worst['probe']} {worst['size']:,} {worst['unit']}, {worst['peak_mb']:.0f} MB")
    out = Path(__file__).resolve().parent / "results" / "hostile.json"
    bl.write_json(out, {"machine": bl.machine_info(), "runs": args.runs, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())

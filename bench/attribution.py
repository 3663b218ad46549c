#!/usr/bin/env python3
"""Attribution a reviewer can check, on real histories.

For each repository given (a bare mirror or a clone):

1. `keepopen scan REPO --format json --show-secrets` with `--threads 1`, then
   with every core, then with every core again: the three reports must be
   identical apart from `duration_ms`. Any difference is listed by
   fingerprint and field (never by secret).
2. Every finding that names a commit is checked with git: the blob at
   `commit:path` must hold the secret on `commit_line`, and, for findings
   still at HEAD of a bare mirror, `HEAD:path` must hold it on `line`.
   Personal-data findings about a whole column (`detail` set) are checked
   for presence of the commit and path only, since their value is a
   column, not a line.

Prints counts per repository and the worst one; never prints a secret.
Stdlib only; run with any Python 3.11. Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402


def scan(ko: str, repo: str, threads: int | None) -> dict:
    cmd = [ko, "scan", repo, "--format", "json", "--show-secrets", "--no-progress",
           "--detectors", "secrets,personal"]
    if threads:
        cmd += ["--threads", str(threads)]
    out = subprocess.run(cmd, capture_output=True, timeout=3600)
    if out.returncode not in (0, 1):
        raise SystemExit(f"keepopen failed on {repo}: {out.stderr.decode(errors='replace')[:400]}")
    v = json.loads(out.stdout)
    v["summary"]["duration_ms"] = None
    return v


def differences(a: dict, b: dict) -> list[str]:
    if a == b:
        return []
    out = []
    fa = {f["fingerprint"]: f for f in a["findings"]}
    fb = {f["fingerprint"]: f for f in b["findings"]}
    for fp in sorted(set(fa) | set(fb)):
        x, y = fa.get(fp), fb.get(fp)
        if x is None or y is None:
            out.append(f"{fp}: only in {'second' if x is None else 'first'}")
            continue
        for k in sorted(set(x) | set(y)):
            if x.get(k) != y.get(k) and k not in ("secret", "context", "redacted"):
                out.append(f"{fp}: {k} {x.get(k)!r} != {y.get(k)!r}")
            elif x.get(k) != y.get(k):
                out.append(f"{fp}: {k} differs")
    if [f["fingerprint"] for f in a["findings"]] != [f["fingerprint"] for f in b["findings"]] and not out:
        out.append("same findings in a different order")
    for k in a:
        if k != "findings" and a[k] != b.get(k):
            out.append(f"top-level `{k}` differs")
    return out


class Blobs:
    """`git cat-file --batch` kept open: one process for every lookup."""

    def __init__(self, repo: str):
        self.p = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def get(self, rev: str) -> bytes | None:
        assert self.p.stdin and self.p.stdout
        self.p.stdin.write(rev.encode() + b"\n")
        self.p.stdin.flush()
        header = self.p.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return None
        size = int(header[2])
        data = self.p.stdout.read(size)
        self.p.stdout.read(1)
        return data


def line_holds(data: bytes | None, line: int, secret: str) -> bool:
    if data is None or line < 1:
        return False
    lines = data.split(b"\n")
    # A private key spans lines: its first line starts on `line`.
    first = secret.encode().split(b"\n")[0].rstrip(b"\r")
    return line <= len(lines) and first in lines[line - 1]


def check(repo: str, report: dict) -> tuple[int, int, list[str]]:
    blobs = Blobs(repo)
    checked, failed = 0, []
    for f in report["findings"]:
        commit, path = f.get("commit"), f["path"]
        if not commit:
            continue
        data = blobs.get(f"{commit}:{path}")
        if f.get("detail") or f["line"] == 0 or not f.get("secret"):
            ok = data is not None
        else:
            ok = line_holds(data, f.get("commit_line", f["line"]), f["secret"])
            if ok and f["in_head"] and not f["in_worktree"]:
                ok = line_holds(blobs.get(f"HEAD:{path}"), f["line"], f["secret"])
        checked += 1
        if not ok:
            failed.append(f"{f['rule']} {path}:{f['line']} commit {commit[:10]} line {f.get('commit_line')}")
    return checked, len(failed), failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repos", nargs="+", metavar="REPO")
    ap.add_argument("--keepopen")
    args = ap.parse_args()
    ko = str(benchlib.keepopen_binary(args.keepopen))
    cores = os.cpu_count() or 2
    rows, status = [], 0
    for repo in args.repos:
        one = scan(ko, repo, 1)
        many = scan(ko, repo, cores)
        again = scan(ko, repo, cores)
        diffs = differences(one, many) + differences(many, again)
        checked, bad, failures = check(repo, many)
        rows.append((benchlib.repo_label(repo), len(many["findings"]), len(diffs), checked, bad))
        for d in diffs[:20]:
            print(f"  {benchlib.repo_label(repo)}: {d}")
        for x in failures[:20]:
            print(f"  {benchlib.repo_label(repo)}: does not hold: {x}")
        status |= bool(diffs or bad)
    print(f"\n| repository | findings | differences (1 thread, {cores} threads, again) | history findings checked | not holding |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |")
    worst = max(rows, key=lambda r: (r[2] + r[4], r[0]))
    print(f"\nworst: {worst[0]} ({worst[2]} differences, {worst[4]} not holding)")
    return status


if __name__ == "__main__":
    sys.exit(main())

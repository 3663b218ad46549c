#!/usr/bin/env python3
"""Organisation runs: `keepopen org` against the same repositories scanned
one by one, and against a loop of gitleaks (how teams do it today).

    python3 bench/org.py [--runs 3] [--keepopen PATH] [--gitleaks PATH]
                         [--copies N] [--changed K] REPO...

For the given repositories (bare or not):

1. mirrors each into a scratch folder (`git clone --mirror`, hard-linked,
   so that the benchmark can add commits without touching the originals)
   and writes a list file naming them (`keepopen org --list`);
2. round-robin for each run, each under `/usr/bin/time -f '%e %M'`:
   - `keepopen org --list FILE --format json` into a fresh store (the
     first run), then again on the same store (the re-run over unchanged
     repositories, which reuses their results);
   - a loop of `keepopen scan REPO --format json`, one process each, summed;
   - a loop of `gitleaks git REPO` (full history), summed, when gitleaks is
     there (bench/setup.sh installs it);
   - with `--postgres`, the same first run and re-run with `--db` on a
     PostgreSQL server started for the benchmark (scripts/postgres.sh,
     durable: fsync on, as a shared server would run), each run into a
     new database, and its report checked equal to the SQLite run's;
3. with `--copies N`, also times `keepopen org` over N re-committed copies
   of a one-file repository (no shared blobs) and reports the time per
   repository: the per-repository overhead most NHS repositories, which
   are small, pay;
4. prints a Markdown table of medians with ratios to the loop of single
   scans, and the per-repository results of the last org run (worst peak
   named); writes bench/results/org.json.

Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

ROOT = Path(__file__).resolve().parent


def timed(cmd: list[str], timeout: float = 3600) -> tuple[float, int, int, bytes]:
    """Wall seconds, peak RSS in KB, exit code and stdout of `cmd`."""
    with tempfile.NamedTemporaryFile() as t:
        p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name, *cmd],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout)
        wall, rss = Path(t.name).read_text().split()[-2:]
    return float(wall), int(rss), p.returncode, p.stdout


def small_copies(n: int, into: Path) -> list[Path]:
    """N repositories of one small commit each, every one with its own
    blobs (the file names the copy)."""
    out = []
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z",
           "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z"}
    for i in range(n):
        d = into / f"copy-{i:04d}"
        d.mkdir(parents=True)
        (d / "README.md").write_text(f"# copy {i}\n\nMaintained by team {i}: team{i}@example.org\n")
        (d / "analysis.R").write_text(f"x <- {i}\nsummary(x)\n")
        for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                     ["-c", "user.name=b", "-c", "user.email=b@example.org", "commit", "-q", "-m", "c"]):
            subprocess.run(["git", *args], cwd=d, env=env, check=True)
        out.append(d)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keepopen", default=os.environ.get("KEEPOPEN", str(ROOT.parent / "target/release/keepopen")))
    ap.add_argument("--gitleaks", default=str(ROOT / ".venv/bin/gitleaks"))
    ap.add_argument("--copies", type=int, default=0)
    ap.add_argument("--forks", type=int, default=0,
                    help="add a fork (a second mirror) of each of the first K repositories")
    ap.add_argument("--postgres", action="store_true",
                    help="also run org on a PostgreSQL server started for the benchmark")
    ap.add_argument("--changed", type=int, default=0,
                    help="after the runs, commit once to the K smallest repositories and time a re-run")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-org-"))
    mirrors = []
    for i, r in enumerate(args.repos):
        m = work / "mirrors" / f"{i:03d}-{r.resolve().parent.name or r.name}.git"
        subprocess.run(["git", "clone", "-q", "--mirror", str(r.resolve()), str(m)], check=True)
        mirrors.append(m)
    for i, m in enumerate(mirrors[: args.forks]):
        fork = work / "mirrors" / f"fork-{i:03d}.git"
        subprocess.run(["git", "clone", "-q", "--mirror", str(m), str(fork)], check=True)
        mirrors.append(fork)
    args.repos = mirrors
    listing = work / "repos.txt"
    listing.write_text("".join(f"{r}\n" for r in args.repos))
    have_gitleaks = Path(args.gitleaks).exists()
    ko = args.keepopen
    rows: dict[str, list[tuple[float, int]]] = {"org": [], "org re-run": [], "org on PostgreSQL": [],
                                                "org re-run on PostgreSQL": [], "scan loop": [], "gitleaks loop": []}
    pg_base = None
    if args.postgres:
        # Its own folder in /tmp: the server's unprivileged user must reach it,
        # and the scratch folder is private.
        pg_dir = Path(tempfile.mkdtemp(prefix="keepopen-bench-pg-"))
        pg_base = subprocess.run([str(ROOT.parent / "scripts" / "postgres.sh"), "start", str(pg_dir), "--durable"],
                                 check=True, capture_output=True, text=True).stdout.strip()
        psql = shutil.which("psql") or "psql"
    last_org = None
    db = work / "store.db"
    for run in range(args.runs):
        for f in work.glob("store.db*"):
            f.unlink()
        org = [ko, "org", "--list", str(listing), "--format", "json", "--no-progress", "--db", str(db)]
        wall, rss, code, out = timed(org)
        rows["org"].append((wall, rss))
        last_org = json.loads(out)
        print(f"run {run + 1}: org {wall:.2f} s, {rss // 1024} MB, exit {code}", flush=True)
        wall, rss, code, out = timed(org)
        rows["org re-run"].append((wall, rss))
        assert json.loads(out) == last_org, "a re-run over unchanged repositories gives the same report"
        print(f"run {run + 1}: org re-run {wall:.2f} s, {rss // 1024} MB, exit {code}", flush=True)
        if pg_base:
            name = f"bench_{run}"
            subprocess.run([psql, "-q", f"{pg_base}/postgres", "-c", f"DROP DATABASE IF EXISTS {name}",
                            "-c", f"CREATE DATABASE {name}"], check=True)
            pg_org = [ko, "org", "--list", str(listing), "--format", "json", "--no-progress",
                      "--db", f"{pg_base}/{name}"]
            for label in ("org on PostgreSQL", "org re-run on PostgreSQL"):
                wall, rss, code, out = timed(pg_org)
                rows[label].append((wall, rss))
                assert json.loads(out) == last_org, "PostgreSQL gives the SQLite run's report"
                print(f"run {run + 1}: {label} {wall:.2f} s, {rss // 1024} MB, exit {code}", flush=True)
        total, peak = 0.0, 0
        for r in args.repos:
            w, m, _, _ = timed([ko, "scan", str(r), "--format", "json", "--no-progress", "--output", os.devnull])
            total += w
            peak = max(peak, m)
        rows["scan loop"].append((total, peak))
        print(f"run {run + 1}: scan loop {total:.2f} s, {peak // 1024} MB", flush=True)
        if have_gitleaks:
            total, peak = 0.0, 0
            for r in args.repos:
                # Its report goes to a file of its own: gitleaks replaces the
                # file it is given, so never hand it /dev/null.
                w, m, _, _ = timed([args.gitleaks, "git", str(r), "--no-banner", "--log-level", "error",
                                    "--report-path", str(work / "gitleaks.json"), "--exit-code", "0"])
                total += w
                peak = max(peak, m)
            rows["gitleaks loop"].append((total, peak))
            print(f"run {run + 1}: gitleaks loop {total:.2f} s, {peak // 1024} MB", flush=True)

    base = statistics.median(w for w, _ in rows["scan loop"])
    print(f"\n## {len(args.repos)} repositories, medians of {args.runs}\n")
    print("| run | wall s | × loop of single scans | peak MB |")
    print("|---|---:|---:|---:|")
    result = {"repositories": [str(r) for r in args.repos], "machine": bl.machine_info(), "runs": {}}
    for name, vals in rows.items():
        if not vals:
            continue
        w = statistics.median(v[0] for v in vals)
        m = max(v[1] for v in vals) // 1024
        result["runs"][name] = {"wall_s": [v[0] for v in vals], "peak_kb": [v[1] for v in vals]}
        print(f"| {name} | {w:.2f} | {w / base:.2f} | {m} |")

    first = statistics.median(w for w, _ in rows["org"])
    again = statistics.median(w for w, _ in rows["org re-run"])
    print(f"\nre-run over unchanged repositories: {again:.2f} s, {100 * again / first:.1f}% of the first run (target <= 2%)")
    if pg_base:
        pg_first = statistics.median(w for w, _ in rows["org on PostgreSQL"])
        pg_again = statistics.median(w for w, _ in rows["org re-run on PostgreSQL"])
        print(f"PostgreSQL against SQLite: first run {pg_first / first:.2f}x, re-run {pg_again:.2f} s "
              f"against {again:.2f} s (target <= 1.5x)")
        subprocess.run([str(ROOT.parent / "scripts" / "postgres.sh"), "stop", str(pg_dir)], check=False)

    if args.changed:
        smallest = sorted(args.repos, key=lambda m: sum(f.stat().st_size for f in m.rglob("*") if f.is_file()))
        for m in smallest[: args.changed]:
            w = work / "commit-work"
            shutil.rmtree(w, ignore_errors=True)
            subprocess.run(["git", "clone", "-q", str(m), str(w)], check=True)
            (w / "KEEPOPEN-BENCH.md").write_text("one new commit\n")
            g = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
            subprocess.run([*g, "add", "-A"], cwd=w, check=True)
            subprocess.run([*g, "commit", "-q", "-m", "bench"], cwd=w, check=True)
            subprocess.run([*g, "push", "-q", "origin", "HEAD"], cwd=w, check=True)
        wall, rss, _, _ = timed([ko, "org", "--list", str(listing), "--format", "json", "--no-progress", "--db", str(db)])
        first = statistics.median(w for w, _ in rows["org"])
        print(f"\nre-run after one new commit in each of {args.changed} repositories: {wall:.2f} s "
              f"({wall / first:.2f}x the first run), {rss // 1024} MB")
        result["after_commits"] = {"repositories": args.changed, "wall_s": wall, "peak_kb": rss}

    if args.copies:
        copies = small_copies(args.copies, work / "copies")
        clist = work / "copies.txt"
        clist.write_text("".join(f"{c}\n" for c in copies))
        per = []
        for _ in range(args.runs):
            w, m, _, _ = timed([ko, "org", "--list", str(clist), "--format", "json", "--no-progress"])
            per.append(w / len(copies))
        one = statistics.median(timed([ko, "scan", str(copies[0]), "--format", "json", "--no-progress",
                                       "--output", os.devnull])[0] for _ in range(args.runs))
        print(f"\nper-repository overhead: {statistics.median(per) * 1000:.1f} ms "
              f"over {len(copies)} small repositories in one org run; one `keepopen scan` of one: {one * 1000:.0f} ms")
        result["per_repository_s"] = per

    if last_org:
        print("\n| repository | recommendation | class | blocking |")
        print("|---|---|---|---:|")
        for r in last_org["repositories"]:
            print(f"| {Path(r['path']).name} | {r['recommendation']} | {r.get('class')} | {r['findings']['blocking']} |")
    out = ROOT / "results" / "org.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

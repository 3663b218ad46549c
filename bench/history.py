#!/usr/bin/env python3
"""Full-history scan speed: keepopen against peer scanners, side by side.

    python3 bench/history.py [--runs 3] [--peer-runs N] [--timeout 1800]
                             [--tools keepopen,gitleaks,kingfisher,trufflehog3]
                             [--keepopen PATH] REPO...

For each repository (a bare or non-bare clone):

1. reads its size (commits, refs, blobs, blob bytes, pack bytes);
2. warms the page cache with one untimed `git cat-file --batch-all-objects
   --batch > /dev/null` (the reference), and runs each tool once, untimed, on
   a tiny throw-away repository (fills caches such as Kingfisher's compiled
   rule database);
3. then, round-robin for each run: the reference, then every tool in its
   full-history mode, each under `/usr/bin/time -f '%e %M'` with a timeout;
4. prints a Markdown table (median wall seconds, ratio to the reference's
   median, peak RSS, findings, exit code) and writes
   bench/results/history-<repo>.json with every run.

A tool whose binary is missing, which fails, or which times out is reported
as such and the run goes on. A tool that times out is not run again for that
repository. Stdlib only; peers come from bench/setup.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

DEFAULT_TOOLS = "keepopen,gitleaks,kingfisher,trufflehog3"
# The issue's targets, per repository: time against the reference, peak RSS.
TIME_TARGET = 0.35
MEMORY_TARGET_MB = 400


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repos", nargs="+", metavar="REPO", help="path to a git clone (bare or not)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of the reference and keepopen (default 3)")
    ap.add_argument("--peer-runs", type=int, default=None,
                    help="timed runs of each peer (default: --runs)")
    ap.add_argument("--tools", default=DEFAULT_TOOLS, help=f"comma list (default {DEFAULT_TOOLS})")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per tool run (default 1800)")
    ap.add_argument("--keepopen", default=None,
                    help="keepopen binary (default $KEEPOPEN or target/release/keepopen)")
    ap.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up runs")
    ap.add_argument("--out-dir", default=str(bl.RESULTS), help="where history-<repo>.json goes")
    return ap.parse_args(argv)


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def bench_repo(repo: Path, tools: list[str], args) -> dict:
    label = bl.repo_label(repo)
    print(f"\n## {label}\n", flush=True)
    stats = bl.repo_stats(repo)
    print(f"{stats['path']}: {stats['commits']} commits, {stats['refs']} refs, "
          f"{stats['blobs']} blobs, {stats['blob_bytes'] / 2**20:.0f} MiB of blobs, "
          f"{stats['pack_bytes'] / 2**20:.0f} MiB of packs, bare={stats['bare']}", flush=True)

    work = Path(tempfile.mkdtemp(prefix=f"bench-history-{label}-"))
    result: dict = {
        "repo": label, "stats": stats, "machine": bl.machine_info(),
        "runs": args.runs, "peer_runs": args.peer_runs, "timeout_s": args.timeout,
        "reference": {"cmd": " ".join(bl.reference_cmd(repo)) + " > /dev/null", "runs": []},
        "tools": {},
        "loadavg_start": os.getloadavg(),
    }
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        print(f"WARNING: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: "
              "timings will be noisy", flush=True)
    try:
        # Per-tool state: what to run, where.
        state: dict[str, dict] = {}
        for name in tools:
            tool = bl.TOOLS.get(name)
            entry: dict = {"runs": []}
            result["tools"][name] = entry
            if tool is None:
                entry["status"] = "unknown tool"
                continue
            if tool.history_cmd is None:
                entry["status"] = "no history mode"
                entry["note"] = tool.note
                continue
            b = tool.binary()
            entry["version"] = tool.version()
            entry["note"] = tool.note
            if b is None:
                entry["status"] = "missing"
                entry["binary"] = str(tool.locate())
                print(f"- {name}: MISSING ({tool.locate()})", flush=True)
                continue
            tdir = work / name
            tdir.mkdir()
            target = repo
            if tool.needs_mirror:
                # Setup, not timed: trufflehog3 only enumerates branches
                # through a remote, so give it a mirror whose origin is repo.
                target = bl.mirror_clone(repo, tdir)
                entry["target"] = "temporary `git clone --mirror` (origin = the repo)"
            out = str(tdir / "report.json")
            cmd = tool.history_cmd(target, out, tdir, b)
            entry["cmd"] = " ".join(cmd)
            entry["status"] = "ok"
            state[name] = {"tool": tool, "cmd": cmd, "out": out, "cwd": tdir,
                           "runs": args.runs if name.startswith("keepopen") else args.peer_runs}

        # Warm-up: page cache for the repository, caches for each tool.
        if not args.no_warmup:
            print("warm-up …", flush=True)
            bl.measure(bl.reference_cmd(repo), timeout=args.timeout)
            wrepo = bl.warmup_repo(work)
            for name, st in state.items():
                tool = st["tool"]
                wdir = work / f"warmup-{name}"
                wdir.mkdir()
                wt = bl.mirror_clone(wrepo, wdir) if tool.needs_mirror else wrepo
                wcmd = tool.history_cmd(wt, str(wdir / "report.json"), wdir, tool.binary())
                bl.measure(wcmd, timeout=min(args.timeout, 600), cwd=wdir)
                # The same command on the tiny repository, timed with the
                # runs below: the cost of starting at all (rules, automata,
                # report), which dominates on small repositories.
                st["fixed"] = {"cmd": wcmd, "cwd": wdir}

        max_runs = max([args.runs] + [st["runs"] for st in state.values()])
        for i in range(max_runs):
            if i < args.runs:
                r = bl.measure(bl.reference_cmd(repo), timeout=args.timeout)
                result["reference"]["runs"].append(r.__dict__ | {"rss_mb": r.rss_mb})
                print(f"run {i + 1}: reference {fmt(r.wall, '.2f')} s, {fmt(r.rss_mb, '.0f')} MB", flush=True)
            for name, st in state.items():
                entry = result["tools"][name]
                if i >= st["runs"] or entry["status"] == "timeout":
                    continue
                tool = st["tool"]
                if os.path.exists(st["out"]):
                    os.unlink(st["out"])
                if "fixed" in st:
                    f = bl.measure(st["fixed"]["cmd"], timeout=600, cwd=st["fixed"]["cwd"],
                                   ok_rcs=tool.ok_rcs)
                    entry.setdefault("fixed_runs", []).append(f.wall)
                r = bl.measure(st["cmd"], timeout=args.timeout, cwd=st["cwd"], ok_rcs=tool.ok_rcs)
                rec = r.__dict__ | {"rss_mb": r.rss_mb}
                if r.timed_out:
                    entry["status"] = "timeout"
                elif r.rc not in tool.ok_rcs:
                    entry["status"] = f"failed (exit {r.rc})"
                else:
                    try:
                        rec["findings"] = tool.count(st["out"])
                    except (OSError, ValueError, KeyError, TypeError) as e:
                        entry["status"] = f"failed (unreadable report: {e})"
                entry["runs"].append(rec)
                print(f"run {i + 1}: {name} {fmt(r.wall, '.2f')} s, {fmt(r.rss_mb, '.0f')} MB, "
                      f"exit {r.rc}{' TIMEOUT' if r.timed_out else ''}"
                      f"{', ' + str(rec.get('findings')) + ' findings' if 'findings' in rec else ''}",
                      flush=True)
                if r.error and entry["status"] != "ok":
                    print("    " + r.error[-600:].replace("\n", "\n    "), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    result["loadavg_end"] = os.getloadavg()
    # Summaries.
    ref = result["reference"]
    ref["median_s"] = bl.median([r["wall"] for r in ref["runs"]])
    ref["peak_mb"] = max((r["rss_mb"] for r in ref["runs"] if r["rss_mb"] is not None), default=None)
    for name, entry in result["tools"].items():
        ok_runs = [r for r in entry["runs"] if r["wall"] is not None]
        entry["median_s"] = bl.median([r["wall"] for r in ok_runs]) if entry.get("status") == "ok" else None
        entry["ratio"] = (entry["median_s"] / ref["median_s"]
                          if entry["median_s"] is not None and ref["median_s"] else None)
        entry["peak_mb"] = max((r["rss_mb"] for r in entry["runs"] if r["rss_mb"] is not None), default=None)
        fixed = [w for w in entry.get("fixed_runs", []) if w is not None]
        entry["fixed_s"] = bl.median(fixed) if fixed else None
        entry["ratio_net"] = ((entry["median_s"] - entry["fixed_s"]) / ref["median_s"]
                              if entry["ratio"] is not None and entry["fixed_s"] is not None else None)
        entry["findings"] = entry["runs"][-1].get("findings") if entry["runs"] else None
        entry["exit"] = entry["runs"][-1]["rc"] if entry["runs"] else None
        if entry.get("status") == "timeout":
            entry["timeout_after_s"] = args.timeout

    print_table(result)
    out = Path(args.out_dir) / f"history-{label}.json"
    bl.write_json(out, result)
    print(f"\nwrote {out}", flush=True)
    return result


def print_table(result: dict) -> None:
    ref = result["reference"]
    n_ref = len(ref["runs"])
    print()
    print("| tool | version | median s | × reference | fixed s | × reference without fixed | peak MB "
          "| findings | exit | runs | status |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    print(f"| reference (`git cat-file --batch-all-objects --batch`) | {result['machine']['git']} | "
          f"{fmt(ref['median_s'], '.2f')} | 1.00 | — | — | {fmt(ref['peak_mb'], '.0f')} | — | — | {n_ref} | |")
    for name, e in result["tools"].items():
        status = e.get("status", "")
        if status == "timeout":
            status = f"timeout (> {result['timeout_s']:.0f} s)"
        ratio = e.get("ratio")
        print(f"| {name} | {e.get('version', '—')} | {fmt(e.get('median_s'), '.2f')} | "
              f"{fmt(ratio, '.2f')} | {fmt(e.get('fixed_s'), '.2f')} | {fmt(e.get('ratio_net'), '.2f')} | "
              f"{fmt(e.get('peak_mb'), '.0f')} | "
              f"{fmt(e.get('findings'), 'd')} | {fmt(e.get('exit'), 'd')} | {len(e['runs'])} | {status} |")
    kp_all, kp_sec = result["tools"].get("keepopen"), result["tools"].get("keepopen-secrets")
    if kp_all and kp_sec and kp_all.get("median_s") and kp_sec.get("median_s"):
        over = kp_all["median_s"] / kp_sec["median_s"] - 1
        print(f"\npersonal-data overhead on the secret scan: {over * 100:+.1f}% "
              f"({kp_sec['median_s']:.2f} s -> {kp_all['median_s']:.2f} s medians; target ≤ +25%)")
        result["personal_overhead"] = over
    kp = result["tools"].get("keepopen")
    if kp and kp.get("ratio") is not None:
        ok_t = kp["ratio"] <= TIME_TARGET
        ok_m = kp["peak_mb"] is not None and kp["peak_mb"] <= MEMORY_TARGET_MB
        print(f"\nkeepopen targets: time {kp['ratio']:.2f}x reference (target ≤ {TIME_TARGET:.2f}x: "
              f"{'met' if ok_t else 'NOT met'}), peak {kp['peak_mb']:.0f} MB "
              f"(target ≤ {MEMORY_TARGET_MB} MB: {'met' if ok_m else 'NOT met'})")


def print_summary(results: list[dict]) -> None:
    """Every repository on one table, and the worst one, so that no single
    repository speaks for the rest."""
    rows = [(r["repo"], r["reference"], r["tools"].get("keepopen")) for r in results]
    rows = [(name, ref, kp) for name, ref, kp in rows if kp and kp.get("ratio") is not None]
    if not rows:
        return
    print("\n## every repository\n")
    print("| repository | MiB of blobs | reference s | keepopen s | × reference | fixed s "
          "| × without fixed | peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r, (name, ref, kp) in zip(results, rows):
        print(f"| {name} | {r['stats']['blob_bytes'] / 2**20:.0f} | {fmt(ref['median_s'], '.2f')} | "
              f"{fmt(kp['median_s'], '.2f')} | {fmt(kp['ratio'], '.2f')} | {fmt(kp.get('fixed_s'), '.2f')} | "
              f"{fmt(kp.get('ratio_net'), '.2f')} | {fmt(kp['peak_mb'], '.0f')} |")
    worst_t = max(rows, key=lambda x: x[2]["ratio"])
    worst_m = max(rows, key=lambda x: x[2]["peak_mb"] or 0)
    print(f"\nworst time: {worst_t[0]} at {worst_t[2]['ratio']:.2f}x "
          f"({fmt(worst_t[2].get('ratio_net'), '.2f')}x without the fixed cost); "
          f"worst memory: {worst_m[0]} at {worst_m[2]['peak_mb']:.0f} MB")


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.peer_runs is None:
        args.peer_runs = args.runs
    if args.keepopen:
        os.environ["KEEPOPEN"] = str(Path(args.keepopen).resolve())
    bl.ensure_gnu_time()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    results = []
    for repo in args.repos:
        p = Path(repo)
        if not p.exists():
            print(f"error: {repo} does not exist", file=sys.stderr)
            return 2
        results.append(bench_repo(p.resolve(), tools, args))
    print_summary(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

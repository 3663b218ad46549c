#!/usr/bin/env python3
"""Posture checks on a whole repository: how long they take, and what they
add to a scan.

For each repository given (a clone with a working tree; a bare mirror is
cloned into a temporary folder first, never into the project):

1. `keepopen posture CLONE --json`, `--runs` times: median wall time and peak
   RSS. Target: under 2 seconds on electronic-prescription-service-api.
2. `keepopen scan CLONE --no-history` with the content detectors only
   (`secrets,personal,dependencies`) and with every default detector
   (adding `workflows,posture`), alternating, `--runs` times each: the median
   of each and their ratio, which is what workflow audits and posture checks
   add to a working-tree scan.
3. zizmor (bench/.venv, pinned by bench/setup.sh) over the same repository's
   `.github/workflows`, for scale: `zizmor --offline --no-config CLONE`.

Results go to bench/results/posture-<repo>.json and a Markdown summary is
printed. Stdlib only; run with any Python 3.11.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

TARGET_S = 2.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repos", nargs="+", metavar="REPO")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keepopen")
    ap.add_argument("--zizmor", default=str(benchlib.ROOT / "bench" / ".venv" / "bin" / "zizmor"))
    args = ap.parse_args()
    benchlib.ensure_gnu_time()
    ko = benchlib.keepopen_binary(args.keepopen)
    status = 0
    for repo in args.repos:
        with tempfile.TemporaryDirectory(prefix="ko-posture-") as tmp:
            clone = Path(repo)
            if benchlib.is_bare(repo):
                clone = Path(tmp) / "clone"
                subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
            label = benchlib.repo_label(repo)
            posture = [benchlib.measure([ko, "posture", clone, "--json"], timeout=600, ok_rcs=(0, 1))
                       for _ in range(args.runs)]
            content, full = [], []
            for _ in range(args.runs):
                for detectors, into in (("secrets,personal,dependencies", content),
                                        ("secrets,personal,dependencies,workflows,posture", full)):
                    into.append(benchlib.measure(
                        [ko, "scan", clone, "--no-history", "--no-progress", "--format", "json",
                         "--detectors", detectors], timeout=600, ok_rcs=(0, 1, 2)))
            zizmor = None
            workflows = clone / ".github" / "workflows"
            if Path(args.zizmor).exists() and workflows.is_dir():
                zizmor = [benchlib.measure([args.zizmor, "--offline", "--no-config", "--no-progress",
                                            "--format", "json", workflows],
                                           timeout=600, ok_rcs=tuple(range(0, 20)))
                          for _ in range(args.runs)]
            med = lambda runs: benchlib.median([r.wall for r in runs if r.wall is not None])  # noqa: E731
            rss = lambda runs: max((r.rss_mb or 0) for r in runs)  # noqa: E731
            errors = [r.error for r in posture + content + full if r.error]
            p, c, f = med(posture), med(content), med(full)
            result = {
                "machine": benchlib.machine_info(),
                "repository": benchlib.repo_stats(repo),
                "runs": args.runs,
                "posture_seconds": p,
                "posture_peak_mb": rss(posture),
                "target_seconds": TARGET_S,
                "scan_content_seconds": c,
                "scan_default_seconds": f,
                "default_over_content": (f / c) if c and f else None,
                "zizmor_seconds": med(zizmor) if zizmor else None,
                "errors": errors,
            }
            out = benchlib.RESULTS / f"posture-{label}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(result, indent=2))
            print(f"## {label}\n")
            print("| measure | median |\n|---|---:|")
            print(f"| `keepopen posture` | {p:.3f} s (peak {rss(posture):.0f} MB; target < {TARGET_S} s) |")
            print(f"| scan, content detectors | {c:.3f} s |")
            print(f"| scan, every default detector | {f:.3f} s ({result['default_over_content']:.2f}×) |")
            if zizmor:
                print(f"| zizmor on .github/workflows | {med(zizmor):.3f} s |")
            print(f"\nwrote {out}")
            if errors:
                print("errors:", *errors, sep="\n")
                status = 1
            if p is None or p >= TARGET_S:
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

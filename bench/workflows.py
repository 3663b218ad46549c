#!/usr/bin/env python3
"""GitHub Actions workflow audits: keepopen against zizmor.

For each repository given (any clone, bare or not), the workflow files
`.github/workflows/*.yml|yaml` at a revision (default HEAD) are written with
`git show` into a temporary directory, never into the project. Then:

1. zizmor (bench/.venv, pinned by bench/setup.sh) audits every file once:
   `zizmor --offline --no-config --no-ignores --no-progress --format json FILE...`
   (offline audits only, no zizmor.yml, ignore comments not honoured — keepopen
   has none of those either; default "regular" persona);
2. keepopen audits the same files, copied into a scratch folder as
   `N/.github/workflows/NAME`: `keepopen scan SCRATCH --no-history --detectors
   workflows --format json`, its findings mapped back to JSON lines
   {"path", "audit", "line"} (or {"path", "error"} for a file it cannot read). `--keepopen-jsonl FILE` reads such lines from
   a file instead of running keepopen (paths relative to the extraction
   directory, `<repo label>/<file name>`, or absolute);
3. for the ten audits both tools have, every (file, audit) pair is a decision
   "flagged / not flagged" by each tool. File-level agreement = pairs where the
   decisions match ÷ all pairs. Where both flag, line agreement compares the
   sets of 1-based lines (zizmor: its primary locations' start rows + 1);
4. every difference is printed with the file's lines around each finding, so
   that a human can explain it; the results go to bench/results/workflows.json
   and a Markdown summary is printed. Target: >= 95% file-level agreement.

Stdlib only; run with any Python 3.11.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

# zizmor audit name -> keepopen audit id (the ten audits both tools have).
MAPPING = {
    "dangerous-triggers": "workflow-dangerous-triggers",
    "template-injection": "workflow-template-injection",
    "excessive-permissions": "workflow-excessive-permissions",
    "unpinned-uses": "workflow-unpinned-uses",
    "unpinned-images": "workflow-unpinned-images",
    "hardcoded-container-credentials": "workflow-hardcoded-container-credentials",
    "secrets-inherit": "workflow-secrets-inherit",
    "insecure-commands": "workflow-insecure-commands",
    "artipacked": "workflow-artipacked",
    "self-hosted-runner": "workflow-self-hosted-runner",
}
SHARED = list(MAPPING)  # compared under zizmor's names
BACK = {v: k for k, v in MAPPING.items()}

ZIZMOR_FLAGS = ["--offline", "--no-config", "--no-ignores", "--no-progress", "--format", "json"]
TARGET = 0.95
ACTIONS = False  # set by --actions


def zizmor_binary(override: str | None) -> Path:
    return Path(override) if override else benchlib.VENV / "bin" / "zizmor"


# --------------------------------------------------------------------------
# Gathering workflows


def extract(repo: str, rev: str, dest: Path) -> tuple[str, list[Path]]:
    """Writes REPO's workflow files at REV into dest/<label>/; returns them."""
    label = benchlib.repo_label(repo)
    r = subprocess.run(["git", "-C", repo, "ls-tree", "--name-only", rev, ".github/workflows/"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"warning: {repo}: git ls-tree failed: {r.stderr.strip()}", file=sys.stderr)
        return label, []
    names = [p for p in r.stdout.splitlines() if p.endswith((".yml", ".yaml"))]
    if ACTIONS:
        r = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", rev],
                           capture_output=True, text=True)
        skip = ("node_modules/", "vendor/", "third_party/")
        names += [p for p in r.stdout.splitlines()
                  if Path(p).name.lower() in ("action.yml", "action.yaml")
                  and not any(s in p for s in skip)]
    out = []
    for i, p in enumerate(names):
        blob = subprocess.run(["git", "-C", repo, "show", f"{rev}:{p}"],
                              capture_output=True, check=True).stdout
        name = Path(p).name
        f = dest / label / (f"actions/{i}/{name}" if name.lower().startswith("action.") else name)
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(blob)
        out.append(f)
    return label, out


# --------------------------------------------------------------------------
# Running the tools; both give {rel path: {zizmor audit: set(lines)}}


def run_zizmor(bin_: Path, files: list[Path], root: Path) -> tuple[dict, dict, dict, list, float, list[str]]:
    cmd = [str(bin_), *ZIZMOR_FLAGS, *[str(f.relative_to(root)) for f in files]]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    # Exit codes 10-14 mean "findings at severity N"; 0 none; anything else fails.
    if r.returncode not in (0, 10, 11, 12, 13, 14):
        sys.exit(f"zizmor failed ({r.returncode}): {r.stderr[-2000:]}")
    data = json.loads(r.stdout or "[]")
    shared: dict = collections.defaultdict(lambda: collections.defaultdict(set))
    spans: dict = collections.defaultdict(lambda: collections.defaultdict(set))
    other: collections.Counter = collections.Counter()
    for f in data:
        # With --no-ignores zizmor still marks findings under a
        # `# zizmor: ignore[...]` comment as "ignored"; keepopen does not read
        # those comments, so they count like any other finding.
        ident = f["ident"]
        prim = [l for l in f["locations"] if l["symbolic"]["kind"] == "Primary"] or f["locations"]
        key = prim[0]["symbolic"]["key"]
        path = (key.get("Local") or {}).get("verbatim_path") or (key.get("Local") or {}).get("given_path")
        if ident not in MAPPING:
            other[ident] += 1
            continue
        for l in prim:
            loc = l["concrete"]["location"]
            shared[path][ident].add(loc["start_point"]["row"] + 1)
            spans[path][ident].add((loc["start_point"]["row"] + 1, loc["end_point"]["row"] + 1))
    # Files zizmor skipped (syntax/schema errors) are named in its log.
    skipped = [line for line in r.stderr.splitlines() if "failed to load" in line or "skipping" in line.lower()]
    return shared, spans, dict(other), skipped, secs, cmd


def _norm(path: str, root: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.resolve().relative_to(root.resolve()))
        except ValueError:
            return path
    return path


def read_keepopen_jsonl(text: str, root: Path) -> tuple[dict, dict, dict]:
    shared: dict = collections.defaultdict(lambda: collections.defaultdict(set))
    unknown: collections.Counter = collections.Counter()
    errors: dict = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        obj = json.loads(line)
        path = _norm(obj["path"], root)
        if "error" in obj:
            errors[path] = obj["error"]
            continue
        z = BACK.get(obj["audit"])
        if z is None:
            unknown[obj["audit"]] += 1
            continue
        shared[path][z].add(int(obj["line"]))
    return shared, dict(unknown), errors


def run_keepopen(bin_: Path, files: list[Path], root: Path) -> tuple[str | None, float, list[str], str]:
    """Runs `keepopen scan --detectors workflows` over copies of the files
    laid out as `N/.github/workflows/NAME` in a scratch folder, and returns
    its findings as JSON lines `{"path","audit","line"}` (or `{"path","error"}`)
    against the original paths."""
    if not bin_.exists():
        return None, 0.0, [str(bin_)], f"{bin_} missing"
    scratch = Path(tempfile.mkdtemp(prefix="ko-workflows-"))
    back: dict[str, Path] = {}
    for i, f in enumerate(files):
        rel = f"{i}/{f.name}" if f.parent.parent.name == "actions" else f"{i}/.github/workflows/{f.name}"
        dest = scratch / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
        back[rel] = f
    out = scratch / "report.json"
    cmd = [str(bin_), "scan", str(scratch), "--no-history", "--detectors", "workflows",
           "--format", "json", "-o", str(out), "--no-progress"]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    try:
        if r.returncode not in (0, 1):
            return None, secs, cmd, f"exit {r.returncode}: {r.stderr.strip()[-500:]}"
        report = json.loads(out.read_text())
        lines = []
        for f in report.get("findings", []):
            orig = back.get(f["path"])
            if orig is not None:
                lines.append(json.dumps({"path": str(orig), "audit": f["rule"], "line": f["line"]}))
        for p in report.get("summary", {}).get("skipped", []):
            orig = back.get(p["subject"])
            if orig is not None:
                lines.append(json.dumps({"path": str(orig), "error": p["message"]}))
        return "\n".join(lines) + "\n", secs, cmd, ""
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------
# Comparing


def spans_match(spans: list, lines: list[int]) -> bool:
    """Every keepopen line lies in some zizmor span (start..end rows of its
    primary locations) and every span holds some keepopen line."""
    inside = lambda n, sp: sp[0] <= n <= sp[1]  # noqa: E731
    return (all(any(inside(n, sp) for sp in spans) for n in lines)
            and all(any(inside(n, sp) for n in lines) for sp in spans))


def compare(files: list[str], z: dict, zspans: dict, k: dict) -> dict:
    pairs = []
    for f in files:
        for a in SHARED:
            zl, kl = sorted(z.get(f, {}).get(a, ())), sorted(k.get(f, {}).get(a, ()))
            sp = sorted(zspans.get(f, {}).get(a, ()))
            pairs.append({"file": f, "audit": a, "zizmor": zl, "zizmor_spans": sp, "keepopen": kl,
                          "in_spans": bool(zl and kl) and spans_match(sp, kl)})
    per_audit = {}
    for a in SHARED:
        ps = [p for p in pairs if p["audit"] == a]
        both = [p for p in ps if p["zizmor"] and p["keepopen"]]
        per_audit[a] = {
            "pairs": len(ps),
            "zizmor_flags": sum(bool(p["zizmor"]) for p in ps),
            "keepopen_flags": sum(bool(p["keepopen"]) for p in ps),
            "both": len(both),
            "zizmor_only": sum(bool(p["zizmor"]) and not p["keepopen"] for p in ps),
            "keepopen_only": sum(bool(p["keepopen"]) and not p["zizmor"] for p in ps),
            "agree": sum(bool(p["zizmor"]) == bool(p["keepopen"]) for p in ps),
            "lines_equal": sum(p["zizmor"] == p["keepopen"] for p in both),
            "lines_in_spans": sum(p["zizmor"] == p["keepopen"] or p["in_spans"] for p in both),
            "zizmor_lines": sum(len(p["zizmor"]) for p in both),
            "keepopen_lines": sum(len(p["keepopen"]) for p in both),
            "common_lines": sum(len(set(p["zizmor"]) & set(p["keepopen"])) for p in both),
        }
    agree = sum(v["agree"] for v in per_audit.values())
    both = sum(v["both"] for v in per_audit.values())
    lines_equal = sum(v["lines_equal"] for v in per_audit.values())
    in_spans = sum(v["lines_in_spans"] for v in per_audit.values())
    return {
        "pairs": len(pairs),
        "agree": agree,
        "agreement": agree / len(pairs) if pairs else None,
        "both_flag": both,
        "line_sets_equal": lines_equal,
        "line_agreement": lines_equal / both if both else None,
        "line_sets_in_spans": in_spans,
        "span_agreement": in_spans / both if both else None,
        "per_audit": per_audit,
        "differences": [p for p in pairs if bool(p["zizmor"]) != bool(p["keepopen"])],
        "line_differences": [p for p in pairs
                             if p["zizmor"] and p["keepopen"] and p["zizmor"] != p["keepopen"]],
    }


def snippet(root: Path, rel: str, lines: list[int], ctx: int = 1, limit: int = 4) -> str:
    try:
        text = (root / rel).read_text(errors="replace").splitlines()
    except OSError:
        return "    (file unreadable)"
    out = []
    for n in lines[:limit]:
        for i in range(max(1, n - ctx), min(len(text), n + ctx) + 1):
            out.append(f"    {'>' if i == n else ' '}{i:5} | {text[i - 1]}")
        out.append("    ...")
    if len(lines) > limit:
        out.append(f"    ({len(lines) - limit} more lines)")
    return "\n".join(out)


def print_differences(cmp: dict, root: Path) -> None:
    if cmp["differences"]:
        print(f"\n## File-level differences ({len(cmp['differences'])})\n")
    for p in cmp["differences"]:
        who, lines = ("zizmor only", p["zizmor"]) if p["zizmor"] else ("keepopen only", p["keepopen"])
        print(f"- {p['file']} [{p['audit']}] {who}, lines {lines}")
        print(snippet(root, p["file"], lines))
    if cmp["line_differences"]:
        print(f"\n## Line differences where both flag ({len(cmp['line_differences'])})\n")
    for p in cmp["line_differences"]:
        zo = sorted(set(p["zizmor"]) - set(p["keepopen"]))
        ko = sorted(set(p["keepopen"]) - set(p["zizmor"]))
        span = " (keepopen's lines fall inside zizmor's spans)" if p["in_spans"] else ""
        print(f"- {p['file']} [{p['audit']}] zizmor {p['zizmor']} (spans {p['zizmor_spans']}) "
              f"keepopen {p['keepopen']}{span}")
        if zo:
            print("  zizmor only:")
            print(snippet(root, p["file"], zo, ctx=0))
        if ko:
            print("  keepopen only:")
            print(snippet(root, p["file"], ko, ctx=0))


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def print_summary(res: dict) -> None:
    cmp = res["comparison"]
    print("\n## Summary\n")
    print(f"{res['zizmor']['version']} · keepopen {res['keepopen']['version']} · "
          f"{len(res['repositories'])} repositories · {res['files']} workflow files · "
          f"{len(SHARED)} shared audits → {cmp['pairs']} (file, audit) pairs\n")
    print("| audit | zizmor files | keepopen files | both | zizmor only | keepopen only | agreement "
          "| line sets equal | lines in zizmor's spans |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for a, v in cmp["per_audit"].items():
        print(f"| {a} | {v['zizmor_flags']} | {v['keepopen_flags']} | {v['both']} | {v['zizmor_only']} "
              f"| {v['keepopen_only']} | {pct(v['agree'] / v['pairs'] if v['pairs'] else None)} "
              f"| {v['lines_equal']}/{v['both']} | {v['lines_in_spans']}/{v['both']} |")
    ok = cmp["agreement"] is not None and cmp["agreement"] >= TARGET
    print(f"| **all** | | | {cmp['both_flag']} | | | **{pct(cmp['agreement'])}** "
          f"({cmp['agree']}/{cmp['pairs']}) | {cmp['line_sets_equal']}/{cmp['both_flag']} "
          f"({pct(cmp['line_agreement'])}) | {cmp['line_sets_in_spans']}/{cmp['both_flag']} "
          f"({pct(cmp['span_agreement'])}) |")
    print(f"\nFile-level agreement {pct(cmp['agreement'])}: target ≥ {pct(TARGET)} "
          f"{'met' if ok else 'NOT met'}.")
    if res["zizmor"]["other_audits"]:
        print("zizmor audits keepopen does not have (not compared): "
              + ", ".join(f"{k} {v}" for k, v in sorted(res["zizmor"]["other_audits"].items())))
    if res["keepopen"]["errors"]:
        print(f"keepopen could not audit {len(res['keepopen']['errors'])} file(s): "
              + "; ".join(f"{k}: {v}" for k, v in res["keepopen"]["errors"].items()))
    if res["zizmor"]["skipped"]:
        print(f"zizmor skipped: {res['zizmor']['skipped']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repos", nargs="+", metavar="REPO")
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--actions", action="store_true",
                    help="also compare composite actions (action.yml anywhere outside node_modules/vendor)")
    ap.add_argument("--keepopen", help="keepopen binary (default: $KEEPOPEN or target/release/keepopen)")
    ap.add_argument("--keepopen-jsonl", help="read keepopen's JSON lines from this file instead of running it")
    ap.add_argument("--zizmor", help="zizmor binary (default bench/.venv/bin/zizmor)")
    ap.add_argument("--keep", help="write the workflows here (a new directory) and keep them")
    ap.add_argument("--out", default=str(benchlib.RESULTS / "workflows.json"))
    args = ap.parse_args()
    global ACTIONS
    ACTIONS = args.actions

    if args.keep:
        root = Path(args.keep)
        root.mkdir(parents=True, exist_ok=False)
        cleanup = None
    else:
        cleanup = tempfile.mkdtemp(prefix="keepopen-wf-")
        root = Path(cleanup)
    try:
        repos, files = [], []
        for repo in args.repos:
            label, fs = extract(repo, args.rev, root)
            head = subprocess.run(["git", "-C", repo, "rev-parse", args.rev],
                                  capture_output=True, text=True).stdout.strip()
            repos.append({"repo": label, "path": str(Path(repo).resolve()), "rev": head, "files": len(fs)})
            files += fs
            print(f"{label}: {len(fs)} workflow files at {head[:12]}", flush=True)
        rel = [str(f.relative_to(root)) for f in files]

        zbin = zizmor_binary(args.zizmor)
        if not zbin.exists():
            sys.exit(f"{zbin} missing: run bash bench/setup.sh")
        zver = subprocess.run([str(zbin), "--version"], capture_output=True, text=True).stdout.strip()
        z, zspans, zother, zskipped, zsecs, zcmd = run_zizmor(zbin, files, root)

        kbin = benchlib.keepopen_binary(args.keepopen)
        kcmd: list[str] = []
        ksecs = 0.0
        if args.keepopen_jsonl:
            ktext = Path(args.keepopen_jsonl).read_text()
            kver = f"JSON lines from {args.keepopen_jsonl}"
        else:
            ktext, ksecs, kcmd, why = run_keepopen(kbin, files, root)
            if ktext is None:
                sys.exit(f"keepopen scan --detectors workflows could not run: {why}\n"
                         f"(use --keepopen PATH, or --keepopen-jsonl FILE with its output)")
            r = subprocess.run([str(kbin), "--version"], capture_output=True, text=True)
            kver = (r.stdout or r.stderr).strip().splitlines()[0] if (r.stdout or r.stderr).strip() else "unknown"
        k, kunknown, kerrors = read_keepopen_jsonl(ktext, root)
        stray = sorted(set(k) - set(rel))
        if stray:
            print(f"warning: keepopen reported paths that are not extracted files: {stray[:5]}", file=sys.stderr)

        cmp = compare(rel, z, zspans, k)
        print_differences(cmp, root)
        res = {
            "machine": benchlib.machine_info(),
            "repositories": repos,
            "files": len(rel),
            "mapping": MAPPING,
            "zizmor": {"version": zver, "cmd": [zcmd[0], *ZIZMOR_FLAGS, "FILE..."], "seconds": zsecs,
                       "other_audits": zother, "skipped": zskipped},
            "keepopen": {"version": kver, "cmd": kcmd[:2] + ["FILE..."] if kcmd else None,
                         "jsonl": args.keepopen_jsonl, "seconds": ksecs,
                         "other_audits": kunknown, "errors": kerrors},
            "comparison": cmp,
        }
        print_summary(res)
        benchlib.write_json(Path(args.out), res)
        print(f"\nwrote {args.out}")
        return 0 if cmp["agreement"] is not None and cmp["agreement"] >= TARGET else 1
    finally:
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

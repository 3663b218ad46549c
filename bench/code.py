#!/usr/bin/env python3
"""Insecure code patterns: keepopen's `code` detector against Semgrep and
Bandit, on the same files, for findings and for speed.

    python3 bench/code.py [--runs 3] [--timeout 1800] [--keepopen PATH]
                          [--extras FILE] [--json FILE] [--no-bandit] REPO...

For each repository (a bare or non-bare clone):

1. exports HEAD into a temporary folder under /tmp (`git archive HEAD | tar
   -x`), outside the project, and writes a `.semgrepignore` there naming
   keepopen's vendored folders (node_modules, vendor, …; Semgrep's built-in
   default would also skip tests/, build/ and dist/, which keepopen reads);
   Bandit gets the same folders with -x;
2. warms the page cache with one untimed run of each tool, then, round-robin
   for each run, times under `/usr/bin/time -f '%e %M'`:
   - `keepopen scan --detectors code --no-history --no-progress -f json`,
   - `semgrep scan --config bench/semgrep/ --json --metrics=off
     --disable-version-check --max-target-bytes 1048576` (keepopen's 1 MiB
     limit; offline: the rules are local, the registry is not used),
   - `bandit -r -f json -q` (Python files only);
3. maps every finding to one of keepopen's rule classes (Semgrep: the rule's
   `metadata.keepopen`; Bandit: its test id, see BANDIT), drops the rest,
   and compares per class and file: two findings are the same when their
   lines are at most 2 apart. Keepopen is compared with Bandit on Python
   files and the classes Bandit has only;
4. prints, per repository, findings per tool, overlap and extras, then every
   repository on one speed table (medians, Semgrep/keepopen ratio, target
   >= 10x) with the worst named; writes every extra (the findings one tool
   has and keepopen has not, and the reverse) with its line of code to the
   extras file for review.

The Semgrep rules (bench/semgrep/*.yml) are equivalents of keepopen's rules
(crates/keepopen-code/rules/*.yml): same sinks, same languages where
Semgrep reads them (Python, JavaScript/TypeScript, PHP, C#, Java, Go; R is not
supported by Semgrep, so keepopen's R findings are counted apart). Where
keepopen follows a value (`flows:`) they are taint rules: the sources are a
non-constant part of a built string (`"…" + x`, `%`, `.format`, f-strings,
template literals, PHP `.` and `"…$x…"`, `sprintf`, `fmt.Sprintf`, …) less
keepopen's sanitisers, plus keepopen's request/argv sources; with `from:
input` only the latter. Semgrep carries taint through any call, keepopen
only through calls that build strings: that, and Semgrep's inter-statement
taint, are where they differ by design.

Stdlib only; Semgrep and Bandit come from bench/setup.sh (bench/.venv).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

RULES_DIR = bl.BENCH / "semgrep"
SPEED_TARGET = 10.0  # keepopen at least this many times faster than Semgrep
NEAR = 2  # lines apart that still count as the same finding

# keepopen's vendored folders (crates/keepopen-findings/src/vendored.rs):
# the code detector does not read them, so neither do the peers.
VENDORED = ["node_modules", "bower_components", "vendor", "third_party", ".venv", "venv",
            "site-packages"]

# Bandit test id -> keepopen rule class. Only these count.
BANDIT = {
    "B608": "code-sql-injection",          # hardcoded_sql_expressions
    "B602": "code-command-injection",      # subprocess_popen_with_shell_equals_true
    "B604": "code-command-injection",      # any_other_function_with_shell_equals_true
    "B605": "code-command-injection",      # start_process_with_a_shell
    "B607": "code-command-injection",      # start_process_with_partial_path
    "B307": "code-eval-injection",         # eval
    "B102": "code-eval-injection",         # exec_used
    "B301": "code-unsafe-deserialisation", # pickle
    "B302": "code-unsafe-deserialisation", # marshal
    "B403": "code-unsafe-deserialisation", # import_pickle
    "B506": "code-unsafe-deserialisation", # yaml_load
    "B501": "code-tls-verification-off",   # request_with_no_cert_validation
    "B323": "code-tls-verification-off",   # unverified_context
    "B303": "code-weak-password-hash",     # md5 (old blacklist)
    "B324": "code-weak-password-hash",     # hashlib insecure hash functions
    "B311": "code-insecure-random-token",  # random
    "B201": "code-debug-in-production",    # flask_debug_true
    "B308": "code-xss-sink",               # mark_safe
    "B703": "code-xss-sink",               # django_mark_safe
    "B704": "code-xss-sink",               # markupsafe_markup_xss
}
BANDIT_CLASSES = sorted(set(BANDIT.values()))

CODE_EXT = {"py": "python", "pyw": "python", "js": "javascript", "mjs": "javascript",
            "cjs": "javascript", "jsx": "javascript", "ts": "typescript", "mts": "typescript",
            "cts": "typescript", "tsx": "tsx", "php": "php", "phtml": "php", "r": "r",
            "cs": "csharp", "java": "java", "go": "go"}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repos", nargs="+", metavar="REPO", help="path to a git clone (bare or not)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each tool (default 3)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per tool run (default 1800)")
    ap.add_argument("--keepopen", default=None,
                    help="keepopen binary (default $KEEPOPEN or target/release/keepopen)")
    ap.add_argument("--semgrep", default=str(bl.VENV / "bin" / "semgrep"))
    ap.add_argument("--bandit", default=str(bl.VENV / "bin" / "bandit"))
    ap.add_argument("--no-bandit", action="store_true", help="do not run Bandit")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="Semgrep -j (default: one per core, as keepopen's threads)")
    ap.add_argument("--extras", default=str(bl.RESULTS / "code-extras.json"),
                    help="where the extras of each tool go (JSON)")
    ap.add_argument("--json", default=str(bl.RESULTS / "code.json"), help="every run, as JSON")
    return ap.parse_args(argv)


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def lang_of(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return None
    return CODE_EXT.get(name.rsplit(".", 1)[1].lower())


def export_head(repo: Path, label: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-code-{label}-", dir="/tmp"))
    archive = subprocess.Popen(["git", "-C", str(repo), "archive", "HEAD"], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(tmp)], stdin=archive.stdout, check=True)
    archive.stdout.close()
    if archive.wait() != 0:
        raise RuntimeError(f"git archive HEAD failed in {repo}")
    # Replaces any .semgrepignore of the repository's own: scan what keepopen scans.
    (tmp / ".semgrepignore").write_text(
        "# bench/code.py: keepopen's vendored folders, nothing else\n"
        + "".join(f"{d}/\n" for d in VENDORED) + "*.min.js\n")
    return tmp


def count_tree(tmp: Path) -> dict:
    by_lang: dict[str, int] = defaultdict(int)
    for dp, dns, fns in os.walk(tmp):
        dns[:] = [d for d in dns if d not in VENDORED and d != ".git"]
        for f in fns:
            lg = lang_of(f)
            if lg:
                by_lang[lg] += 1
    return dict(sorted(by_lang.items()))


# --------------------------------------------------------------------------
# Commands and reports


def keepopen_cmd(b: str, tmp: Path, out: Path) -> list[str]:
    return [b, "scan", "--detectors", "code", "--no-history", "--no-progress",
            "-f", "json", "-o", str(out), str(tmp)]


def semgrep_cmd(b: str, tmp: Path, out: Path, jobs: int) -> list[str]:
    return [b, "scan", "--config", str(RULES_DIR), "--json", "--metrics=off",
            "--disable-version-check", "--quiet", "--max-target-bytes", "1048576",
            "-j", str(jobs), "--output", str(out), str(tmp)]


def bandit_cmd(b: str, tmp: Path, out: Path) -> list[str]:
    excl = ",".join(f"*/{d}/*" for d in VENDORED)
    return [b, "-r", str(tmp), "-f", "json", "-q", "-x", excl, "-o", str(out)]


def rel(path: str, tmp: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.relative_to(tmp))
        except ValueError:
            return path
    return path


def read_keepopen(out: Path, tmp: Path) -> tuple[list[dict], dict]:
    d = json.loads(out.read_text())
    fs = [{"class": f["rule"], "path": rel(f["path"], tmp), "line": f["line"],
           "rule": f["rule"], "severity": f.get("severity"), "confidence": f.get("confidence"),
           "path_context": f.get("path_context"), "detail": f.get("detail")}
          for f in d["findings"] if f.get("category") == "code"]
    return fs, d.get("summary", {})


def read_semgrep(out: Path, tmp: Path) -> tuple[list[dict], dict]:
    d = json.loads(out.read_text())
    fs = []
    for r in d.get("results", []):
        cls = (r.get("extra", {}).get("metadata") or {}).get("keepopen")
        if not cls:
            continue
        fs.append({"class": cls, "path": rel(r["path"], tmp), "line": r["start"]["line"],
                   "rule": r["check_id"].rsplit(".", 1)[-1]})
    info = {"scanned": len(d.get("paths", {}).get("scanned", [])),
            "errors": len(d.get("errors", [])),
            "error_kinds": sorted({e.get("type", "?") if isinstance(e.get("type"), str)
                                   else str(e.get("type")) for e in d.get("errors", [])})}
    return fs, info


def read_bandit(out: Path, tmp: Path) -> tuple[list[dict], dict]:
    d = json.loads(out.read_text())
    fs = []
    for r in d.get("results", []):
        cls = BANDIT.get(r["test_id"])
        if not cls:
            continue
        fs.append({"class": cls, "path": rel(r["filename"], tmp), "line": r["line_number"],
                   "rule": f"{r['test_id']} {r['test_name']}", "severity": r.get("issue_severity"),
                   "confidence": r.get("issue_confidence")})
    info = {"scanned": len(d.get("metrics", {})) - 1 if d.get("metrics") else None,
            "errors": len(d.get("errors", []))}
    return fs, info


def dedupe(fs: list[dict]) -> list[dict]:
    seen, out = set(), []
    for f in sorted(fs, key=lambda f: (f["class"], f["path"], f["line"])):
        k = (f["class"], f["path"], f["line"])
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def near(f: dict, others: dict) -> bool:
    return any(abs(f["line"] - l) <= NEAR for l in others.get((f["class"], f["path"]), ()))


def compare(ko: list[dict], peer: list[dict]) -> dict:
    ko_idx, peer_idx = defaultdict(list), defaultdict(list)
    for f in ko:
        ko_idx[(f["class"], f["path"])].append(f["line"])
    for f in peer:
        peer_idx[(f["class"], f["path"])].append(f["line"])
    both = [f for f in ko if near(f, peer_idx)]
    ko_only = [f for f in ko if not near(f, peer_idx)]
    peer_only = [f for f in peer if not near(f, ko_idx)]
    per_class: dict[str, dict] = defaultdict(lambda: {"keepopen": 0, "peer": 0, "both": 0})
    for f in ko:
        per_class[f["class"]]["keepopen"] += 1
    for f in peer:
        per_class[f["class"]]["peer"] += 1
    for f in both:
        per_class[f["class"]]["both"] += 1
    return {"keepopen": len(ko), "peer": len(peer), "both": len(both),
            "keepopen_only": ko_only, "peer_only": peer_only, "per_class": dict(per_class)}


def with_code(fs: list[dict], tmp: Path) -> list[dict]:
    cache: dict[str, list[str]] = {}
    out = []
    for f in fs:
        if f["path"] not in cache:
            try:
                cache[f["path"]] = (tmp / f["path"]).read_text(errors="replace").splitlines()
            except OSError:
                cache[f["path"]] = []
        lines = cache[f["path"]]
        code = lines[f["line"] - 1].strip()[:240] if 0 < f["line"] <= len(lines) else ""
        out.append({**f, "code": code})
    return out


# --------------------------------------------------------------------------
# One repository


def bench_repo(repo: Path, args, tools: dict) -> dict:
    label = bl.repo_label(repo)
    print(f"\n## {label}\n", flush=True)
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    tmp = export_head(repo, label)
    work = Path(tempfile.mkdtemp(prefix=f"bench-code-out-{label}-", dir="/tmp"))
    result: dict = {"repo": label, "path": str(repo), "head": head, "files": count_tree(tmp),
                    "tools": {}, "loadavg_start": os.getloadavg()}
    print(f"HEAD {head[:12]} exported to {tmp}; code files by language: {result['files']}", flush=True)
    try:
        cmds = {}
        for name, t in tools.items():
            out = work / f"{name}.json"
            cmds[name] = (t["cmd"](tmp, out), out, t["ok"])
            result["tools"][name] = {"cmd": " ".join(map(str, cmds[name][0])), "runs": []}
        print("warm-up …", flush=True)
        for name, (cmd, out, ok) in cmds.items():
            bl.measure(cmd, timeout=args.timeout, ok_rcs=ok)
        for i in range(args.runs):
            for name, (cmd, out, ok) in cmds.items():
                entry = result["tools"][name]
                if entry.get("status") in ("timeout", "failed"):
                    continue
                if out.exists():
                    out.unlink()
                r = bl.measure(cmd, timeout=args.timeout, ok_rcs=ok)
                entry["runs"].append({"wall": r.wall, "rss_mb": r.rss_mb, "rc": r.rc,
                                      "timed_out": r.timed_out})
                if r.timed_out:
                    entry["status"] = "timeout"
                elif r.rc not in ok or not out.exists():
                    entry["status"] = "failed"
                    entry["error"] = r.error
                print(f"run {i + 1}: {name} {fmt(r.wall, '.2f')} s, {fmt(r.rss_mb, '.0f')} MB, "
                      f"exit {r.rc}{' TIMEOUT' if r.timed_out else ''}", flush=True)
                if r.error and entry.get("status"):
                    print("    " + r.error[-600:].replace("\n", "\n    "), flush=True)
        # Findings, from the last run of each tool.
        found: dict[str, list[dict]] = {}
        for name, (cmd, out, ok) in cmds.items():
            entry = result["tools"][name]
            entry.setdefault("status", "ok")
            walls = [r["wall"] for r in entry["runs"] if r["wall"] is not None]
            entry["median_s"] = bl.median(walls) if entry["status"] == "ok" else None
            entry["peak_mb"] = max((r["rss_mb"] for r in entry["runs"] if r["rss_mb"]), default=None)
            if entry["status"] != "ok":
                continue
            fs, info = tools[name]["read"](out, tmp)
            entry["info"] = info
            found[name] = dedupe(fs)
        result["compare"] = {}
        extras: dict = {}
        ko = found.get("keepopen")
        if ko is not None:
            ko_cmp = [f for f in ko if lang_of(f["path"]) != "r"]
            result["keepopen_r_findings"] = len(ko) - len(ko_cmp)
            for peer in ("semgrep", "bandit"):
                if peer not in found:
                    continue
                if peer == "bandit":
                    mine = [f for f in ko_cmp if lang_of(f["path"]) == "python"
                            and f["class"] in BANDIT_CLASSES]
                else:
                    mine = ko_cmp
                c = compare(mine, found[peer])
                extras[f"{peer}_only"] = with_code(c.pop("peer_only"), tmp)
                extras[f"keepopen_only_vs_{peer}"] = with_code(c.pop("keepopen_only"), tmp)
                c["peer_only"] = len(extras[f"{peer}_only"])
                c["keepopen_only"] = len(extras[f"keepopen_only_vs_{peer}"])
                result["compare"][peer] = c
        result["extras"] = extras
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    result["loadavg_end"] = os.getloadavg()
    print_repo(result)
    return result


def print_repo(result: dict) -> None:
    t = result["tools"]
    print()
    print("| tool | median s | peak MB | files scanned | findings (in keepopen's classes) | status |")
    print("|---|---:|---:|---:|---:|---|")
    for name, e in t.items():
        info = e.get("info", {})
        scanned = info.get("scanned", info.get("files_scanned"))
        n = None
        if name == "keepopen" and "compare" in result:
            n = (result["compare"].get("semgrep") or {}).get("keepopen")
        elif name in result.get("compare", {}):
            n = result["compare"][name]["peer"]
        print(f"| {name} | {fmt(e.get('median_s'), '.2f')} | {fmt(e.get('peak_mb'), '.0f')} | "
              f"{fmt(scanned, 'd')} | {fmt(n, 'd')} | {e.get('status')} |")
    if result.get("keepopen_r_findings"):
        print(f"\nkeepopen findings in R files (no Semgrep/Bandit counterpart): "
              f"{result['keepopen_r_findings']}")
    for peer, c in result.get("compare", {}).items():
        scope = "Python files, Bandit's classes" if peer == "bandit" else "all languages but R"
        print(f"\nkeepopen vs {peer} ({scope}; same class, same file, lines ±{NEAR}): "
              f"keepopen {c['keepopen']}, {peer} {c['peer']}, both {c['both']} "
              f"(of keepopen's), keepopen only {c['keepopen_only']}, {peer} only {c['peer_only']}")
        print("\n| class | keepopen | " + peer + " | both |")
        print("|---|---:|---:|---:|")
        for cls, v in sorted(c["per_class"].items()):
            print(f"| {cls} | {v['keepopen']} | {v['peer']} | {v['both']} |")


def print_summary(results: list[dict]) -> None:
    """Every repository on one table, and the worst one."""
    print("\n## every repository\n")
    print("| repository | code files | keepopen s | keepopen MB | semgrep s | semgrep MB | "
          "semgrep / keepopen | bandit s | bandit / keepopen | keepopen | semgrep | both | "
          "semgrep only | bandit | both (bandit) | bandit only |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for r in results:
        t = r["tools"]
        k, s, b = t.get("keepopen", {}), t.get("semgrep", {}), t.get("bandit", {})
        ratio = (s["median_s"] / k["median_s"] if s.get("median_s") and k.get("median_s") else None)
        bratio = (b["median_s"] / k["median_s"] if b.get("median_s") and k.get("median_s") else None)
        r["ratio"], r["bandit_ratio"] = ratio, bratio
        cs, cb = r.get("compare", {}).get("semgrep", {}), r.get("compare", {}).get("bandit", {})
        print(f"| {r['repo']} | {sum(r['files'].values())} | {fmt(k.get('median_s'), '.2f')} | "
              f"{fmt(k.get('peak_mb'), '.0f')} | {fmt(s.get('median_s'), '.2f')} | "
              f"{fmt(s.get('peak_mb'), '.0f')} | {fmt(ratio, '.1f')} | {fmt(b.get('median_s'), '.2f')} | "
              f"{fmt(bratio, '.1f')} | {fmt(cs.get('keepopen'), 'd')} | {fmt(cs.get('peer'), 'd')} | "
              f"{fmt(cs.get('both'), 'd')} | {fmt(cs.get('peer_only'), 'd')} | "
              f"{fmt(cb.get('peer'), 'd')} | {fmt(cb.get('both'), 'd')} | {fmt(cb.get('peer_only'), 'd')} |")
        if ratio is not None:
            rows.append(r)
    if rows:
        worst = min(rows, key=lambda r: r["ratio"])
        met = sum(1 for r in rows if r["ratio"] >= SPEED_TARGET)
        print(f"\nworst: {worst['repo']}, where keepopen is {worst['ratio']:.1f}x faster than Semgrep "
              f"(target >= {SPEED_TARGET:.0f}x: met on {met} of {len(rows)} repositories)")


def main(argv=None) -> int:
    args = parse_args(argv)
    bl.ensure_gnu_time()
    ko = str(bl.keepopen_binary(args.keepopen))
    tools = {
        "keepopen": {"cmd": lambda tmp, out: keepopen_cmd(ko, tmp, out), "read": read_keepopen,
                     "ok": (0, 1)},
        "semgrep": {"cmd": lambda tmp, out: semgrep_cmd(args.semgrep, tmp, out, args.jobs),
                    "read": read_semgrep, "ok": (0, 1)},
    }
    if not args.no_bandit:
        tools["bandit"] = {"cmd": lambda tmp, out: bandit_cmd(args.bandit, tmp, out),
                           "read": read_bandit, "ok": (0, 1)}
    for name, path in (("keepopen", ko), ("semgrep", args.semgrep), ("bandit", args.bandit)):
        if name in tools and not Path(path).exists():
            print(f"error: {name} not found at {path} (bench/setup.sh installs the peers)",
                  file=sys.stderr)
            return 2
    versions = {
        "keepopen": subprocess.run([ko, "--version"], capture_output=True, text=True).stdout.strip(),
        "semgrep": subprocess.run([args.semgrep, "--version", "--disable-version-check"],
                                  capture_output=True, text=True).stdout.strip(),
    }
    if "bandit" in tools:
        versions["bandit"] = subprocess.run([args.bandit, "--version"], capture_output=True,
                                            text=True).stdout.splitlines()[0]
    print(f"versions: {versions}; {os.cpu_count()} cores; semgrep -j {args.jobs}; "
          f"median of {args.runs} runs after one warm-up", flush=True)
    results = []
    for repo in args.repos:
        p = Path(repo)
        if not p.exists():
            print(f"error: {repo} does not exist", file=sys.stderr)
            return 2
        results.append(bench_repo(p.resolve(), args, tools))
    print_summary(results)
    extras = {r["repo"]: {"head": r["head"], **r.get("extras", {})} for r in results}
    bl.write_json(Path(args.extras), extras)
    bl.write_json(Path(args.json), {"versions": versions, "machine": bl.machine_info(),
                                    "runs": args.runs,
                                    "results": [{k: v for k, v in r.items() if k != "extras"}
                                                for r in results]})
    print(f"\nwrote {args.extras} and {args.json}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

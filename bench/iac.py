#!/usr/bin/env python3
"""Infrastructure as code: keepopen's exposure rules against checkov, on the
same files and the same rule classes, for findings and for speed.

    python3 bench/iac.py [--runs 3] [--timeout 1800] [--keepopen PATH]
                         [--checkov PATH] [--extras FILE] [--json FILE] REPO...

For each repository (a bare or non-bare clone):

1. exports HEAD into a temporary folder under /tmp (`git archive HEAD | tar
   -x`; blob by blob, without the missing ones, from a partial mirror),
   outside the project, and counts the infrastructure files there
   (Terraform `.tf`, Dockerfiles, Kubernetes manifests: YAML with top-level
   `apiVersion:` and `kind:`);
2. warms the page cache with one untimed run of each tool, then, round-robin
   for each run, times under `/usr/bin/time -f '%e %M'`:
   - `keepopen scan --detectors code,exposure --no-history --no-progress -f
     json` (`--detectors code` when the binary has no `exposure` detector:
     the exposure rules then run inside the code detector); keepopen's
     infrastructure findings are those of category `exposure`;
   - `checkov -d DIR --framework terraform,dockerfile,kubernetes -o json
     --quiet --compact --skip-download` (offline: no platform, no download
     of external modules);
3. maps checkov's check ids to keepopen's rule ids through the `checkov:`
   lists of crates/keepopen-code/rules/*.yml (and of
   crates/keepopen-exposure/rules*.yml where that exists), read at run time;
   failed checks of unmapped ids are only counted ("other checkov checks"),
   and so are those of a mapped class that the binary does not have yet
   (`keepopen rules list`), so that rules still being written are not
   counted as keepopen's misses.
   checkov reports a resource (file_line_range), keepopen an attribute or a
   block (line): the failed checks of one class on one resource are one
   checkov finding, and a keepopen finding is the same finding when it is
   in the same class and file and its line is inside that range;
4. prints, per repository, files, findings per tool in the mapped classes,
   overlap and extras, then every repository on one speed table (medians,
   checkov/keepopen ratio) with the worst named; writes every extra (what one
   tool has and the other has not) with its lines of code to the extras file
   for review.

keepopen's timed run is its whole code detector (all languages), since the
exposure rules ride along with it; checkov reads only its three frameworks.

Stdlib only; checkov comes from bench/setup.sh (bench/.venv-checkov, a venv of
its own: its pins conflict with bench/.venv).
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
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

CHECKOV_VENV = bl.BENCH / ".venv-checkov"
FRAMEWORKS = "terraform,dockerfile,kubernetes"
RULE_FILES = ["crates/keepopen-code/rules/*.yml", "crates/keepopen-exposure/rules*.yml",
              "crates/keepopen-exposure/rules*/*.yml"]
CODE_LINES_MAX = 40  # lines of a resource written to the extras file
# Folders neither tool should count as the project's own (checkov skips
# these by default, keepopen skips vendored folders).
SKIP_DIRS = {".git", "node_modules", ".terraform", ".serverless", "vendor", "third_party"}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repos", nargs="+", metavar="REPO", help="path to a git clone (bare or not)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each tool (default 3)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per tool run (default 1800)")
    ap.add_argument("--keepopen", default=None,
                    help="keepopen binary (default $KEEPOPEN or target/release/keepopen)")
    ap.add_argument("--checkov", default=str(CHECKOV_VENV / "bin" / "checkov"))
    ap.add_argument("--extras", default=str(bl.RESULTS / "iac-extras.json"),
                    help="where the extras of each tool go (JSON)")
    ap.add_argument("--json", default=str(bl.RESULTS / "iac.json"), help="every run, as JSON")
    return ap.parse_args(argv)


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


# --------------------------------------------------------------------------
# The map from checkov check ids to keepopen rule ids


def _yaml_list(text: str, key: str) -> list[str] | None:
    """The first `key: [A, B]`, or `key:` followed by `- A` lines."""
    inline = re.search(rf"^[ \t]*{key}:[ \t]*\[([^\]]*)\]", text, re.M)
    block = re.search(rf"^[ \t]*{key}:[ \t]*\n((?:[ \t]*-[^\n]*\n?)+)", text, re.M)
    if inline and (not block or inline.start() < block.start()):
        return [x.strip().strip("'\"") for x in inline.group(1).split(",") if x.strip()]
    if block:
        return [x.strip()[1:].strip().strip("'\"") for x in block.group(1).splitlines() if x.strip()]
    return None


def checkov_map(root: Path = bl.ROOT) -> tuple[dict[str, str], dict[str, str]]:
    """check id -> keepopen rule id, and rule id -> the file it came from.
    A file holds one rule (`id:` at the top) or a list of them (`- id:`
    items): each `checkov:` list belongs to the `id:` before it."""
    ids: dict[str, str] = {}
    sources: dict[str, str] = {}
    for pattern in RULE_FILES:
        for f in sorted(root.glob(pattern)):
            text = f.read_text(encoding="utf-8")
            heads = list(re.finditer(r"^(?:[ \t]*-[ \t]+|[ \t]*)id:[ \t]*['\"]?([\w.-]+)",
                                     text, re.M))
            for i, m in enumerate(heads):
                end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
                checks = _yaml_list(text[m.end():end], "checkov")
                if not checks:
                    continue
                rule = m.group(1)
                sources[rule] = str(f.relative_to(root))
                for c in checks:
                    ids[c] = rule
    return ids, sources


# --------------------------------------------------------------------------
# The exported tree


def export_head(repo: Path, label: str) -> tuple[Path, int]:
    """HEAD's tree in a new folder under /tmp, and how many of its blobs were
    missing. `git archive HEAD | tar -x`; where that fails (a partial mirror
    lacks some blobs), the tree is written blob by blob, without the missing
    ones."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-iac-{label}-", dir="/tmp"))
    archive = subprocess.Popen(["git", "-C", str(repo), "archive", "HEAD"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    tar = subprocess.run(["tar", "-x", "-C", str(tmp)], stdin=archive.stdout,
                         stderr=subprocess.DEVNULL)
    archive.stdout.close()
    if archive.wait() == 0 and tar.returncode == 0:
        return tmp, 0
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp, export_blobs(repo, tmp)


def export_blobs(repo: Path, tmp: Path) -> int:
    ls = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "-z", "HEAD"],
                        capture_output=True, check=True).stdout
    entries = []
    for rec in ls.split(b"\0"):
        if not rec:
            continue
        meta, _, path = rec.partition(b"\t")
        mode, typ, oid = meta.split()
        if typ == b"blob":
            entries.append((mode, oid.decode(), os.fsdecode(path)))
    env = {**os.environ, "GIT_NO_LAZY_FETCH": "1"}  # never reach for a promisor remote
    missing = 0
    with subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, env=env) as p:
        for mode, oid, path in entries:
            p.stdin.write(oid.encode() + b"\n")
            p.stdin.flush()
            header = p.stdout.readline().split()
            if len(header) < 3 or header[1] != b"blob":
                missing += 1
                continue
            data = p.stdout.read(int(header[2]))
            p.stdout.read(1)  # the newline after the content
            dest = tmp / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            if mode == b"120000":
                try:
                    os.symlink(os.fsdecode(data), dest)
                except OSError:
                    pass
            else:
                dest.write_bytes(data)
        p.stdin.close()
    return missing


def is_dockerfile(name: str) -> bool:
    n = name.lower()
    return n == "dockerfile" or n.startswith("dockerfile.") or n.endswith(".dockerfile")


def is_k8s(path: Path) -> bool:
    try:
        head = path.read_text(errors="replace")[:20000]
    except OSError:
        return False
    return bool(re.search(r"^apiVersion:", head, re.M) and re.search(r"^kind:", head, re.M))


def count_iac(tmp: Path) -> dict[str, int]:
    n = {"terraform": 0, "dockerfile": 0, "kubernetes": 0}
    for dp, dns, fns in os.walk(tmp):
        dns[:] = [d for d in dns if d not in SKIP_DIRS]
        for f in fns:
            if f.endswith(".tf"):
                n["terraform"] += 1
            elif is_dockerfile(f):
                n["dockerfile"] += 1
            elif f.endswith((".yml", ".yaml")) and is_k8s(Path(dp) / f):
                n["kubernetes"] += 1
    return n


def rel(path: str, tmp: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.relative_to(tmp))
        except ValueError:
            return path.lstrip("/")
    return path


# --------------------------------------------------------------------------
# Commands and reports


def keepopen_has_exposure(b: str) -> bool:
    r = subprocess.run([b, "scan", "--help"], capture_output=True, text=True)
    return bool(re.search(r"^\s*-\s*exposure:", r.stdout, re.M))


def keepopen_rules(b: str) -> set[str]:
    """The rule ids this keepopen binary has (`keepopen rules list`)."""
    r = subprocess.run([b, "rules", "list", "--format", "json"], capture_output=True, text=True)
    try:
        return {x["id"] for x in json.loads(r.stdout)}
    except (json.JSONDecodeError, KeyError, TypeError):
        return set()


def keepopen_cmd(b: str, detectors: str, tmp: Path, out: Path) -> list[str]:
    return [b, "scan", "--detectors", detectors, "--no-history", "--no-progress",
            "-f", "json", "-o", str(out), str(tmp)]


def checkov_cmd(b: str, tmp: Path) -> list[str]:
    return [b, "-d", str(tmp), "--framework", FRAMEWORKS, "-o", "json", "--quiet", "--compact",
            "--skip-download"]


def read_keepopen(out: Path, tmp: Path, mapped: set[str]) -> tuple[list[dict], dict]:
    d = json.loads(out.read_text())
    fs, unmapped = [], Counter()
    for f in d["findings"]:
        if f.get("category") != "exposure":
            continue
        if f["rule"] not in mapped:
            unmapped[f["rule"]] += 1  # an exposure rule with no checkov: list
            continue
        fs.append({"class": f["rule"], "path": rel(f["path"], tmp), "line": f["line"],
                   "rule": f["rule"], "severity": f.get("severity"),
                   "confidence": f.get("confidence"), "detail": f.get("detail")})
    info = {"files_scanned": d.get("summary", {}).get("files_scanned"),
            "exposure_unmapped": dict(unmapped)}
    return dedupe_ko(fs), info


def read_checkov(out: Path, tmp: Path, cmap: dict[str, str]) -> tuple[list[dict], dict]:
    text = out.read_text().strip()
    d = json.loads(text) if text else []
    reports = d if isinstance(d, list) else [d]
    units: dict[tuple, dict] = {}
    other: Counter = Counter()
    files: set[str] = set()
    resources = 0
    parse_errors = 0
    for r in reports:
        if "results" not in r:  # an empty run prints the bare summary
            continue
        ctype = r.get("check_type", "?")
        resources += (r.get("summary") or {}).get("resource_count", 0) or 0
        parse_errors += (r.get("summary") or {}).get("parsing_errors", 0) or 0
        res = r["results"]
        for c in res.get("passed_checks", []) + res.get("failed_checks", []):
            files.add(rel(c.get("file_abs_path") or c["file_path"], tmp))
        for c in res.get("failed_checks", []):
            cls = cmap.get(c["check_id"])
            if not cls:
                other[f"{ctype} {c['check_id']}"] += 1
                continue
            path = rel(c.get("file_abs_path") or c["file_path"], tmp)
            a, b = (c.get("file_line_range") or [0, 0])[:2]
            k = (cls, path, a, b)
            u = units.setdefault(k, {"class": cls, "path": path, "line": a, "end": b,
                                     "resource": c.get("resource"), "checks": []})
            if c["check_id"] not in u["checks"]:
                u["checks"].append(c["check_id"])
    info = {"files_with_results": len(files), "resources": resources,
            "parsing_errors": parse_errors, "other_checks": sum(other.values()),
            "other_by_check": dict(other.most_common())}
    return sorted(units.values(), key=lambda u: (u["class"], u["path"], u["line"])), info


def dedupe_ko(fs: list[dict]) -> list[dict]:
    seen, out = set(), []
    for f in sorted(fs, key=lambda f: (f["class"], f["path"], f["line"])):
        k = (f["class"], f["path"], f["line"])
        if k not in seen:
            seen.add(k)
            out.append(f)
    return out


def inside(f: dict, u: dict) -> bool:
    return f["class"] == u["class"] and f["path"] == u["path"] and u["line"] <= f["line"] <= u["end"]


def compare(ko: list[dict], ck: list[dict]) -> dict:
    by_file: dict[tuple, list[dict]] = defaultdict(list)
    for u in ck:
        by_file[(u["class"], u["path"])].append(u)
    ko_both, ko_only, hit = [], [], set()
    for f in ko:
        m = [i for i, u in enumerate(by_file.get((f["class"], f["path"]), ())) if inside(f, u)]
        if m:
            ko_both.append(f)
            hit.update((f["class"], f["path"], i) for i in m)
        else:
            ko_only.append(f)
    ck_only = [u for (cls, path), us in by_file.items() for i, u in enumerate(us)
               if (cls, path, i) not in hit]
    per_class: dict[str, dict] = defaultdict(lambda: {"keepopen": 0, "checkov": 0,
                                                      "keepopen_both": 0, "checkov_both": 0})
    for f in ko:
        per_class[f["class"]]["keepopen"] += 1
    for f in ko_both:
        per_class[f["class"]]["keepopen_both"] += 1
    for u in ck:
        per_class[u["class"]]["checkov"] += 1
    for u in ck:
        if u not in ck_only:
            per_class[u["class"]]["checkov_both"] += 1
    return {"keepopen": len(ko), "checkov": len(ck), "keepopen_both": len(ko_both),
            "checkov_both": len(ck) - len(ck_only), "keepopen_only": ko_only,
            "checkov_only": ck_only, "per_class": dict(per_class)}


def with_code(fs: list[dict], tmp: Path, around: int = 0) -> list[dict]:
    """Each finding with its lines: checkov's resource range, or keepopen's
    line with `around` lines either side."""
    cache: dict[str, list[str]] = {}
    out = []
    for f in fs:
        if f["path"] not in cache:
            try:
                cache[f["path"]] = (tmp / f["path"]).read_text(errors="replace").splitlines()
            except OSError:
                cache[f["path"]] = []
        lines = cache[f["path"]]
        a = max(1, (f["line"] or 1) - around)
        b = min(len(lines), f.get("end") or (f["line"] + around))
        b = min(b, a + CODE_LINES_MAX - 1)
        code = [f"{i}: {lines[i - 1].rstrip()[:240]}" for i in range(a, b + 1)]
        out.append({**f, "code": code})
    return out


# --------------------------------------------------------------------------
# One repository


def bench_repo(repo: Path, args, tools: dict) -> dict:
    label = bl.repo_label(repo)
    print(f"\n## {label}\n", flush=True)
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    tmp, missing = export_head(repo, label)
    work = Path(tempfile.mkdtemp(prefix=f"bench-iac-out-{label}-", dir="/tmp"))
    result: dict = {"repo": label, "path": str(repo), "head": head, "files": count_iac(tmp),
                    "missing_blobs": missing, "tools": {}, "loadavg_start": os.getloadavg()}
    print(f"HEAD {head[:12]} exported to {tmp}; infrastructure files: {result['files']}"
          + (f"; {missing} blobs missing from the mirror, left out" if missing else ""),
          flush=True)
    try:
        cmds = {}
        for name, t in tools.items():
            out = work / f"{name}.json"
            cmd = t["cmd"](tmp, out)
            cmds[name] = (cmd, out, t["ok"], t["stdout"])
            result["tools"][name] = {"cmd": " ".join(map(str, cmd)), "runs": []}
        print("warm-up …", flush=True)
        for name, (cmd, out, ok, so) in cmds.items():
            bl.measure(cmd, timeout=args.timeout, ok_rcs=ok, stdout_path=out if so else None)
        for i in range(args.runs):
            for name, (cmd, out, ok, so) in cmds.items():
                entry = result["tools"][name]
                if entry.get("status") in ("timeout", "failed"):
                    continue
                if out.exists():
                    out.unlink()
                r = bl.measure(cmd, timeout=args.timeout, ok_rcs=ok,
                               stdout_path=out if so else None)
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
        for name, (cmd, out, ok, so) in cmds.items():
            entry = result["tools"][name]
            entry.setdefault("status", "ok")
            walls = [r["wall"] for r in entry["runs"] if r["wall"] is not None]
            entry["median_s"] = bl.median(walls) if entry["status"] == "ok" else None
            entry["peak_mb"] = max((r["rss_mb"] for r in entry["runs"] if r["rss_mb"]), default=None)
            if entry["status"] != "ok":
                continue
            fs, info = tools[name]["read"](out, tmp)
            entry["info"] = info
            found[name] = fs
        extras: dict = {}
        if "keepopen" in found and "checkov" in found:
            # A class mapped in the rule files but not built into this
            # binary (rules being written): checkov's findings there are
            # counted apart, not as keepopen's misses.
            ck = [u for u in found["checkov"] if u["class"] in args.ko_rules]
            absent = Counter(u["class"] for u in found["checkov"] if u["class"] not in args.ko_rules)
            result["checkov_absent_classes"] = dict(absent)
            c = compare(found["keepopen"], ck)
            extras["checkov_only"] = with_code(c.pop("checkov_only"), tmp)
            extras["keepopen_only"] = with_code(c.pop("keepopen_only"), tmp, around=3)
            c["checkov_only"] = len(extras["checkov_only"])
            c["keepopen_only"] = len(extras["keepopen_only"])
            result["compare"] = c
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
    print("| tool | median s | peak MB | files | findings (mapped classes) | other checks | status |")
    print("|---|---:|---:|---:|---:|---:|---|")
    c = result.get("compare", {})
    for name, e in t.items():
        info = e.get("info", {})
        files = info.get("files_scanned") if name == "keepopen" else info.get("files_with_results")
        other = info.get("other_checks") if name == "checkov" else None
        print(f"| {name} | {fmt(e.get('median_s'), '.2f')} | {fmt(e.get('peak_mb'), '.0f')} | "
              f"{fmt(files, 'd')} | {fmt(c.get(name), 'd')} | {fmt(other, 'd')} | "
              f"{e.get('status')} |")
    if not c:
        return
    print(f"\nkeepopen vs checkov (same class, same file, keepopen's line inside checkov's "
          f"resource): keepopen {c['keepopen']} ({c['keepopen_both']} also checkov's), checkov "
          f"{c['checkov']} resources ({c['checkov_both']} also keepopen's); keepopen only "
          f"{c['keepopen_only']}, checkov only {c['checkov_only']}")
    if c["per_class"]:
        print("\n| class | keepopen | checkov | keepopen in both | checkov in both |")
        print("|---|---:|---:|---:|---:|")
        for cls, v in sorted(c["per_class"].items()):
            print(f"| {cls} | {v['keepopen']} | {v['checkov']} | {v['keepopen_both']} | "
                  f"{v['checkov_both']} |")
    if result.get("checkov_absent_classes"):
        print(f"\ncheckov findings in classes this keepopen binary lacks (not compared): "
              f"{result['checkov_absent_classes']}")
    unm = t.get("keepopen", {}).get("info", {}).get("exposure_unmapped")
    if unm:
        print(f"\nkeepopen exposure findings of rules with no checkov list: {unm}")


def print_summary(results: list[dict]) -> None:
    print("\n## every repository\n")
    print("| repository | tf | docker | k8s | keepopen s | keepopen MB | checkov s | checkov MB | "
          "checkov / keepopen | keepopen | checkov | keepopen in both | checkov in both | "
          "keepopen only | checkov only | other checkov checks | checkov, classes not in binary |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    tot = Counter()
    for r in results:
        k, ck = r["tools"].get("keepopen", {}), r["tools"].get("checkov", {})
        ratio = (ck["median_s"] / k["median_s"]
                 if ck.get("median_s") and k.get("median_s") else None)
        r["ratio"] = ratio
        c = r.get("compare", {})
        other = ck.get("info", {}).get("other_checks")
        for key in ("keepopen", "checkov", "keepopen_both", "checkov_both", "keepopen_only",
                    "checkov_only"):
            tot[key] += c.get(key) or 0
        tot["other"] += other or 0
        absent = sum(r.get("checkov_absent_classes", {}).values())
        tot["absent"] += absent
        f = r["files"]
        print(f"| {r['repo']} | {f['terraform']} | {f['dockerfile']} | {f['kubernetes']} | "
              f"{fmt(k.get('median_s'), '.2f')} | {fmt(k.get('peak_mb'), '.0f')} | "
              f"{fmt(ck.get('median_s'), '.2f')} | {fmt(ck.get('peak_mb'), '.0f')} | "
              f"{fmt(ratio, '.1f')} | {fmt(c.get('keepopen'), 'd')} | {fmt(c.get('checkov'), 'd')} | "
              f"{fmt(c.get('keepopen_both'), 'd')} | {fmt(c.get('checkov_both'), 'd')} | "
              f"{fmt(c.get('keepopen_only'), 'd')} | {fmt(c.get('checkov_only'), 'd')} | "
              f"{fmt(other, 'd')} | {absent} |")
        if ratio is not None:
            rows.append(r)
    print(f"| **total** | | | | | | | | | {tot['keepopen']} | {tot['checkov']} | "
          f"{tot['keepopen_both']} | {tot['checkov_both']} | {tot['keepopen_only']} | "
          f"{tot['checkov_only']} | {tot['other']} | {tot['absent']} |")
    if rows:
        worst = min(rows, key=lambda r: r["ratio"])
        print(f"\nworst: {worst['repo']}, where checkov takes {worst['ratio']:.1f}x keepopen's time")


def main(argv=None) -> int:
    args = parse_args(argv)
    bl.ensure_gnu_time()
    ko = str(bl.keepopen_binary(args.keepopen))
    for name, path in (("keepopen", ko), ("checkov", args.checkov)):
        if not Path(path).exists():
            print(f"error: {name} not found at {path} (bench/setup.sh installs checkov)",
                  file=sys.stderr)
            return 2
    cmap, sources = checkov_map()
    if not cmap:
        print("error: no `checkov:` lists in the rule files", file=sys.stderr)
        return 2
    mapped = set(cmap.values())
    args.ko_rules = keepopen_rules(ko) or mapped
    detectors = "code,exposure" if keepopen_has_exposure(ko) else "code"
    tools = {
        "keepopen": {"cmd": lambda tmp, out: keepopen_cmd(ko, detectors, tmp, out),
                     "read": lambda out, tmp: read_keepopen(out, tmp, mapped),
                     "ok": (0, 1), "stdout": False},
        "checkov": {"cmd": lambda tmp, out: checkov_cmd(args.checkov, tmp),
                    "read": lambda out, tmp: read_checkov(out, tmp, cmap),
                    "ok": (0, 1), "stdout": True},
    }
    versions = {
        "keepopen": subprocess.run([ko, "--version"], capture_output=True, text=True).stdout.strip(),
        "checkov": subprocess.run([args.checkov, "--version"], capture_output=True,
                                  text=True).stdout.strip().splitlines()[-1],
    }
    print(f"versions: {versions}; {os.cpu_count()} cores; keepopen --detectors {detectors}; "
          f"median of {args.runs} runs after one warm-up", flush=True)
    by_rule: dict[str, list[str]] = defaultdict(list)
    for check, rule in sorted(cmap.items()):
        by_rule[rule].append(check)
    for rule, checks in sorted(by_rule.items()):
        note = "" if rule in args.ko_rules else "  [not in this binary: not compared]"
        print(f"  {rule} ({sources[rule]}): {', '.join(checks)}{note}")
    results = []
    for repo in args.repos:
        p = Path(repo)
        if not p.exists():
            print(f"error: {repo} does not exist", file=sys.stderr)
            return 2
        results.append(bench_repo(p.resolve(), args, tools))
    print_summary(results)
    extras = {r["repo"]: {"head": r["head"], "path": r["path"], **r.get("extras", {})}
              for r in results}
    bl.write_json(Path(args.extras), extras)
    bl.write_json(Path(args.json), {"versions": versions, "machine": bl.machine_info(),
                                    "runs": args.runs, "detectors": detectors,
                                    "checkov_map": dict(by_rule),
                                    "classes_not_in_binary": sorted(mapped - args.ko_rules),
                                    "results": [{k: v for k, v in r.items() if k != "extras"}
                                                for r in results]})
    print(f"\nwrote {args.extras} and {args.json}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

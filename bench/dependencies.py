#!/usr/bin/env python3
"""Known-vulnerable dependencies: keepopen against an independent reference.

For each repository given (any clone, bare or not), the lockfiles at a
revision (default HEAD) are written with `git show` into a temporary
directory, never into the project. Then:

1. `keepopen db import` of the offline advisories (RustSec OSV JSON, PyPA OSV
   YAML) into a fresh database is timed (median of --import-runs);
2. one `keepopen scan --no-history --detectors dependencies` over a directory
   holding every extracted tree is timed (median of --scan-runs), and its
   findings give keepopen's (ecosystem, package, version, advisory id) set;
3. a reference matcher written for this benchmark only (it does not share
   code or reading of keepopen's source) parses the same lockfiles, loads the
   same OSV records and evaluates their ranges the way osv-scanner does;
4. the two sets are compared; every difference is printed with the record's
   ranges so that a human can explain it.

Needs `packaging` (PEP 440 ordering) and PyYAML (the PyPA records) from
bench/.venv (bench/setup.sh installs them): run it with that interpreter.
Results go to bench/results/dependencies.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

try:
    from packaging.version import InvalidVersion, Version
    import yaml
except ImportError as e:  # pragma: no cover - environment problem
    sys.exit(f"{e}: run with bench/.venv/bin/python (bash bench/setup.sh installs packaging, PyYAML)")

ADVISORIES = Path("/work/shared/advisories")
DEFAULT_DBS = [ADVISORIES / "rustsec", ADVISORIES / "pypa"]

# --------------------------------------------------------------------------
# Which files are lockfiles, and of which ecosystem

VENDORED = {"node_modules", ".venv", "venv", "vendor"}

EXACT = {
    "Cargo.lock": ("cargo", "crates.io"),
    "package-lock.json": ("npm", "npm"),
    "npm-shrinkwrap.json": ("npm", "npm"),
    "yarn.lock": ("yarn", "npm"),
    "pnpm-lock.yaml": ("pnpm", "npm"),
    "poetry.lock": ("poetry", "PyPI"),
    "uv.lock": ("uv", "PyPI"),
    "Pipfile.lock": ("pipfile", "PyPI"),
    "pdm.lock": ("pdm", "PyPI"),
    "pylock.toml": ("pylock", "PyPI"),
    "renv.lock": ("renv", "CRAN"),
    "Gemfile.lock": ("bundler", "RubyGems"),
    "go.mod": ("gomod", "Go"),
    "composer.lock": ("composer", "Packagist"),
    "packages.lock.json": ("nuget", "NuGet"),
    "packages.config": ("nuget", "NuGet"),
    "gradle.lockfile": ("gradle", "Maven"),
    "pom.xml": ("maven", "Maven"),
}


def lockfile_kind(path: str) -> tuple[str, str] | None:
    """(lockfile type, OSV ecosystem) for a repository path, or None."""
    parts = path.split("/")
    if any(p in VENDORED for p in parts[:-1]):
        return None
    name = parts[-1]
    if name in EXACT:
        return EXACT[name]
    if name.endswith(".txt") and (name.startswith("requirements")
                                  or (len(parts) > 1 and parts[-2] == "requirements")):
        return ("requirements", "PyPI")
    if name.endswith(".deps.json"):
        return ("deps.json", "NuGet")
    if re.fullmatch(r"pylock\.[^/]+\.toml", name):
        return ("pylock", "PyPI")
    return None


def git(gd: str, *args: str, text: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "--git-dir", gd, *args], capture_output=True,
                          text=text, check=True)


def resolve_git_dir(repo: str) -> str:
    return subprocess.run(["git", "-C", repo, "rev-parse", "--absolute-git-dir"],
                          capture_output=True, text=True, check=True).stdout.strip()


def extract(repo: str, rev: str, dest: Path) -> tuple[str, list[dict]]:
    """Write the lockfiles of `repo` at `rev` under `dest`; return the commit
    and [{path, type, ecosystem}]."""
    gd = resolve_git_dir(repo)
    commit = git(gd, "rev-parse", rev + "^{commit}").stdout.strip()
    names = git(gd, "ls-tree", "-r", "--name-only", "-z", commit).stdout.split("\0")
    found = []
    for p in names:
        kind = p and lockfile_kind(p)
        if not kind:
            continue
        blob = git(gd, "show", f"{commit}:{p}", text=False).stdout
        out = dest / p
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(blob)
        found.append({"path": p, "type": kind[0], "ecosystem": kind[1]})
    return commit, found


# --------------------------------------------------------------------------
# Reference lockfile parsers: [(name, version)] of registry packages, plus a
# count of every package entry (for the summary).


def pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_toml_packages(text: str, registry_only: bool = True) -> tuple[list, int]:
    """uv.lock, poetry.lock, pdm.lock, pylock.toml: [[package]] name/version.
    Packages from a path, directory, git or editable source are not PyPI
    releases, so they are counted but not matched."""
    data = tomllib.loads(text)
    pkgs = data.get("package") or data.get("packages") or []
    out = []
    for p in pkgs:
        name, ver = p.get("name"), p.get("version")
        if not name or not ver:
            continue
        src = p.get("source")
        # uv: source = {registry = ...} or {editable|virtual|directory|path|git|url = ...};
        # poetry: no [package.source] for PyPI, else type = legacy (an index) or
        # git|directory|file|url.
        if registry_only and isinstance(src, dict) and not (
                "registry" in src or src.get("type") == "legacy"):
            continue
        out.append((pep503(name), ver))
    return out, len(pkgs)


REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;#\\,]+)\s*(?:[;#\\]|$)")


def parse_requirements(text: str) -> tuple[list, int]:
    """Only exact pins (`name==version`, optional extras and markers)."""
    out = []
    for line in text.splitlines():
        m = REQ_LINE.match(line)
        if m and "*" not in m.group(2):
            out.append((pep503(m.group(1)), m.group(2)))
    return out, len(out)


def parse_pipfile_lock(text: str) -> tuple[list, int]:
    data = json.loads(text)
    out = []
    n = 0
    for section, deps in data.items():
        if section == "_meta" or not isinstance(deps, dict):
            continue
        for name, spec in deps.items():
            n += 1
            v = (spec or {}).get("version", "")
            if v.startswith("=="):
                out.append((pep503(name), v[2:].strip()))
    return out, n


def parse_cargo_lock(text: str) -> tuple[list, int]:
    data = tomllib.loads(text)
    pkgs = data.get("package", [])
    out = [(p["name"], p["version"]) for p in pkgs
           if str(p.get("source", "")).startswith(("registry+", "sparse+"))]
    return out, len(pkgs)


def count_npm(text: str, kind: str) -> int:
    try:
        if kind == "npm":
            d = json.loads(text)
            if "packages" in d:
                return sum(1 for k in d["packages"] if k)
            return len(d.get("dependencies", {}))
        if kind == "yarn":
            return sum(1 for l in text.splitlines() if l and not l[0].isspace() and l.rstrip().endswith(":")
                       and not l.startswith("#"))
        if kind == "pnpm":
            return len((yaml.safe_load(text) or {}).get("packages") or {})
    except Exception:
        return 0
    return 0


def reference_packages(root: Path, lf: dict) -> tuple[list, int]:
    text = (root / lf["path"]).read_text(encoding="utf-8", errors="replace")
    t = lf["type"]
    if t in ("uv", "poetry", "pdm", "pylock"):
        return parse_toml_packages(text)
    if t == "requirements":
        return parse_requirements(text)
    if t == "pipfile":
        return parse_pipfile_lock(text)
    if t == "cargo":
        return parse_cargo_lock(text)
    if t in ("npm", "yarn", "pnpm"):
        return [], count_npm(text, t)
    return [], 0


# --------------------------------------------------------------------------
# OSV records and range evaluation (osv-scanner's walk)


def load_records(dirs: list[Path]) -> list[dict]:
    recs = []
    for d in dirs:
        for p in sorted(d.rglob("*")):
            if p.suffix == ".json":
                r = json.loads(p.read_text(encoding="utf-8"))
            elif p.suffix in (".yaml", ".yml"):
                r = yaml.safe_load(p.read_text(encoding="utf-8"))
            else:
                continue
            if isinstance(r, dict) and r.get("id"):
                recs.append(r)
    return recs


SEMVER = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


class SemVer:
    """SemVer 2.0 precedence; build metadata ignored."""

    def __init__(self, s: str):
        m = SEMVER.match(s.strip())
        if not m:
            raise ValueError(s)
        self.core = tuple(int(x or 0) for x in m.group(1, 2, 3))
        self.pre = tuple(m.group(4).split(".")) if m.group(4) else ()

    def key(self):
        # A release sorts after all its pre-releases; numeric identifiers
        # sort before alphanumeric ones and compare as numbers.
        pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.pre)
        return (self.core, 0 if self.pre else 1, pre)

    def __lt__(self, o): return self.key() < o.key()
    def __le__(self, o): return self.key() <= o.key()
    def __eq__(self, o): return self.key() == o.key()
    def __hash__(self): return hash(self.key())


def parse_version(eco: str, s: str):
    try:
        return Version(s) if eco == "PyPI" else SemVer(s)
    except (InvalidVersion, ValueError):
        return None


def range_affects(eco: str, v, events: list[dict], problems: list) -> bool:
    """osv-scanner: sort events by version (introduced "0" first), then walk:
    unaffected + introduced <= v -> affected; affected + fixed <= v -> not;
    affected + last_affected < v -> not. A limit at or below v excludes it."""
    keyed = []
    limits = []
    for e in events:
        (kind, val), = ((k, e[k]) for k in e if k in ("introduced", "fixed", "last_affected", "limit"))
        if kind == "limit":
            if val != "*":
                lv = parse_version(eco, val)
                if lv is not None:
                    limits.append(lv)
            continue
        if kind == "introduced" and val == "0":
            keyed.append((0, None, kind, val))
            continue
        pv = parse_version(eco, val)
        if pv is None:
            problems.append(f"unparsable event version {val!r}")
            continue
        keyed.append((1, pv, kind, val))
    # Stable sort: equal versions keep record order.
    keyed.sort(key=lambda t: (t[0],) if t[1] is None else (t[0], t[1]))
    affected = False
    for _, pv, kind, _val in keyed:
        if not affected:
            if kind == "introduced" and (pv is None or pv <= v):
                affected = True
        else:
            if kind == "fixed" and pv <= v:
                affected = False
            elif kind == "last_affected" and pv < v:
                affected = False
    if affected and any(lv <= v for lv in limits):
        affected = False
    return affected


def interval_reading(eco: str, v, events: list[dict]) -> bool | None:
    """The other reading of a range: events taken in record order as pairs
    (introduced, then the next fixed/last_affected), a union of intervals.
    None when the events are not in that shape."""
    inside = False
    start = None
    for e in events:
        (kind, val), = ((k, e[k]) for k in e if k in ("introduced", "fixed", "last_affected", "limit"))
        if kind == "limit":
            return None
        pv = None if val == "0" else parse_version(eco, val)
        if val != "0" and pv is None:
            return None
        if kind == "introduced":
            if start is not None:
                return None
            start = (val, pv)
        else:
            if start is None:
                return None
            lo = start[1] is None or start[1] <= v
            hi = v < pv if kind == "fixed" else v <= pv
            inside = inside or (lo and hi)
            start = None
    if start is not None:
        inside = inside or start[1] is None or start[1] <= v
    return inside


def explain(d: dict, rec: dict) -> str:
    """Why keepopen and the reference disagree, when it is the known case:
    out-of-order (introduced, fixed) pairs with an introduced and a fixed at
    the same version, where the sorted walk and the interval reading differ."""
    v = parse_version(d["ecosystem"], d["version"])
    if v is None:
        return ""
    for a in rec.get("affected", []):
        for rg in a.get("ranges") or []:
            if rg.get("type") not in ("ECOSYSTEM", "SEMVER"):
                continue
            ev = rg.get("events") or []
            walk = range_affects(d["ecosystem"], v, ev, [])
            pairs = interval_reading(d["ecosystem"], v, ev)
            if pairs is None or walk == pairs:
                continue
            intro = {parse_version(d["ecosystem"], e["introduced"]) for e in ev if "introduced" in e}
            ties = sorted({e["fixed"] for e in ev if "fixed" in e
                           and parse_version(d["ecosystem"], e["fixed"]) in intro})
            if ties and pairs == (d["only_in"] == "keepopen"):
                return (f"explained: {rec['id']} lists (introduced, fixed) pairs out of order with "
                        f"introduced and fixed both at {', '.join(ties)}; read as a union of "
                        f"intervals (keepopen) {d['version']} is {'in' if pairs else 'out'}, "
                        f"osv-scanner's sorted walk (reference) puts it {'in' if walk else 'out'}")
    return ""


def build_index(records: list[dict]) -> dict:
    """(ecosystem, normalised name) -> [(record, affected entry)]; withdrawn
    records are left out."""
    idx: dict = {}
    for r in records:
        if r.get("withdrawn"):
            continue
        for a in r.get("affected") or []:
            pkg = a.get("package") or {}
            eco = str(pkg.get("ecosystem", "")).split(":")[0]
            name = pkg.get("name", "")
            if eco == "PyPI":
                name = pep503(name)
            idx.setdefault((eco, name), []).append((r, a))
    return idx


def reference_match(idx: dict, eco: str, name: str, version: str, problems: list) -> set[str]:
    ids = set()
    v = parse_version(eco, version)
    for r, a in idx.get((eco, name), []):
        hit = version in (a.get("versions") or [])
        if not hit and v is not None:
            for rg in a.get("ranges") or []:
                if rg.get("type") not in ("ECOSYSTEM", "SEMVER"):
                    continue
                if range_affects(eco, v, rg.get("events") or [], problems):
                    hit = True
                    break
        if hit:
            ids.add(r["id"])
    if v is None:
        problems.append(f"{eco} {name}: unparsable version {version!r}")
    return ids


# --------------------------------------------------------------------------
# keepopen


ID_RE = re.compile(r"\b(?:RUSTSEC-\d{4}-\d+|PYSEC-\d{4}-\d+|GHSA(?:-[0-9a-z]{4}){3}|OSV-\d{4}-\d+)\b")


def keepopen_triples(report: dict, lockfiles: dict, known_ids: set[str]) -> tuple[set, list]:
    """(repo, ecosystem, name, version, id) from keepopen's findings. `lockfiles`
    maps a report path (relative to the scanned root) to (repo, ecosystem).
    Ids are every id in `detail` that is a loaded record's primary id."""
    triples = set()
    unknown_paths = []
    for f in report.get("findings", []):
        if f.get("rule") != "vulnerable-dependency":
            continue
        path = f.get("path", "")
        key = next((k for k in lockfiles if path == k or path.endswith("/" + k)), None)
        if key is None:
            unknown_paths.append(path)
            continue
        repo, eco = lockfiles[key]
        name, _, version = f.get("secret", "").rpartition("@")
        for i in set(ID_RE.findall(f.get("detail", ""))) & known_ids:
            triples.add((repo, eco, name, version, i))
    return triples, unknown_paths


def timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t, r


# --------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repos", nargs="+", help="clones (bare or not) of real repositories")
    ap.add_argument("--rev", default="HEAD", help="revision whose lockfiles are read (default HEAD)")
    ap.add_argument("--before", help="instead of --rev: the last commit of HEAD before this date")
    ap.add_argument("--advisories", nargs="+", type=Path, default=DEFAULT_DBS)
    ap.add_argument("--import-runs", type=int, default=3)
    ap.add_argument("--scan-runs", type=int, default=5)
    ap.add_argument("--keepopen", help="binary (default target/release/keepopen)")
    ap.add_argument("--out", type=Path, help="results file (default bench/results/dependencies.json)")
    args = ap.parse_args()

    ko = str(benchlib.keepopen_binary(args.keepopen))
    if not Path(ko).exists():
        sys.exit(f"{ko} missing: cargo build --release -p keepopen")
    version = subprocess.run([ko, "--version"], capture_output=True, text=True).stdout.strip()

    with tempfile.TemporaryDirectory(prefix="keepopen-deps-") as tmp:
        tmp = Path(tmp)
        trees = tmp / "trees"
        repos = []
        lockmap = {}
        for repo in args.repos:
            gd = Path(resolve_git_dir(repo))
            # /work/.mirror/OWNER+NAME/repo, CLONE/.git, or NAME.git
            label = gd.parent.name if gd.name in (".git", "repo") else gd.name.removesuffix(".git")
            label = label.split("+")[-1]
            rev = args.rev
            if args.before:
                gd = resolve_git_dir(repo)
                rev = git(gd, "rev-list", "-1", f"--before={args.before}", "HEAD").stdout.strip()
                if not rev:
                    print(f"{repo}: no commit before {args.before}; left out", file=sys.stderr)
                    continue
            commit, found = extract(repo, rev, trees / label)
            for lf in found:
                lockmap[f"{label}/{lf['path']}"] = (label, lf["ecosystem"])
            repos.append({"repo": str(repo), "label": label, "rev": rev, "commit": commit,
                          "lockfiles": found})

        # 1. keepopen db import: fresh database each run.
        import_times = []
        db = tmp / "advisories.db"
        for i in range(args.import_runs):
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            t, r = timed([ko, "db", "import", "--db", str(db), *map(str, args.advisories)])
            if r.returncode != 0:
                sys.exit(f"db import failed ({r.returncode}): {r.stderr[-2000:]}")
            import_times.append(t)
            import_out = r.stderr.strip() or r.stdout.strip()

        # 2. one scan over every extracted tree, timed.
        report_path = tmp / "scan.json"
        scan_cmd = [ko, "scan", str(trees), "--no-history", "--detectors", "dependencies",
                    "--db", str(db), "--format", "json", "--show-secrets", "-o", str(report_path)]
        subprocess.run(scan_cmd, capture_output=True)  # warm-up, untimed
        scan_times = []
        for i in range(args.scan_runs):
            t, r = timed(scan_cmd)
            if r.returncode not in (0, 1):
                sys.exit(f"scan failed ({r.returncode}): {r.stderr[-2000:]}")
            scan_times.append(t)
        report = json.loads(report_path.read_text())

        # 3. the reference.
        t0 = time.perf_counter()
        records = load_records(args.advisories)
        idx = build_index(records)
        by_id = {r["id"]: r for r in records}
        known_ids = set(by_id)
        ref_load_s = time.perf_counter() - t0
        ref = set()
        problems: list[str] = []
        for rp in repos:
            root = trees / rp["label"]
            npk = 0
            nmatch = 0
            for lf in rp["lockfiles"]:
                pkgs, n = reference_packages(root, lf)
                lf["packages"] = n
                lf["matchable"] = len(pkgs)
                npk += n
                nmatch += len(pkgs)
                if lf["ecosystem"] not in ("PyPI", "crates.io"):
                    continue
                for name, ver in pkgs:
                    for i in reference_match(idx, lf["ecosystem"], name, ver, problems):
                        ref.add((rp["label"], lf["ecosystem"], name, ver, i))
            rp["packages"] = npk
            rp["matchable"] = nmatch
        ref_s = time.perf_counter() - t0

    ko_set, unknown_paths = keepopen_triples(report, lockmap, known_ids)

    # 4. compare.
    both = ko_set & ref
    union = ko_set | ref
    diffs = []
    for t in sorted(union - both):
        rec = by_id.get(t[4], {})
        ranges = [{"package": a.get("package", {}).get("name"), "ranges": a.get("ranges"),
                   "versions": len(a.get("versions") or []),
                   "version_listed": t[3] in (a.get("versions") or [])}
                  for a in rec.get("affected", [])]
        d = {"repo": t[0], "ecosystem": t[1], "package": t[2], "version": t[3],
             "id": t[4], "only_in": "keepopen" if t in ko_set else "reference",
             "withdrawn": rec.get("withdrawn"), "affected": ranges}
        d["explanation"] = explain(d, rec) if rec else ""
        diffs.append(d)

    per_repo = []
    for rp in repos:
        k = {t for t in ko_set if t[0] == rp["label"]}
        r_ = {t for t in ref if t[0] == rp["label"]}
        b = k & r_
        u = k | r_
        types: dict = {}
        for lf in rp["lockfiles"]:
            types[lf["type"]] = types.get(lf["type"], 0) + 1
        per_repo.append({"label": rp["label"], "commit": rp["commit"][:12], "lockfile_types": types,
                         "lockfiles": len(rp["lockfiles"]), "packages": rp["packages"],
                         "matchable": rp["matchable"], "keepopen": len(k), "reference": len(r_),
                         "both": len(b), "agreement": (len(b) / len(u)) if u else None,
                         "findings": sum(1 for f in report.get("findings", [])
                                         if f.get("path", "").startswith(rp["label"] + "/")
                                         or ("/" + rp["label"] + "/") in f.get("path", ""))})

    imp_med = statistics.median(import_times)
    scan_med = statistics.median(scan_times)
    agreement = (len(both) / len(union)) if union else None

    # 5. print.
    def pct(a):
        return "n/a (both empty)" if a is None else f"{a * 100:.1f}%"

    print(f"## keepopen dependencies vs reference ({version}, {time.strftime('%Y-%m-%d')})\n")
    print(f"advisories: {', '.join(map(str, args.advisories))}: {len(records)} records, "
          f"{sum(1 for r in records if r.get('withdrawn'))} withdrawn\n")
    print("| repository | commit | lockfiles (by type) | packages (matchable) | findings | "
          "triples keepopen | reference | both | agreement |")
    print("|---|---|---|---|---|---|---|---|---|")
    for p in per_repo:
        types = ", ".join(f"{k} {v}" for k, v in sorted(p["lockfile_types"].items())) or "none"
        print(f"| {p['label']} | {p['commit']} | {types} | {p['packages']} ({p['matchable']}) | "
              f"{p['findings']} | {p['keepopen']} | {p['reference']} | {p['both']} | {pct(p['agreement'])} |")
    print(f"| **all** | | {sum(p['lockfiles'] for p in per_repo)} | "
          f"{sum(p['packages'] for p in per_repo)} ({sum(p['matchable'] for p in per_repo)}) | "
          f"{len(report.get('findings', []))} | {len(ko_set)} | {len(ref)} | {len(both)} | "
          f"**{pct(agreement)}** |\n")
    print(f"- `keepopen db import` (fresh DB): median **{imp_med:.2f} s** of "
          f"{['%.2f' % t for t in import_times]} (target < 10 s) — {import_out.splitlines()[-1] if import_out else ''}")
    print(f"- one dependency scan over all extracted trees: median **{scan_med:.3f} s** of "
          f"{['%.3f' % t for t in scan_times]} (target < 1 s)")
    print(f"- reference (Python): loading records {ref_load_s:.2f} s, total {ref_s:.2f} s")
    if unknown_paths:
        print(f"- findings on paths not mapped to a lockfile: {sorted(set(unknown_paths))}")
    if problems:
        uniq = sorted(set(problems))
        print(f"- reference could not parse {len(uniq)} version strings (events or package "
              f"versions skipped): {uniq[:10]}{' …' if len(uniq) > 10 else ''}")
    if diffs:
        print(f"\n### Differences ({len(diffs)})\n")
        for d in diffs:
            print(f"- only in **{d['only_in']}**: {d['repo']} {d['ecosystem']} "
                  f"{d['package']}@{d['version']} {d['id']}"
                  f"{' (withdrawn)' if d['withdrawn'] else ''}")
            print(f"    - {d['explanation'] or 'UNEXPLAINED'}")
            for a in d["affected"]:
                print(f"    - {a['package']}: versions listed {a['versions']} "
                      f"(this one: {a['version_listed']}); ranges {json.dumps(a['ranges'])}")
    else:
        print("\nNo differences.")

    out = args.out or benchlib.RESULTS / "dependencies.json"
    benchlib.write_json(out, {
        "machine": benchlib.machine_info(), "keepopen": version, "scan_cmd": scan_cmd,
        "advisories": [str(a) for a in args.advisories], "records": len(records),
        "import_s": import_times, "import_median_s": imp_med,
        "scan_s": scan_times, "scan_median_s": scan_med,
        "reference_s": ref_s, "repos": repos, "per_repo": per_repo,
        "keepopen_triples": sorted(ko_set), "reference_triples": sorted(ref),
        "agreement": agreement,
        "agreement_counting_explained": ((len(both) + sum(1 for d in diffs if d["explanation"]))
                                         / len(union)) if union else None,
        "differences": diffs,
        "reference_problems": sorted(set(problems)),
        "unmapped_finding_paths": sorted(set(unknown_paths)),
    })
    unexplained = sum(1 for d in diffs if not d["explanation"])
    if diffs:
        print(f"\n{len(diffs) - unexplained} of {len(diffs)} differences explained; "
              f"agreement counting explained ones as agreeing: "
              f"{pct((len(both) + len(diffs) - unexplained) / len(union))}")
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

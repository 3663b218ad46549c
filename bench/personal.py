#!/usr/bin/env python3
"""Personal-data detection: keepopen against Microsoft Presidio.

    python3 bench/personal.py [--seeds 1,7] [--scale MB] [--runs N] [--presidio-runs N]
                              [--corpus-bin PATH | --no-build] [--keepopen PATH] [--keep DIR]

1. Builds the labelled personal-data corpus for each seed with
   `keepopen-corpus personal --out DIR --seed N` (DIR/files, DIR/labels.json).
   The binary comes from --corpus-bin, $KEEPOPEN_CORPUS, or
   `cargo build --release -p keepopen-corpus`.
2. Quality, per seed: runs `keepopen scan DIR/files --no-history --format json
   --show-secrets` and Presidio's AnalyzerEngine on the text of every file,
   turns Presidio's results into findings (UK_NHS -> nhs-number, or hc-number
   for a Northern Ireland H&C stem; UK_NINO -> national-insurance-number;
   EMAIL_ADDRESS -> email-address; PHONE_NUMBER -> phone-number; UK_POSTCODE
   -> postcode; one finding per path, rule and value) and scores both with
   `keepopen-corpus personal-eval`, the same unit logic as the CI test:
   keepopen on everything it reports, and both tools on the rules Presidio
   has (`--rules`).
3. Throughput: the first seed's files (replicated to at least --scale MB when
   given), keepopen's wall time per run (process start included; every
   detector runs, secrets too) and Presidio's analyzer time over all file
   texts in one process (texts read first; import, engine load and a
   warm-up call are timed apart). Medians of --runs / --presidio-runs.
4. Prints the tables and writes bench/results/personal.json.

Presidio runs with a blank spaCy pipeline (`spacy.blank("en")`), so no NER
model is downloaded and only its pattern recognizers run (UK_NHS is a
pattern plus the mod-11 checksum); UK_NINO and UK_POSTCODE, off by default
in Presidio's registry, are added. Presidio is installed into bench/.venv by
bench/setup.sh; this script re-runs itself in that venv for the Presidio part
(`--presidio-worker`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

VENV_PYTHON = bl.VENV / "bin" / "python"

# Presidio entity -> keepopen rule id.
ENTITY_RULE = {
    "UK_NHS": "nhs-number",
    "UK_NINO": "national-insurance-number",
    "EMAIL_ADDRESS": "email-address",
    "PHONE_NUMBER": "phone-number",
    "UK_POSTCODE": "postcode",
}
# The rules both tools have: the comparable score.
SHARED_RULES = ["nhs-number", "hc-number", "national-insurance-number", "email-address",
                "phone-number", "postcode"]


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="1,7", help="comma list of corpus seeds (default 1,7)")
    ap.add_argument("--scale", type=float, default=0.0,
                    help="replicate the first seed's files to at least this many MB for the timing (e.g. 20)")
    ap.add_argument("--runs", type=int, default=5, help="keepopen timing runs (default 5)")
    ap.add_argument("--presidio-runs", type=int, default=3, help="Presidio timing runs (default 3)")
    ap.add_argument("--presidio-threshold", type=float, default=None,
                    help="Presidio score_threshold (default: Presidio's own, 0)")
    ap.add_argument("--corpus-bin", default=None,
                    help="keepopen-corpus binary (default $KEEPOPEN_CORPUS, else cargo build)")
    ap.add_argument("--no-build", action="store_true",
                    help="do not run cargo build for keepopen-corpus")
    ap.add_argument("--keepopen", default=None,
                    help="keepopen binary (default $KEEPOPEN or target/release/keepopen)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per run (default 3600)")
    ap.add_argument("--keep", default=None, help="keep corpora, reports and JSONL here")
    ap.add_argument("--out-dir", default=str(bl.RESULTS), help="where personal.json goes")
    ap.add_argument("--presidio-worker", nargs=2, metavar=("FILES_DIR", "OUT_JSON"),
                    help=argparse.SUPPRESS)
    return ap.parse_args(argv)


# --------------------------------------------------------------------------
# The Presidio side, run inside bench/.venv


def read_texts(files_dir: Path) -> list[tuple[str, str]]:
    out = []
    for p in sorted(files_dir.rglob("*")):
        if p.is_file():
            out.append((p.relative_to(files_dir).as_posix(),
                        p.read_bytes().decode("utf-8", "replace")))
    return out


def hc_stem(digits: str) -> bool:
    return len(digits) == 10 and 320_000_001 <= int(digits[:9]) <= 399_999_999


def presidio_worker(files_dir: Path, out_json: Path, runs: int, threshold) -> None:
    import logging

    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    t0 = time.perf_counter()
    import presidio_analyzer
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    t_import = time.perf_counter() - t0

    class BlankSpacy(SpacyNlpEngine):
        """No trained pipeline: tokenizer only, so no NER runs."""

        def load(self):
            self.nlp = {"en": spacy.blank("en")}

    t0 = time.perf_counter()
    engine = BlankSpacy(models=[{"lang_code": "en", "model_name": "blank"}])
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=engine, languages=["en"])
    added = []
    try:
        from presidio_analyzer.predefined_recognizers import UkNinoRecognizer, UkPostcodeRecognizer
        for rec in (UkNinoRecognizer(), UkPostcodeRecognizer()):
            registry.add_recognizer(rec)
            added.append(type(rec).__name__)
    except ImportError:
        pass
    analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"],
                              default_score_threshold=threshold or 0)
    have = {e for r in registry.recognizers for e in r.supported_entities}
    entities = [e for e in ENTITY_RULE if e in have]
    # Warm-up: the first e-mail lookup loads tldextract's suffix list.
    analyzer.analyze("alder.birch12@nhs.net 943 476 5919", language="en", entities=entities)
    t_load = time.perf_counter() - t0

    texts = read_texts(files_dir)
    nbytes = sum(len(t.encode("utf-8")) for _, t in texts)
    times, results = [], None
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        res = []
        for path, text in texts:
            res.append((path, text, analyzer.analyze(text, language="en", entities=entities)))
        times.append(time.perf_counter() - t0)
        results = res
    findings, seen = [], set()
    for path, text, rs in results:
        for r in rs:
            value = text[r.start:r.end]
            rule = ENTITY_RULE[r.entity_type]
            digits = "".join(c for c in value if c.isdigit())
            if rule == "nhs-number" and hc_stem(digits):
                rule = "hc-number"  # same format; credit it as Presidio cannot name it
            key = (path, rule, "".join(value.split()).replace("-", "").upper())
            if key in seen:
                continue
            seen.add(key)
            findings.append({"rule": rule, "category": "personal-data", "path": path,
                             "line": text.count("\n", 0, r.start) + 1, "secret": value,
                             "score": r.score})
    out_json.write_text(json.dumps({
        "version": getattr(presidio_analyzer, "__version__", None) or _dist_version("presidio-analyzer"),
        "spacy": spacy.__version__,
        "entities": entities,
        "added_recognizers": added,
        "threshold": threshold or 0,
        "import_s": t_import,
        "load_s": t_load,
        "times": times,
        "bytes": nbytes,
        "files": len(texts),
        "findings": findings,
    }))


def _dist_version(name: str):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:  # noqa: BLE001
        return None


# --------------------------------------------------------------------------
# The driver, stdlib only


def build_corpus(cbin: Path, out: Path, seed: int) -> dict:
    cmd = [str(cbin), "personal", "--out", str(out), "--seed", str(seed)]
    print("$ " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


def personal_eval(cbin: Path, labels: Path, findings: Path, rules: list[str] | None = None) -> dict:
    cmd = [str(cbin), "personal-eval", "--labels", str(labels), "--findings", str(findings)]
    if rules:
        cmd += ["--rules", ",".join(rules)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"personal-eval failed: {r.stderr.strip()[-800:]}")
    return json.loads(r.stdout)


def tree_bytes(d: Path) -> int:
    return sum(p.stat().st_size for p in d.rglob("*") if p.is_file())


def replicate(src: Path, dest: Path, mb: float) -> int:
    """Copies of `src` under dest/rep_NNN until at least `mb` MB."""
    one = tree_bytes(src)
    n = max(1, int((mb * 1e6 + one - 1) // one))
    for i in range(n):
        shutil.copytree(src, dest / f"rep_{i:03d}")
    return n


def keepopen_cmd(binary: Path, target: Path, out: Path) -> list[str]:
    return [str(binary), "scan", str(target), "--no-history", "--format", "json",
            "--show-secrets", "--no-progress", "-o", str(out)]


def run_keepopen(binary: Path, target: Path, out: Path, timeout: float) -> bl.Run:
    return bl.measure(keepopen_cmd(binary, target, out), timeout=timeout, cwd=out.parent,
                      ok_rcs=(0, 1))


def run_presidio(target: Path, out: Path, runs: int, threshold, timeout: float) -> dict:
    cmd = [str(VENV_PYTHON), str(Path(__file__).resolve()), "--presidio-worker",
           str(target), str(out), "--presidio-runs", str(runs)]
    if threshold is not None:
        cmd += ["--presidio-threshold", str(threshold)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"presidio worker failed (exit {r.returncode}): {r.stderr.strip()[-1500:]}")
    return json.loads(out.read_text())


def write_jsonl(path: Path, records: list[dict]) -> None:
    with open(path, "w") as f:
        for rec in records:
            f.write(json.dumps(rec) + "\n")


def shared_recall(score: dict) -> tuple[int, int]:
    """Units found / planted over the kinds of SHARED_RULES (required and optional)."""
    found = planted = 0
    for kind, k in (score.get("per_kind") or {}).items():
        if kind in SHARED_RULES:
            found += k["found"]
            planted += k["planted"]
    return found, planted


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def quality_row(tool: str, score: dict) -> str:
    nhs = score["nhs_in_context"]
    f, p = shared_recall(score)
    return (f"| {tool} | {nhs['found']}/{nhs['planted']} = {nhs['recall']:.3f} | "
            f"{f}/{p} = {fmt(f / p if p else None, '.3f')} | {score['precision']:.3f} | "
            f"{score['tp']} | {score['fp']} | {score['decoy_hits_total']} | {score['test_range_as_nhs']} |")


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.presidio_worker:
        presidio_worker(Path(args.presidio_worker[0]), Path(args.presidio_worker[1]),
                        args.presidio_runs, args.presidio_threshold)
        return 0
    import quality  # noqa: E402 - corpus_binary() is shared

    bl.ensure_gnu_time()
    if not VENV_PYTHON.exists():
        sys.exit("error: bench/.venv missing: run bash bench/setup.sh (installs presidio-analyzer)")
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    keepopen = bl.keepopen_binary(args.keepopen)
    if not keepopen.exists():
        sys.exit(f"error: {keepopen} not found (cargo build --release -p keepopen)")
    cbin = quality.corpus_binary(args)
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="bench-personal-"))
    work.mkdir(parents=True, exist_ok=True)
    summary = {"machine": bl.machine_info(), "keepopen": str(keepopen),
               "keepopen_version": bl.TOOLS["keepopen"].version(), "seeds": {}, "throughput": {}}
    try:
        presidio_meta = None
        for seed in seeds:
            cdir = work / f"corpus-seed{seed}"
            if cdir.exists():
                shutil.rmtree(cdir)
            counts = build_corpus(cbin, cdir, seed)
            files, labels = cdir / "files", cdir / "labels.json"
            k_out = work / f"keepopen-seed{seed}.json"
            run = run_keepopen(keepopen, files, k_out, args.timeout)
            if run.rc not in (0, 1):
                raise RuntimeError(f"keepopen failed (exit {run.rc}): {run.error}")
            p_out = work / f"presidio-seed{seed}.json"
            presidio_meta = run_presidio(files, p_out, 1, args.presidio_threshold, args.timeout)
            p_jsonl = work / f"presidio-seed{seed}.jsonl"
            write_jsonl(p_jsonl, presidio_meta["findings"])
            scores = {
                "keepopen (all rules)": personal_eval(cbin, labels, k_out),
                "keepopen (shared rules)": personal_eval(cbin, labels, k_out, SHARED_RULES),
                "presidio (shared rules)": personal_eval(cbin, labels, p_jsonl, SHARED_RULES),
            }
            summary["seeds"][seed] = {"counts": counts, "scores": scores}
            print(f"\n### Quality, seed {seed} ({counts['files']} files, {counts['units']} units)\n")
            print("| tool | in-context NHS recall | recall, shared kinds | precision | tp | fp "
                  "| decoy hits | test range as nhs-number |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
            for tool, s in scores.items():
                print(quality_row(tool, s))
            print("\nRecall by kind:\n")
            kinds = sorted({k for s in scores.values() for k in s["per_kind"]})
            print("| kind | " + " | ".join(scores) + " |")
            print("|---|" + "---:|" * len(scores))
            for k in kinds:
                cells = []
                for s in scores.values():
                    v = s["per_kind"].get(k)
                    cells.append(f"{v['found']}/{v['planted']}" if v else "—")
                print(f"| {k} | " + " | ".join(cells) + " |")
            for tool, s in scores.items():
                if not s["decoy_hits"]:
                    continue
                by_rule: dict[str, int] = {}
                for d in s["decoy_findings"]:
                    by_rule[d["finding"]["rule"]] = by_rule.get(d["finding"]["rule"], 0) + 1
                print(f"\nDecoy hits, {tool}: by sort {json.dumps(s['decoy_hits'])}, "
                      f"by rule {json.dumps(by_rule)}")

        # Throughput on the first seed, scaled if asked.
        base = work / f"corpus-seed{seeds[0]}" / "files"
        target = base
        if args.scale:
            target = work / "scaled"
            if target.exists():
                shutil.rmtree(target)
            copies = replicate(base, target, args.scale)
            print(f"\nreplicated seed {seeds[0]} x{copies} into {target}", flush=True)
        nbytes = tree_bytes(target)
        mb = nbytes / 1e6
        print(f"\n### Throughput on {mb:.1f} MB ({args.runs} keepopen runs, "
              f"{args.presidio_runs} Presidio runs)\n", flush=True)
        run_keepopen(keepopen, target, work / "keepopen-warm.json", args.timeout)  # page cache
        k_times = []
        for _ in range(args.runs):
            r = run_keepopen(keepopen, target, work / "keepopen-timed.json", args.timeout)
            if r.rc not in (0, 1):
                raise RuntimeError(f"keepopen failed (exit {r.rc}): {r.error}")
            k_times.append(r.wall)
        pm = run_presidio(target, work / "presidio-timed.json", args.presidio_runs,
                          args.presidio_threshold, args.timeout)
        k_med, p_med = bl.median(k_times), bl.median(pm["times"])
        k_rate, p_rate = mb / k_med, mb / p_med
        print("| tool | median s | MB/s | runs |")
        print("|---|---:|---:|---:|")
        print(f"| keepopen {summary['keepopen_version']} (whole process, all detectors) | "
              f"{k_med:.3f} | {k_rate:.1f} | {len(k_times)} |")
        print(f"| presidio-analyzer {pm['version']} (analyze() only) | {p_med:.3f} | {p_rate:.2f} | "
              f"{len(pm['times'])} |")
        ratio = k_rate / p_rate
        print(f"\nkeepopen / Presidio throughput: {ratio:.0f}x (target >= 50x: "
              f"{'met' if ratio >= 50 else 'NOT met'})")
        print(f"Presidio import {pm['import_s']:.2f} s, engine load + warm-up {pm['load_s']:.2f} s "
              f"(not in its time). Presidio: blank spaCy pipeline (spacy.blank('en'), spaCy "
              f"{pm['spacy']}): no NER model, pattern recognizers only; entities "
              f"{', '.join(pm['entities'])}; added {', '.join(pm['added_recognizers']) or 'none'}; "
              f"score_threshold {pm['threshold']}.")
        summary["throughput"] = {
            "bytes": nbytes, "keepopen_s": k_times, "keepopen_median_s": k_med,
            "keepopen_mb_s": k_rate, "presidio_s": pm["times"], "presidio_median_s": p_med,
            "presidio_mb_s": p_rate, "ratio": ratio, "presidio_import_s": pm["import_s"],
            "presidio_load_s": pm["load_s"], "presidio_version": pm["version"],
            "presidio_entities": pm["entities"], "spacy": pm["spacy"],
        }
        out = Path(args.out_dir) / "personal.json"
        bl.write_json(out, summary)
        print(f"\nwrote {out}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

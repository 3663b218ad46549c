#!/usr/bin/env python3
"""The dashboard and the HTML report at organisation scale.

    python3 bench/dashboard.py [--repos 1000] [--findings 100000]
                               [--keepopen PATH] [--requests 50]
                               [--readers 200] REPO...

1. `keepopen org --list` over the given real repositories (bare or not)
   into a scratch store: the pool of real findings and report rows;
2. a store of `--repos` repositories and `--findings` findings, made from
   that pool in SQL (each repository a copy of a real row under its own
   path, each finding a real stored finding with its own fingerprint and
   line), so that every row and finding is one keepopen wrote;
3. `keepopen serve` on it: the time from start to the first organisation
   page (the store read into memory), then `--requests` sequential GETs of
   each page from a client on loopback (a new connection each: median and
   95th percentile), then `--readers` concurrent readers of the
   organisation page, three rounds, counting every error;
4. `keepopen report --format html` of that store: its size, and its first
   contentful paint in headless Chromium (bench/paint.mjs, median of 5);
5. a Markdown table, and bench/results/dashboard.json.

Targets (issue 16): organisation page under 100 ms median; 200 concurrent
readers with no error; the HTML report under 10 MB, first paint under 1.5 s.
Stdlib only (and node with tests/browser/node_modules for the paint).
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

BENCH = Path(__file__).resolve().parent


def pool_store(keepopen: Path, repos: list[str], work: Path) -> Path:
    listing = work / "repos.txt"
    listing.write_text("".join(f"{r}\n" for r in repos))
    db = work / "pool.db"
    p = subprocess.run([str(keepopen), "org", "--list", str(listing), "--db", str(db),
                        "--format", "json", "--no-progress"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1, 2):
        sys.exit(f"keepopen org failed: {p.stderr.decode(errors='replace')}")
    return db


def scale(pool: Path, out: Path, repos: int, findings: int) -> dict:
    shutil.copy(pool, out)
    db = sqlite3.connect(out)
    run = db.execute("SELECT max(run_id) FROM assessments").fetchone()[0]
    templates = db.execute(
        "SELECT a.report_row, a.recommendation, r.remote, r.head, r.id FROM assessments a "
        "JOIN repositories r ON r.id = a.repository_id WHERE a.run_id = ? ORDER BY a.root",
        (run,)).fetchall()
    cols = ("rule, category, severity, confidence, path, line, column_number, commit_id, "
            "commit_time, commit_line, author, in_head, in_worktree, redacted, context, detail")
    found = db.execute(f"SELECT {cols} FROM findings WHERE run_id = ? ORDER BY id", (run,)).fetchall()
    if not templates or not found:
        sys.exit("the pool run holds no repositories or no findings")
    now = int(time.time())
    cur = db.execute("INSERT INTO runs (started_at, finished_at, keepopen_version, options) "
                     "VALUES (?, ?, ?, ?)", (now, now, "bench",
                                             json.dumps({"command": "org", "bench": "dashboard"})))
    new_run = cur.lastrowid
    per = findings // repos
    k = 0
    for i in range(repos):
        row_text, rec, remote, head, _ = templates[i % len(templates)]
        root = f"/srv/nhs/team-{i // 40:02d}/repo-{i:04d}"
        rid = db.execute("INSERT INTO repositories (run_id, root, remote, head) VALUES (?, ?, ?, ?) "
                         "RETURNING id", (new_run, root, remote, head)).fetchone()[0]
        by_sev: dict[str, int] = {}
        by_cat: dict[str, int] = {}
        batch = []
        for j in range(per):
            f = found[k % len(found)]
            k += 1
            fp = hashlib.sha1(f"{root}:{j}".encode()).hexdigest()[:32]
            by_sev[f[2]] = by_sev.get(f[2], 0) + 1
            by_cat[f[1]] = by_cat.get(f[1], 0) + 1
            batch.append((new_run, rid, f[0], f[1], f[2], f[3], fp, f[4], j + 1, *f[6:]))
        db.executemany(
            "INSERT INTO findings (run_id, repository_id, rule, category, severity, confidence, "
            "fingerprint, path, line, column_number, commit_id, commit_time, commit_line, author, "
            "in_head, in_worktree, redacted, context, detail) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        row = json.loads(row_text)
        row["path"] = root
        row.setdefault("findings", {})
        row["findings"]["total"] = per
        row["findings"]["by_severity"] = by_sev
        row["findings"]["by_category"] = by_cat
        db.execute("INSERT INTO assessments (run_id, repository_id, root, recommendation, report_row) "
                   "VALUES (?, ?, ?, ?, ?)", (new_run, rid, root, rec, json.dumps(row)))
    db.commit()
    n = db.execute("SELECT count(*) FROM findings WHERE run_id = ?", (new_run,)).fetchone()[0]
    db.close()
    return {"run": new_run, "repositories": repos, "findings": n,
            "pool_repositories": len(templates), "pool_findings": len(found)}


def get(addr: str, path: str) -> tuple[int, int, float]:
    host, port = addr.rsplit(":", 1)
    t = time.perf_counter()
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, len(body), (time.perf_counter() - t) * 1000


def start(keepopen: Path, db: Path) -> tuple[subprocess.Popen, str, float]:
    t = time.perf_counter()
    # Made here: never a token-like literal in this repository.
    env = {**os.environ, "KEEPOPEN_TOKEN": secrets.token_hex(20)}
    p = subprocess.Popen([str(keepopen), "serve", "--db", str(db), "--addr", "127.0.0.1:0"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    line = p.stdout.readline()
    addr = line.split("http://")[1].split("/")[0]
    status, _, _ = get(addr, "/")
    assert status == 200, status
    return p, addr, (time.perf_counter() - t) * 1000


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repos", nargs="+")
    ap.add_argument("--repos", dest="n_repos", type=int, default=1000)
    ap.add_argument("--findings", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--readers", type=int, default=200)
    ap.add_argument("--keepopen")
    ap.add_argument("--chromium", default="/usr/lib/chromium/chromium")
    a = ap.parse_args(argv)
    keepopen = bl.keepopen_binary(a.keepopen)
    work = Path(tempfile.mkdtemp(prefix="keepopen-dashboard-bench."))
    try:
        t = time.perf_counter()
        pool = pool_store(keepopen, a.repos, work)
        pool_s = time.perf_counter() - t
        big = work / "org.db"
        made = scale(pool, big, a.n_repos, a.findings)
        size_db = big.stat().st_size
        server, addr, cold_ms = start(keepopen, big)
        results: dict = {"store": {**made, "bytes": size_db, "pool_seconds": round(pool_s, 1)},
                         "cold_first_page_ms": round(cold_ms, 1), "pages": {}}
        try:
            one = "/srv/nhs/team-00/repo-0000"
            pages = {
                "organisation /": "/",
                "findings /findings (100 per page)": "/findings",
                "findings, filtered": "/findings?category=secret&severity=critical&triage=untriaged",
                "repository /repository": "/repository?path=" + one.replace("/", "%2F"),
                "GET /api/summary": "/api/summary",
                "GET /api/findings?limit=100": "/api/findings?limit=100",
            }
            for label, path in pages.items():
                times, size = [], 0
                for _ in range(a.requests):
                    status, size, ms = get(addr, path)
                    assert status == 200, (path, status)
                    times.append(ms)
                results["pages"][label] = {"median_ms": round(statistics.median(times), 2),
                                           "p95_ms": round(pct(times, 0.95), 2), "bytes": size}
            # Concurrent readers: all start together, three rounds.
            errors, lat = 0, []
            lock = threading.Lock()
            for _ in range(3):
                barrier = threading.Barrier(a.readers)

                def reader():
                    nonlocal errors
                    barrier.wait()
                    try:
                        status, _, ms = get(addr, "/")
                        with lock:
                            lat.append(ms)
                            if status != 200:
                                errors += 1
                    except Exception:  # noqa: BLE001 - every failure counts
                        with lock:
                            errors += 1

                threads = [threading.Thread(target=reader) for _ in range(a.readers)]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join()
            results["concurrent"] = {"readers": a.readers, "rounds": 3, "requests": 3 * a.readers,
                                     "errors": errors, "median_ms": round(statistics.median(lat), 1),
                                     "p95_ms": round(pct(lat, 0.95), 1), "max_ms": round(max(lat), 1)}
            rss = int(next(l.split()[1] for l in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                           if l.startswith("VmHWM")))
            results["server_peak_rss_mb"] = round(rss / 1024, 1)
        finally:
            server.terminate()
            server.wait()
        report = work / "report.html"
        t = time.perf_counter()
        p = subprocess.run([str(keepopen), "report", "--db", str(big), "--format", "html", "-o", str(report)],
                           stderr=subprocess.PIPE)
        results["report"] = {"seconds": round(time.perf_counter() - t, 2), "exit": p.returncode,
                             "bytes": report.stat().st_size,
                             "mb": round(report.stat().st_size / 1e6, 2)}
        paint = subprocess.run(["node", str(BENCH / "paint.mjs"), str(report), "5", a.chromium],
                               capture_output=True, text=True)
        if paint.returncode == 0:
            results["report"]["paint_ms"] = json.loads(paint.stdout)["median"]
        else:
            results["report"]["paint_error"] = paint.stderr[-500:]
        results["machine"] = bl.machine_info()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Store: {made['repositories']} repositories, {made['findings']} findings "
          f"(from {made['pool_repositories']} real repositories' {made['pool_findings']} findings), "
          f"{size_db / 1e6:.0f} MB.\n")
    print("| what | median | p95 | size | target |\n|---|---:|---:|---:|---|")
    for label, r in results["pages"].items():
        target = "< 100 ms" if label.startswith("organisation") else ""
        print(f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['bytes'] / 1e3:.0f} kB | {target} |")
    c = results["concurrent"]
    print(f"| {c['readers']} concurrent readers of / ×{c['rounds']} | {c['median_ms']} ms | {c['p95_ms']} ms "
          f"| errors: {c['errors']} | no error |")
    print(f"| first page after start (store read into memory) | {results['cold_first_page_ms']:.0f} ms | | | |")
    r = results["report"]
    paint = r.get("paint_ms") or {}
    print(f"| HTML report: size | | | {r['mb']} MB | < 10 MB |")
    fmt = lambda k: f"{paint[k]:.0f} ms" if paint.get(k) is not None else "n/a"  # noqa: E731
    print(f"| HTML report: first contentful paint (Chromium, median of 5) | {fmt('fcp')} | | | < 1500 ms |")
    print(f"| HTML report: largest contentful paint | {fmt('lcp')} | | | |")
    print(f"| HTML report: DOMContentLoaded / load (whole file parsed, script run) | {fmt('dcl')} / {fmt('load')} | | | |")
    print(f"\nServer peak RSS {results['server_peak_rss_mb']} MB; report written in {r['seconds']} s.")
    bl.write_json(bl.RESULTS / "dashboard.json", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

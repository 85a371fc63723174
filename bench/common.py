"""Shared helpers: the machine's details, peak memory of processes, timed child processes."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
VENV_BIN = Path(sys.executable).parent


# -- peak RSS ---------------------------------------------------------------------------------------

def _status_kb(pid: int | str, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """The process's high-water RSS (VmHWM) in MiB, since it started or since ``reset_peak``."""
    kb = _status_kb(pid, "VmHWM")
    return None if kb is None else round(kb / 1024, 1)


def rss_mb(pid: int | str = "self") -> float | None:
    kb = _status_kb(pid, "VmRSS")
    return None if kb is None else round(kb / 1024, 1)


def reset_peak(pid: int | str = "self") -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to /proc/PID/clear_refs)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


# -- child processes ------------------------------------------------------------------------------

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


@dataclass
class ChildResult:
    returncode: int
    wall_s: float
    peak_rss_mb: float  # the child's own maxrss (not its children's)
    stdout: str
    stderr: str


def run_child(args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
              timeout: float | None = None) -> ChildResult:
    """Run a command, timing it from launch to exit, and take its peak RSS from wait4()."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-child-{os.getpid()}-{time.monotonic_ns()}"
    # A child started with vfork (as subprocess does) inherits this process's high-water RSS in
    # its own maxrss. GNU time forks from a small process, so its %M is the command's own peak.
    time_file = Path(f"{out_path}.time")
    if GNU_TIME:
        args = [GNU_TIME, "-f", "%M", "-o", str(time_file), *args]
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                   env=env, cwd=cwd)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.monotonic() > deadline:
                process.kill()
                pid, status, rusage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    maxrss_kb = rusage.ru_maxrss
    if GNU_TIME:
        try:
            maxrss_kb = int(time_file.read_text().strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            pass
    for suffix in (".out", ".err", ".time"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    return ChildResult(process.returncode, wall, round(maxrss_kb / 1024, 1), stdout, stderr)


# -- the machine ------------------------------------------------------------------------------------

def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _mem_total_gib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in (
            "portfolio-graph", "falkordblite", "falkordb", "redis", "neo4j", "falkordb-bulk-loader", "openpyxl")},
    }
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
        info["java"] = (java.stderr or java.stdout).splitlines()[0]
    except (OSError, subprocess.SubprocessError):
        info["java"] = None
    return info


def falkordb_versions(conn: Any) -> dict[str, Any]:
    modules = conn.execute_command("MODULE", "LIST")
    graph_ver = None
    for module in modules:
        fields = dict(zip(module[::2], module[1::2]))
        name = fields.get(b"name", fields.get("name"))
        if name in (b"graph", "graph"):
            graph_ver = fields.get(b"ver", fields.get("ver"))
    ver = int(graph_ver) if graph_ver is not None else None
    human = f"{ver // 10000}.{ver // 100 % 100}.{ver % 100}" if ver else None
    return {"falkordb_module": human, "redis_server": conn.info("server").get("redis_version")}


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")

"""Finding a database folder's server processes, and waiting without timing assertions."""

from __future__ import annotations

import time
from pathlib import Path

import psutil


def server_processes(db_dir: Path) -> list[psutil.Process]:
    """Live (not zombie) redis-server and supervisor processes serving ``db_dir``."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
        except psutil.Error:
            continue
        if str(db_dir) in cmdline and ("redis-server" in cmdline or "embedded_server" in cmdline):
            found.append(proc)
    return found


def redis_servers(db_dir: Path) -> list[psutil.Process]:
    return [p for p in server_processes(db_dir) if "redis-server" in " ".join(p.info["cmdline"] or [])]


def wait_until(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()

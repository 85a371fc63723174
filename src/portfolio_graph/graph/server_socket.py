"""Where an embedded server's socket lives, and how a client knows the server is this user's.

A database folder is named by its resolved path and recognised by its device and inode, so
``sub/../p.db`` and a symlink to ``p.db`` are the same database, and a folder that was deleted
and made again under the same name is another one.

Each server start gets a socket name of its own. Redis unlinks its socket path when it exits; a
name shared across starts let a server that was still exiting delete its successor's socket.

When ``<db>/server-<nonce>.sock`` is too long for AF_UNIX the socket goes to a folder only this
user can use: ``$XDG_RUNTIME_DIR`` if it is private, else ``<tmp>/portfolio-graph-<uid>``, which
must be a real folder owned by this user with no access for others (another local user could
otherwise create it first and serve the socket path themselves). A client also checks, with
SO_PEERCRED, that whatever listens on the socket runs as this user.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import stat
import struct
import tempfile
from pathlib import Path

from ..errors import PortfolioGraphError

SOCKET_PREFIX = "server-"
SOCKET_SUFFIX = ".sock"
MAX_SOCKET_BYTES = 100  # AF_UNIX paths are limited to about 107 bytes


class SocketFolderError(PortfolioGraphError, RuntimeError):
    """The socket folder, or the process on the socket, is not this user's alone."""


def identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``, or None when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def private_problem(folder: Path) -> str | None:
    """Why ``folder`` is not a folder only this user can use, or None when it is."""
    try:
        st = os.lstat(folder)
    except OSError as exc:
        return f"cannot be checked ({exc.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return "is not a folder (a symlink or a file is there)"
    if st.st_uid != os.geteuid():
        return f"belongs to another user (uid {st.st_uid})"
    if st.st_mode & 0o077:
        return f"can be used by other users (mode {stat.S_IMODE(st.st_mode):04o}; it must be 0700)"
    return None


def _fallback_folder() -> Path:
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg) and private_problem(Path(xdg)) is None:
        return Path(xdg)
    folder = Path(tempfile.gettempdir()) / f"portfolio-graph-{os.geteuid()}"
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    problem = private_problem(folder)
    if problem is not None:
        raise SocketFolderError(
            f"the socket folder {folder} {problem}; another user may control it. Remove it (or set "
            f"XDG_RUNTIME_DIR to a folder only you can use), or give the database a shorter path"
        )
    return folder


def new_socket_path(db_dir: Path) -> Path:
    """A socket path for a new server of ``db_dir`` (resolved), unique to this start."""
    nonce = secrets.token_hex(4)
    candidate = db_dir / f"{SOCKET_PREFIX}{nonce}{SOCKET_SUFFIX}"
    if len(os.fsencode(candidate)) < MAX_SOCKET_BYTES:
        return candidate
    folder = _fallback_folder()
    path = folder / f"{_digest(db_dir)}-{nonce}{SOCKET_SUFFIX}"
    if len(os.fsencode(path)) >= MAX_SOCKET_BYTES:
        raise SocketFolderError(f"no socket path short enough for {db_dir}: {folder} is too long a folder")
    return path


def _digest(db_dir: Path) -> str:
    return hashlib.sha256(os.fsencode(db_dir)).hexdigest()[:20]


def stale_sockets(db_dir: Path) -> list[Path]:
    """Sockets earlier servers of ``db_dir`` may have left (a killed server does not unlink its
    own). Only to be removed by the supervisor that owns the folder, once no old server runs."""
    found = list(db_dir.glob(f"{SOCKET_PREFIX}*{SOCKET_SUFFIX}")) + [db_dir / "server.sock"]
    for folder in (os.environ.get("XDG_RUNTIME_DIR"), str(Path(tempfile.gettempdir()) / f"portfolio-graph-{os.geteuid()}")):
        if folder and os.path.isabs(folder) and private_problem(Path(folder)) is None:
            found += Path(folder).glob(f"{_digest(db_dir)}-*{SOCKET_SUFFIX}")
    return [p for p in found if p.is_socket()]


def peer_uid(socket_path: Path) -> int | None:
    """The uid of the process listening on ``socket_path`` (Linux SO_PEERCRED), None where the
    platform cannot tell or nothing listens."""
    so_peercred = getattr(socket, "SO_PEERCRED", None)
    if so_peercred is None:  # pragma: no cover - not Linux
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect(str(socket_path))
            creds = sock.getsockopt(socket.SOL_SOCKET, so_peercred, struct.calcsize("3i"))
    except OSError:
        return None
    return struct.unpack("3i", creds)[1]


def check_peer(socket_path: Path) -> None:
    """Refuse a socket another user's process listens on: what is sent there would go to them."""
    uid = peer_uid(socket_path)
    if uid is not None and uid != os.geteuid():
        raise SocketFolderError(
            f"the database socket {socket_path} is served by another user's process (uid {uid}); "
            f"nothing was sent to it. Remove the socket's folder, or give the database a shorter path"
        )

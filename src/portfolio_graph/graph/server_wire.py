"""A few raw Redis commands for the supervisor, which must not need the client library's
connection pool to ask a server that is still loading whether it is ready."""

from __future__ import annotations

import socket
from pathlib import Path


def send(socket_path: Path, command: bytes, timeout: float = 1.0) -> bytes:
    """One inline command's raw reply (b"" when the server does not answer)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(socket_path))
            sock.sendall(command)
            reply = sock.recv(65536)
            if reply.startswith(b"$"):
                size = int(reply[1:reply.index(b"\r\n")])
                while len(reply) < size + len(str(size)) + 5:
                    more = sock.recv(65536)
                    if not more:
                        break
                    reply += more
            return reply
    except (OSError, ValueError):
        return b""


def info(socket_path: Path) -> dict[str, str]:
    text = send(socket_path, b"INFO persistence\r\n").decode(errors="replace")
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def rewriting(socket_path: Path) -> bool:
    state = info(socket_path)
    return state.get("aof_rewrite_in_progress") == "1" or state.get("aof_rewrite_scheduled") == "1"

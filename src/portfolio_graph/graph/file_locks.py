"""Advisory file locks (flock) with a timeout: the embedded server's locks and the writer's."""

from __future__ import annotations

import errno
import fcntl
import time
from pathlib import Path
from typing import IO


def open_lock(path: Path) -> IO[bytes]:
    """The lock file, created if missing (its content is never read)."""
    return open(path, "a+b")


def try_lock(handle: IO[bytes], mode: int) -> bool:
    """Take the lock (fcntl.LOCK_SH or LOCK_EX) if it is free; False if another holds it."""
    try:
        fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


def lock_with_timeout(handle: IO[bytes], mode: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for the lock."""
    deadline = time.monotonic() + timeout
    while True:
        if try_lock(handle, mode):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)

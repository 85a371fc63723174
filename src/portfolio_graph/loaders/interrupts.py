"""Ctrl-C and SIGTERM during a load tell the truth about the graph.

A write cannot be stopped halfway from here: a small load is one query the server runs to the
end once it has it, and a big one ends in one RENAME. "Aborted!" after such a write had committed
(and in ``history``) was a lie. So while the write runs, the first SIGINT or SIGTERM is held: the
write finishes, and the load then stops with ``WriteInterrupted`` saying it was committed, with its
load id. A second signal breaks off at once, saying that the write may or may not have been
committed and how to find out. Before the write, an interrupt means nothing was written.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from typing import Iterator

from ..errors import PortfolioGraphError

HELD = (signal.SIGINT, signal.SIGTERM)


class WriteInterrupted(PortfolioGraphError):
    """The load was interrupted; the message says whether its write was committed."""

    def __init__(self, message: str, signum: int):
        super().__init__(message)
        self.exit_code = 128 + signum  # as a shell reports a process a signal stopped


class _Caught:
    signum: int | None = None


@contextlib.contextmanager
def held_interrupts() -> Iterator[_Caught]:
    """Hold SIGINT and SIGTERM while the block runs (only the main thread can have handlers)."""
    caught = _Caught()
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return

    def hold(signum: int, _frame: object) -> None:
        if caught.signum is not None:
            raise KeyboardInterrupt  # the second one: break off now
        caught.signum = signum
        print(f"{signal.Signals(signum).name} received: the write in progress cannot be stopped halfway; "
              "it is finishing (interrupt again to break off, leaving it uncertain)", file=sys.stderr, flush=True)

    previous = {s: signal.signal(s, hold) for s in HELD}
    try:
        yield caught
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def committed_anyway(signum: int, load_id: str) -> WriteInterrupted:
    return WriteInterrupted(
        f"interrupted ({signal.Signals(signum).name}) during the write, which had already been committed: "
        f"load id {load_id} is in the graph (`portfolio-graph history` lists it)", signum)


def uncertain(load_id: str) -> WriteInterrupted:
    return WriteInterrupted(
        f"interrupted twice during the write: it may or may not have been committed. "
        f"`portfolio-graph history` shows whether load id {load_id} is there; if it is not, nothing was written",
        signal.SIGINT)


def nothing_written(signum: int = signal.SIGINT) -> WriteInterrupted:
    return WriteInterrupted("interrupted before the write began: nothing was written", signum)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the load can say what it left."""

    signum = signal.SIGTERM


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the block as Ctrl-C does (by default it ended the process without a word)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(_signum: int, _frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

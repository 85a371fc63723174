"""A progress bar on stderr for big loads; silent for small ones and when disabled.

It starts only once a load passes ``THRESHOLD`` rows, so everyday lists print no bar at all,
and it never writes to stdout, where ``--format json`` output goes.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

THRESHOLD = 5_000
_STEP = 1_000  # rows between display updates: updating rich per row would cost more than the row


class Progress:
    def __init__(self, enabled: bool, callback: Callable[[int], None] | None = None):
        self.enabled = enabled
        self.callback = callback
        self.rows = 0
        self._pending = 0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self._flush()
        self._stop()

    def tick(self, n: int = 1) -> None:
        self.rows += n
        self._pending += n
        if self._pending >= _STEP:
            self._flush()

    def _flush(self) -> None:
        if self.callback and self._pending:
            self.callback(self.rows)
        if self.enabled and self.rows >= THRESHOLD:
            if self._progress is None:
                self._start()
            self._progress.update(self._task, completed=self.rows)
        self._pending = 0

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, SpinnerColumn,
                                   TextColumn, TimeElapsedColumn)

        self._progress = RichProgress(
            SpinnerColumn(), TextColumn("reading rows"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("rows", total=None, rate="")

    def _stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    @contextlib.contextmanager
    def status(self, message: str) -> Iterator[None]:
        """A spinner while the one write runs (it cannot report progress from inside)."""
        if not (self.enabled and self.rows >= THRESHOLD):
            yield
            return
        from rich.console import Console

        with Console(stderr=True).status(message):
            yield

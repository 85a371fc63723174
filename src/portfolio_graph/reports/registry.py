"""Where reports come from: the built-in folder, then ``$PORTFOLIO_GRAPH_REPORTS``, then folders
the caller names (``--reports-dir``). A later folder's report replaces an earlier one of the
same name, so a team can adapt a built-in report without editing the package.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

from ..i18n import _
from .spec import ReportError, ReportFileError, ReportSpec, parse_report_file

REPORTS_ENV = "PORTFOLIO_GRAPH_REPORTS"


class UnknownReport(ReportError):
    """No report has that name; the message lists the names there are."""


def builtin_dir() -> Path:
    from .. import cypher

    return Path(cypher.__file__).resolve().parent


def report_dirs(extra: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None = None) -> list[tuple[Path, str]]:
    """(folder, origin) pairs in override order: built-in, environment, then ``extra``."""
    dirs: list[tuple[Path, str]] = [(builtin_dir(), "built-in")]
    for part in (os.environ.get(REPORTS_ENV) or "").split(os.pathsep):
        if part.strip():
            dirs.append((Path(part.strip()).expanduser(), f"${REPORTS_ENV}"))
    if isinstance(extra, (str, os.PathLike)):
        extra = [extra]
    for item in extra or ():
        dirs.append((Path(item).expanduser(), "--reports-dir"))
    return dirs


@functools.lru_cache(maxsize=256)
def _parse(path: str, mtime_ns: int, size: int, origin: str) -> ReportSpec:
    # Keyed by modification time and size, so an edited file is read again.
    return parse_report_file(Path(path), origin=origin)


class Registry:
    """The reports visible with the given extra folders; files are parsed once, on creation."""

    def __init__(self, extra_dirs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str] | None = None):
        self.reports: dict[str, ReportSpec] = {}
        self.problems: dict[str, ReportFileError] = {}  # file stem -> why it cannot be used
        for folder, origin in report_dirs(extra_dirs):
            if not folder.is_dir():
                raise ReportError(f"reports folder {folder} ({origin}) does not exist or is not a folder")
            for path in sorted(folder.glob("*.cypher")):
                try:
                    stat = path.stat()
                    spec = _parse(str(path), stat.st_mtime_ns, stat.st_size, origin)
                except ReportFileError as exc:
                    self.problems[path.stem] = exc
                    self.reports.pop(path.stem, None)
                    continue
                self.problems.pop(spec.name, None)
                self.reports[spec.name] = spec

    @property
    def names(self) -> list[str]:
        return sorted(self.reports)

    def get(self, name: str) -> ReportSpec:
        if name in self.reports:
            return self.reports[name]
        if name in self.problems:
            raise self.problems[name]
        raise UnknownReport(_("no report named {name!r}; reports: {names}").format(name=name, names=", ".join(self.names)))

    def __iter__(self):
        return iter(self.reports[name] for name in self.names)

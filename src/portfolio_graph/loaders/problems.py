"""A problem found in a file, located the way a steward finds it: file, sheet, row, column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

from ..i18n import _, ngettext


@dataclass
class Problem:
    file: Path | str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # spreadsheet letter and header, e.g. "C (总投资(亿元))"
    message: str = ""
    fix: str = ""
    severity: str = "error"  # or "warning"
    row_word: str = "row"  # "item" for JSON arrays, "line" for JSONL

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def where(self) -> str:
        parts = [_printable(Path(self.file).name) if self.file else _("(load)")]
        parts += position_parts(self.sheet, self.row_word, self.row)
        if self.column:
            parts.append(_("column {column}").format(column=self.column))
        return _(", ").join(parts)

    def __str__(self) -> str:
        text = _("{where}: {message}").format(where=self.where(), message=self.message)
        return _("{problem} — {fix}").format(problem=text, fix=self.fix) if self.fix else text

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": _printable(str(self.file)),
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "fix": self.fix,
        }


def position_parts(sheet: str | None, row_word: str, row: int | None) -> list[str]:
    """``sheet 项目``, ``row 3`` (``item``/``line`` for JSON and JSONL) in the reader's language."""
    parts = []
    if sheet:
        parts.append(_("sheet {sheet}").format(sheet=sheet))
    if row is not None:
        word = {"row": _("row {number}"), "item": _("item {number}"), "line": _("line {number}")}
        parts.append(word.get(row_word, word["row"]).format(number=row))
    return parts


def _printable(name: str) -> str:
    """A file name as text that can be printed: bytes that are not UTF-8 (kept by Python as
    surrogates) are shown as escapes instead of failing the write to the terminal or to JSON."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


class LoadRejected(InputError):
    """The files have problems; nothing was written. ``problems`` lists every one, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        lines = [ngettext("{count} problem found; nothing was written",
                          "{count} problems found; nothing was written", len(errors)).format(count=len(errors)) + ":"]
        lines += [f"  {p}" for p in errors]
        super().__init__("\n".join(lines))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

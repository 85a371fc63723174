"""What a column is called for a reader: its title in the chosen language, its help, its format.

A report file declares each column as ``key: {zh: 标题, en: Title, help: ..., technical: true,
format: amount, unit: 亿元}``. The human formats (table, csv, md, xlsx, html) head a column with
its title and the unit in brackets (``总投资(亿元)``); json and ``--keys`` keep the keys. Technical
columns (ids, raw keys) are left out of the human formats unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..i18n import current_language, pick

HUMAN_FORMATS = ("table", "csv", "md", "xlsx", "html")
# Units as an English reader knows them; a unit not listed reads the same in both languages.
UNITS_EN = {"亿元": "100M yuan", "万元": "10k yuan", "元": "yuan", "亩": "mu", "公顷": "ha", "个": "",
            "项": ""}


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # in the chosen language, with the unit
    help: str = ""
    format: str = ""
    unit: str = ""  # as the reader reads it
    technical: bool = False


def unit_text(unit: str, language: str) -> str:
    if language == "en":
        return UNITS_EN.get(unit, unit)
    return unit


def column_title(spec_column: Any, language: str | None = None) -> str:
    """``zh``/``en`` title of a report column (the other one, else the key, when missing), with
    its unit in brackets."""
    language = language or current_language()
    title = pick(getattr(spec_column, "zh", ""), getattr(spec_column, "en", ""), language) or spec_column.name
    unit = unit_text(getattr(spec_column, "unit", ""), language)
    if unit:
        title += f"({unit})" if language == "zh" else f" ({unit})"
    return title


def report_columns(spec_columns: Iterable[Any], language: str | None = None) -> list[Column]:
    language = language or current_language()
    return [
        Column(key=c.name, title=column_title(c, language), help=c.help, format=c.format,
               unit=unit_text(c.unit, language), technical=c.technical)
        for c in spec_columns
    ]


def shown_columns(spec_columns: Iterable[Any], wanted: list[str] | None, with_ids: bool) -> list[str]:
    """The keys a human format shows: ``wanted`` in its order, less the technical columns unless
    ``with_ids`` (ids mean nothing to a reader of a forwarded file)."""
    columns = list(spec_columns)
    keys = wanted if wanted is not None else [c.name for c in columns]
    if with_ids:
        return keys
    technical = {c.name for c in columns if c.technical}
    return [k for k in keys if k not in technical]


def heading(key: str, meta: dict[str, Any] | None) -> str:
    """The header text of column ``key`` in a rendered table: its title, or the key itself when
    the rows carry no titles (a query, ``--keys``)."""
    titles = (meta or {}).get("titles") or {}
    return titles.get(key, key)


def titles_meta(columns: list[Column], language: str) -> dict[str, Any]:
    """What the renderers need from the columns: titles, help, formats and units, by key."""
    return {
        "language": language,
        "titles": {c.key: c.title for c in columns},
        "column_help": {c.key: c.help for c in columns},
        "column_formats": {c.key: {"format": c.format, "unit": c.unit} for c in columns},
        "technical": {c.key: c.technical for c in columns},
    }


def readers_meta(meta: dict[str, Any], spec: Any, language: str | None = None) -> dict[str, Any]:
    """A report's ``meta`` for the human formats: its title and its columns' titles, help and
    formats in ``language``."""
    language = language or current_language()
    title = pick(spec.title_zh, spec.title_en, language) if " / " in spec.title else spec.title
    return {**meta, "title": title, **titles_meta(report_columns(spec.columns, language), language)}

"""How a value reads in a human format, by the column's declared format.

Only for rows rendered for readers (``meta["language"]`` set, which the report command does
unless ``--keys``): booleans as 是/否 (Yes/No), amounts with two decimals, percentages with a
``%``, dates as ``2023-09-01``, empty lists blank. Without a language (json, ``--keys``, a raw
query) values read as before: ``true``/``false``, lists joined with 、.

xlsx gets the typed value and an Excel number format instead of text (``xlsx_value``), so a
forwarded workbook can still be summed and sorted.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ..i18n import pick
from .cells import cell_text

AMOUNT_DECIMALS = 2
PERCENT_DECIMALS = 1
XLSX_FORMATS = {
    "int": "0",
    "amount": "#,##0." + "0" * AMOUNT_DECIMALS,
    "percent": "0." + "0" * PERCENT_DECIMALS + "%",
    "number": "General",
    "date": "yyyy-mm-dd",
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def column_format(key: str, meta: dict[str, Any] | None) -> tuple[str, str]:
    """(format, unit) of column ``key`` as its report declares it; ("", "") when it does not."""
    spec = ((meta or {}).get("column_formats") or {}).get(key) or {}
    return spec.get("format", ""), spec.get("unit", "")


def for_readers(meta: dict[str, Any] | None) -> bool:
    return bool((meta or {}).get("language"))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def yes_no(value: bool, language: str) -> str:
    return pick("是", "Yes", language) if value else pick("否", "No", language)


def number_text(value: float, decimals: int | None = None) -> str:
    """``decimals`` fixed, else as few as the value needs (at most four significant after the
    point); thousands separated."""
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text


def reader_text(value: Any, key: str, meta: dict[str, Any] | None) -> str:
    """The text of one cell for a reader, following the column's format."""

    if not for_readers(meta):
        return cell_text(value)
    language = meta["language"]
    fmt, _unit = column_format(key, meta)
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value, language)
    if isinstance(value, (list, tuple)):
        return "、".join(reader_text(v, key, {**meta, "column_formats": {}}) for v in value)
    if _is_number(value):
        if fmt == "amount":
            return number_text(value, AMOUNT_DECIMALS)
        if fmt == "percent":
            return f"{value:.{PERCENT_DECIMALS}f}%"
        if fmt == "int":
            return str(int(value)) if float(value).is_integer() else number_text(value)
        return number_text(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10] if fmt == "date" else value.isoformat()
    return cell_text(value)


def xlsx_value(value: Any, key: str, meta: dict[str, Any] | None) -> tuple[Any, str | None]:
    """(cell value, number format) for an xlsx cell: numbers stay numbers with a format that
    shows them as the table does; booleans and lists become reader text; ISO dates real dates."""
    if not for_readers(meta):
        return value, None
    fmt, _unit = column_format(key, meta)
    if _is_number(value):
        if fmt == "percent":
            return value / 100, XLSX_FORMATS["percent"]  # a real share: =A2*B2 works
        if fmt in XLSX_FORMATS:
            return value, XLSX_FORMATS[fmt]
        return value, "0" if float(value).is_integer() else "#,##0.####"
    if fmt == "date" and isinstance(value, str) and ISO_DATE.match(value):
        try:
            return _dt.date.fromisoformat(value), XLSX_FORMATS["date"]
        except ValueError:
            pass
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return None, None
    return reader_text(value, key, meta), None

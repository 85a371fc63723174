"""An Excel workbook of the rows: a styled header of column titles, the header row and the first
column frozen, columns sized for Chinese text with long cells wrapped, numbers as real numbers with
a number format, and no cell that Excel would run as a formula. A second sheet (说明 / About) says
what the report is and what each column means.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from typing import Any

from ..i18n import pick
from .cells import cell_text, row_columns
from .columns import heading
from .values import for_readers, xlsx_value
from .safety import neutralise_formula
from .width import longest_line_width

HEADER_FILL = "1F4E78"
HEADER_FONT = "FFFFFF"
MIN_WIDTH, MAX_WIDTH = 6, 50
# A header wraps onto a second line rather than widening a column of short values much.
HEADER_SHARE = 0.6
SHEET_TITLE_BAD = re.compile(r"[\\*?:/\[\]]")


def _clean(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", text))


def _cell_value(value: Any) -> Any:
    """Numbers and booleans stay typed; everything else becomes neutralised text."""

    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _clean(cell_text(value))


def _sheet_title(title: str | None) -> str:
    cleaned = SHEET_TITLE_BAD.sub("_", title or "report").strip("'") or "report"
    return cleaned[:31]


def render_xlsx(rows: list[dict[str, Any]], columns: list[str] | None = None, title: str | None = None,
                meta: dict[str, Any] | None = None, **_: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    meta = meta or {}
    cols = row_columns(rows, columns)
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title((meta.get("title") if for_readers(meta) else None) or meta.get("name") or title)
    styles = _styles()
    headers = [str(heading(c, meta)) for c in cols]
    for index, (name, text) in enumerate(zip(cols, headers), start=1):
        cell = sheet.cell(row=1, column=index, value=_clean(text))
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment, cell.border = (styles["header_font"], styles["header_fill"],
                                                             styles["header_align"], styles["border"])
        help_text = (meta.get("column_help") or {}).get(name)
        if help_text:
            from openpyxl.comments import Comment

            cell.comment = Comment(_clean(help_text), "portfolio-graph")

    widths = [0] * len(cols)
    for row_index, row in enumerate(rows, start=2):
        for col_index, name in enumerate(cols, start=1):
            widths[col_index - 1] = max(widths[col_index - 1], _write_cell(sheet, row_index, col_index,
                                                                           row.get(name), name, meta, styles))
    for index, (width, text) in enumerate(zip(widths, headers), start=1):
        # Excel's width unit is about one Latin character; a CJK character counts two.
        header = longest_line_width(text)
        fitted = max(width, min(header, max(width, int(header * HEADER_SHARE))), MIN_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = min(fitted, MAX_WIDTH) + 2
    # The header and the first column (what a row is about) stay in view while scrolling.
    sheet.freeze_panes = "B2" if len(cols) > 1 else "A2"
    if cols:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(rows), 1) + 1}"

    _about_sheet(book, meta, title, len(rows), cols)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="BFBFBF")
    return {
        "header_font": Font(bold=True, color=HEADER_FONT),
        "header_fill": PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL),
        "header_align": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "wrap": Alignment(vertical="top", wrap_text=True),
        "top": Alignment(vertical="top"),
    }


def _write_cell(sheet: Any, row_index: int, col_index: int, raw: Any, name: str, meta: dict[str, Any],
                styles: dict[str, Any]) -> int:
    """Write one cell; returns the width it wants."""
    value, number_format = xlsx_value(raw, name, meta)
    if number_format is None:
        value = _cell_value(value)
    cell = sheet.cell(row=row_index, column=col_index, value=value)
    cell.border = styles["border"]
    cell.alignment = styles["top"]
    if number_format:
        cell.number_format = number_format
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text says
        width = longest_line_width(value)
        if width > MAX_WIDTH or "\n" in value:
            cell.alignment = styles["wrap"]
        return width
    if value is None:
        return 0
    if number_format and number_format != "General":
        return len(_shown_number(value, number_format))
    return len(str(value))


def _shown_number(value: Any, number_format: str) -> str:
    if number_format.endswith("%"):
        return f"{value * 100:.1f}%"
    if "," in number_format:
        return f"{value:,.2f}"
    return str(value)


def _about_sheet(book: Any, meta: dict[str, Any], title: str | None, count: int, cols: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    language = meta.get("language") or "zh"
    about = book.create_sheet(pick("说明", "About", language) if for_readers(meta) else "about")
    params = meta.get("params") or {}
    lines: list[tuple[str, Any]] = [
        (pick("报告", "Report", language), meta.get("name") or ""),
        (pick("标题", "Title", language), meta.get("title") or title or ""),
        (pick("说明", "Description", language), meta.get("description") or ""),
        (pick("参数", "Parameters", language), "; ".join(f"{k}={cell_text(v)}" for k, v in params.items())),
        (pick("行数", "Rows", language), count),
        (pick("生成时间", "Generated", language), _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z")),
        ("", ""),
        (pick("列", "Column", language), pick("含义", "Meaning", language)),
    ]
    help_text = meta.get("column_help") or {}
    for column in cols:
        lines.append((str(heading(column, meta)), help_text.get(column) or ""))
    bold = Font(bold=True)
    for index, (key, value) in enumerate(lines, start=1):
        key_cell = about.cell(row=index, column=1, value=_clean(key))
        key_cell.font = bold
        key_cell.data_type = "s"
        key_cell.alignment = Alignment(vertical="top", wrap_text=True)
        cell = about.cell(row=index, column=2, value=value if isinstance(value, int) else _clean(str(value)))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    about.cell(row=8, column=2).font = bold
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 100

"""An Excel workbook of the rows: a styled, frozen header, columns sized for Chinese text, and
no cell that Excel would run as a formula. A second sheet says what the report is.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from typing import Any

from .columns import heading
from .safety import neutralise_formula
from .width import longest_line_width

HEADER_FILL = "1F4E78"
HEADER_FONT = "FFFFFF"
MIN_WIDTH, MAX_WIDTH = 6, 60
SHEET_TITLE_BAD = re.compile(r"[\\*?:/\[\]]")


def _clean(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", text))


def _cell_value(value: Any) -> Any:
    """Numbers and booleans stay typed; everything else becomes neutralised text."""
    from .formats import cell_text

    if value is None or isinstance(value, (bool, int, float)):
        return value
    return _clean(cell_text(value))


def _sheet_title(title: str | None) -> str:
    cleaned = SHEET_TITLE_BAD.sub("_", title or "report").strip("'") or "report"
    return cleaned[:31]


def render_xlsx(rows: list[dict[str, Any]], columns: list[str] | None = None, title: str | None = None,
                meta: dict[str, Any] | None = None, **_: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from .formats import _columns

    meta = meta or {}
    cols = _columns(rows, columns)
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(meta.get("name") or title)

    thin = Side(style="thin", color="BFBFBF")
    header_font = Font(bold=True, color=HEADER_FONT)
    header_fill = PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    widths = [longest_line_width(str(heading(c, meta))) for c in cols]

    for index, name in enumerate(cols, start=1):
        cell = sheet.cell(row=1, column=index, value=_clean(str(heading(name, meta))))
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment, cell.border = header_font, header_fill, header_align, border
        help_text = (meta.get("column_help") or {}).get(name)
        if help_text:
            from openpyxl.comments import Comment

            cell.comment = Comment(_clean(help_text), "portfolio-graph")

    wrap = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    for row_index, row in enumerate(rows, start=2):
        for col_index, name in enumerate(cols, start=1):
            value = _cell_value(row.get(name))
            cell = sheet.cell(row=row_index, column=col_index, value=value)
            cell.border = border
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text says
                width = longest_line_width(value)
                cell.alignment = wrap if width > MAX_WIDTH else top
            else:
                width = len(str(value)) if value is not None else 0
                cell.alignment = top
            widths[col_index - 1] = max(widths[col_index - 1], width)

    for index, width in enumerate(widths, start=1):
        # Excel's width unit is about one Latin character; a CJK character counts two.
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, MIN_WIDTH), MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    if cols:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(rows), 1) + 1}"

    _about_sheet(book, meta, title, len(rows))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about_sheet(book: Any, meta: dict[str, Any], title: str | None, count: int) -> None:
    from openpyxl.styles import Alignment, Font

    from .formats import cell_text

    about = book.create_sheet("about")
    params = meta.get("params") or {}
    lines = [
        ("报告 report", meta.get("name") or ""),
        ("标题 title", meta.get("title") or title or ""),
        ("说明 description", meta.get("description") or ""),
        ("参数 parameters", "; ".join(f"{k}={cell_text(v)}" for k, v in params.items())),
        ("行数 rows", count),
        ("生成 generated", _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %z")),
    ]
    for column, help_text in (meta.get("column_help") or {}).items():
        if help_text:
            lines.append((f"列 column: {column}", help_text))
    for index, (key, value) in enumerate(lines, start=1):
        key_cell = about.cell(row=index, column=1, value=_clean(key))
        key_cell.font = Font(bold=True)
        key_cell.data_type = "s"
        cell = about.cell(row=index, column=2, value=value if isinstance(value, int) else _clean(str(value)))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 100

"""Bar charts for the html format: which columns carry information, and one inline SVG each.

A chart is drawn only where it says something: a numeric column the report names under
``chart:`` (or, when it names none, any numeric column that measures something), never a
technical column, an id, a position or a year, and never a column whose values are all the same
(an all-zero count in the strict view). The caption is the column's title.
"""

from __future__ import annotations

from typing import Any

from .columns import heading
from .safety import show_controls
from .values import reader_text
from .width import display_width

MAX_BARS = 40
# Numeric columns that identify or order rows rather than measure something.
NOT_MEASURES = {"year", "position", "actual_year", "depth", "hops", "rank", "row"}


def esc(value: Any) -> str:
    import html

    return html.escape(show_controls(str(value)), quote=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numeric_columns(rows: list[dict[str, Any]], cols: list[str]) -> list[str]:
    found = []
    for col in cols:
        values = [r.get(col) for r in rows if r.get(col) is not None]
        if values and all(_is_number(v) for v in values):
            found.append(col)
    return found


def _measures(col: str, meta: dict[str, Any]) -> bool:
    technical = (meta.get("technical") or {}).get(col, False)
    return not technical and col not in NOT_MEASURES and not col.endswith(("_year", "_id", "_position"))


def _varies(rows: list[dict[str, Any]], col: str) -> bool:
    return len({r.get(col) for r in rows if _is_number(r.get(col))}) > 1


def chart_columns(rows: list[dict[str, Any]], cols: list[str], meta: dict[str, Any]) -> list[str]:
    numeric = numeric_columns(rows, cols)
    declared = meta.get("chart")
    candidates = [c for c in declared if c in numeric] if declared is not None else numeric
    return [c for c in candidates if _measures(c, meta) and _varies(rows, c)]


def label_columns(rows: list[dict[str, Any]], cols: list[str], meta: dict[str, Any]) -> list[str]:
    declared = list(meta.get("chart_label") or ())
    if declared:
        return declared
    numeric = set(numeric_columns(rows, cols))
    text = [c for c in cols if c not in numeric and any(isinstance(r.get(c), str) for r in rows)]
    return text[:2]


def charts(rows: list[dict[str, Any]], cols: list[str], meta: dict[str, Any]) -> list[str]:
    labels = label_columns(rows, cols, meta)
    return [bar_chart(rows, col, labels, heading(col, meta), meta) for col in chart_columns(rows, cols, meta)]


def _bar_label(row: dict[str, Any], labels: list[str], index: int, meta: dict[str, Any] | None = None) -> str:
    parts = [reader_text(row.get(c), c, meta) for c in labels if row.get(c) not in (None, "", [])]
    return " · ".join(parts) or f"#{index + 1}"


def _truncate(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out = ""
    for char in text:
        if display_width(out + char + "…") > width:
            break
        out += char
    return out + "…"


def bar_chart(rows: list[dict[str, Any]], column: str, labels: list[str], caption: str | None = None,
              meta: dict[str, Any] | None = None) -> str:
    """A horizontal bar chart of one numeric column as inline SVG; labels may be Chinese."""
    shown = [(i, r) for i, r in enumerate(rows) if _is_number(r.get(column))][:MAX_BARS]
    total = sum(1 for r in rows if _is_number(r.get(column)))
    if not shown:
        return ""
    caption = caption or column
    values = [r[column] for _, r in shown]
    low, high = min(0, min(values)), max(0, max(values))
    span = (high - low) or 1
    names = [_truncate(_bar_label(r, labels, i, meta), 40) for i, r in shown]
    label_px = min(max(display_width(n) for n in names) * 7 + 12, 300)
    value_px = 70
    bar_px = 420
    row_px = 22
    width = label_px + bar_px + value_px
    height = row_px * len(shown) + 10
    zero_x = label_px + bar_px * (0 - low) / span
    parts = [
        f'<figure><figcaption>{esc(caption)}'
        + (f" (前 {len(shown)} / {total} 行)" if total > len(shown) else "")
        + "</figcaption>",
        f'<svg role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{esc(caption)}">',
    ]
    for slot, ((_, row), name) in enumerate(zip(shown, names)):
        value = row[column]
        y = 5 + slot * row_px
        x = label_px + bar_px * (min(value, 0) - low) / span
        bar_width = bar_px * abs(value) / span
        css = "bar neg" if value < 0 else "bar"
        text = reader_text(value, column, meta)
        parts.append(
            f'<text x="{label_px - 6}" y="{y + 15}" text-anchor="end">{esc(name)}</text>'
            f'<rect class="{css}" x="{x:.1f}" y="{y + 3}" width="{bar_width:.1f}" height="{row_px - 6}">'
            f"<title>{esc(name)}: {esc(text)}</title></rect>"
            f'<text x="{label_px + bar_px + 4}" y="{y + 15}">{esc(text)}</text>'
        )
    parts.append(f'<line x1="{zero_x:.1f}" y1="0" x2="{zero_x:.1f}" y2="{height}" stroke="#888"/>')
    parts.append("</svg></figure>")
    return "\n".join(parts)

"""One self-contained HTML page: inline CSS, no scripts, no fonts or images fetched from
anywhere, every value escaped; the table, then an inline SVG bar chart per numeric column.
"""

from __future__ import annotations

import datetime as _dt
import html
from typing import Any

from .columns import heading as column_heading
from .safety import show_controls
from .width import display_width

MAX_BARS = 40
# Numeric columns that identify or order rows rather than measure something.
NOT_MEASURES = {"year", "position", "actual_year", "depth", "hops", "rank", "row"}

CSS = """
body{font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;margin:2em;color:#1f2328;}
h1{font-size:1.5em;margin-bottom:.2em}
p.description{color:#444;max-width:60em}
dl.params{display:grid;grid-template-columns:max-content auto;gap:.2em 1em;font-size:.9em}
dl.params dt{font-weight:bold}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #c8ccd0;padding:.3em .6em;vertical-align:top;text-align:left}
th{background:#1f4e78;color:#fff;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f6f8fa}
figure{margin:1.5em 0}
figcaption{font-weight:bold;margin-bottom:.3em}
svg text{font-size:12px;fill:#1f2328}
svg rect.bar{fill:#2e75b6}
svg rect.neg{fill:#c55a11}
footer{color:#777;font-size:.8em;margin-top:2em}
""".strip()


def esc(value: Any) -> str:
    # Controls shown, not kept: the page may go to a terminal (no -o), and a browser would still
    # honour a bidi override.
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


def chart_columns(rows: list[dict[str, Any]], cols: list[str], meta: dict[str, Any]) -> list[str]:
    numeric = numeric_columns(rows, cols)
    declared = meta.get("chart")
    if declared is not None:
        return [c for c in declared if c in numeric]
    return [c for c in numeric if c not in NOT_MEASURES and not c.endswith(("_year", "_id"))]


def label_columns(rows: list[dict[str, Any]], cols: list[str], meta: dict[str, Any]) -> list[str]:
    declared = list(meta.get("chart_label") or ())
    if declared:
        return declared
    numeric = set(numeric_columns(rows, cols))
    text = [c for c in cols if c not in numeric and any(isinstance(r.get(c), str) for r in rows)]
    return text[:2]


def render_html(rows: list[dict[str, Any]], columns: list[str] | None = None, title: str | None = None,
                meta: dict[str, Any] | None = None, **_: Any) -> str:
    from .formats import _columns, cell_text

    meta = meta or {}
    cols = _columns(rows, columns)
    heading = meta.get("title") or title or meta.get("name") or "portfolio-graph"
    numeric = set(numeric_columns(rows, cols))
    help_text = meta.get("column_help") or {}

    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        # The page may load nothing: no script, font, image or style from anywhere else.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(heading)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(heading)}</h1>",
    ]
    if meta.get("description"):
        out.append(f'<p class="description">{esc(meta["description"])}</p>')
    params = meta.get("params") or {}
    if params:
        out.append('<dl class="params">')
        for key, value in params.items():
            out.append(f"<dt>{esc(key)}</dt><dd>{esc(cell_text(value))}</dd>")
        out.append("</dl>")

    out.append("<table>")
    out.append("<thead><tr>" + "".join(
        f'<th title="{esc(help_text[c])}">{esc(column_heading(c, meta))}</th>' if help_text.get(c)
        else f"<th>{esc(column_heading(c, meta))}</th>"
        for c in cols
    ) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        cells = []
        for col in cols:
            css = ' class="num"' if col in numeric else ""
            cells.append(f"<td{css}>{esc(cell_text(row.get(col)))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if not rows:
        out.append("<p>(no rows / 无结果)</p>")

    labels = label_columns(rows, cols, meta)
    for col in chart_columns(rows, cols, meta):
        out.append(bar_chart(rows, col, labels, column_heading(col, meta)))

    stamp = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    name = f" report {esc(meta['name'])}" if meta.get("name") else ""
    out.append(f"<footer>portfolio-graph{name} · {len(rows)} rows · {esc(stamp)}</footer>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _bar_label(row: dict[str, Any], labels: list[str], index: int) -> str:
    from .formats import cell_text

    parts = [cell_text(row.get(c)) for c in labels if row.get(c) not in (None, "", [])]
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


def bar_chart(rows: list[dict[str, Any]], column: str, labels: list[str], caption: str | None = None) -> str:
    """A horizontal bar chart of one numeric column as inline SVG; labels may be Chinese."""
    from .formats import cell_text

    shown = [(i, r) for i, r in enumerate(rows) if _is_number(r.get(column))][:MAX_BARS]
    total = sum(1 for r in rows if _is_number(r.get(column)))
    if not shown:
        return ""
    caption = caption or column
    values = [r[column] for _, r in shown]
    low, high = min(0, min(values)), max(0, max(values))
    span = (high - low) or 1
    names = [_truncate(_bar_label(r, labels, i), 40) for i, r in shown]
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
        text = cell_text(value)
        parts.append(
            f'<text x="{label_px - 6}" y="{y + 15}" text-anchor="end">{esc(name)}</text>'
            f'<rect class="{css}" x="{x:.1f}" y="{y + 3}" width="{bar_width:.1f}" height="{row_px - 6}">'
            f"<title>{esc(name)}: {esc(text)}</title></rect>"
            f'<text x="{label_px + bar_px + 4}" y="{y + 15}">{esc(text)}</text>'
        )
    parts.append(f'<line x1="{zero_x:.1f}" y1="0" x2="{zero_x:.1f}" y2="{height}" stroke="#888"/>')
    parts.append("</svg></figure>")
    return "\n".join(parts)

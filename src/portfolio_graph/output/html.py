"""One self-contained HTML page: inline CSS, no scripts, no fonts or images fetched from
anywhere, every value escaped; the table, then an inline SVG bar chart per informative column.

Laid out for a reader in a browser and on paper: each text column keeps a minimum width taken
from its values (so a name never wraps one character per line), long lists fold into "N 项"
that open on a click (``<details>``, no script), the header row and the first column stay in
view while the table scrolls, and the page prints on A4 landscape with every list written out.
"""

from __future__ import annotations

import datetime as _dt
import html
from typing import Any

from ..i18n import pick
from .charts import MAX_BARS, NOT_MEASURES, bar_chart, chart_columns, charts, label_columns, numeric_columns  # noqa: F401
from .cells import cell_text, row_columns
from .columns import heading as column_heading
from .safety import show_controls
from .values import reader_text
from .width import display_width

# A list with more items than this, or longer text, folds into "N 项".
FOLD_ITEMS, FOLD_WIDTH = 3, 40
# Minimum and maximum width of a text column, in em (one CJK character is about 1 em).
MIN_EM, MAX_EM = 3, 16

CSS = """
body{font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;margin:2em;color:#1f2328;}
h1{font-size:1.5em;margin-bottom:.2em}
p.description{color:#444;max-width:60em}
dl.params{display:grid;grid-template-columns:max-content auto;gap:.2em 1em;font-size:.9em}
dl.params dt{font-weight:bold}
div.scroll{overflow:auto;max-height:85vh;max-width:100%;margin:1em 0;border:1px solid #c8ccd0}
table{border-collapse:separate;border-spacing:0;font-size:.9em}
th,td{border-right:1px solid #c8ccd0;border-bottom:1px solid #c8ccd0;padding:.3em .6em;vertical-align:top;text-align:left;word-break:normal;overflow-wrap:break-word;line-break:strict}
th{background:#1f4e78;color:#fff;position:sticky;top:0;z-index:2}
th:first-child,td:first-child{position:sticky;left:0;z-index:1}
th:first-child{z-index:3}
td:first-child{background:#fff}
tr:nth-child(even) td{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.list{max-width:24em}
details summary{cursor:pointer;color:#1f4e78;white-space:nowrap}
details ul{margin:.3em 0 0 1.2em;padding:0}
span.print{display:none}
figure{margin:1.5em 0;break-inside:avoid}
figcaption{font-weight:bold;margin-bottom:.3em}
svg text{font-size:12px;fill:#1f2328}
svg rect.bar{fill:#2e75b6}
svg rect.neg{fill:#c55a11}
footer{color:#777;font-size:.8em;margin-top:2em}
@page{size:A4 landscape;margin:10mm}
@media print{
body{margin:0;font-size:9pt}
div.scroll{overflow:visible;max-height:none;border:none}
th,td:first-child{position:static}
thead{display:table-header-group}
tr{break-inside:avoid}
details{display:none}
span.print{display:inline}
}
""".strip()


def esc(value: Any) -> str:
    # Controls shown, not kept: the page may go to a terminal (no -o), and a browser would still
    # honour a bidi override.
    return html.escape(show_controls(str(value)), quote=True)


def _min_width_em(rows: list[dict[str, Any]], col: str, meta: dict[str, Any]) -> float:
    """Wide enough for the column's longest word-like value (up to MAX_EM), so CJK names wrap
    between phrases rather than after every character."""
    longest = 0
    for row in rows:
        value = row.get(col)
        if isinstance(value, (list, tuple)):
            texts = [reader_text(v, col, meta) for v in value]
        else:
            texts = [reader_text(value, col, meta)]
        longest = max([longest, *(display_width(t) for t in texts)])
    # A header of up to six CJK characters stays on one line; a longer one wraps between words.
    header = display_width(str(column_heading(col, meta)))
    return max(MIN_EM, min(MAX_EM, max(longest, min(header, 12)) / 2 + 0.5))


def _cell(value: Any, col: str, meta: dict[str, Any], numeric: bool) -> str:
    if numeric:
        return f'<td class="num">{esc(reader_text(value, col, meta))}</td>'
    if isinstance(value, (list, tuple)) and value:
        items = [reader_text(v, col, meta) for v in value]
        joined = "、".join(items)
        if len(items) > FOLD_ITEMS or display_width(joined) > FOLD_WIDTH:
            count = pick(f"{len(items)} 项", f"{len(items)} items", meta.get("language") or "zh")
            listed = "".join(f"<li>{esc(item)}</li>" for item in items)
            return (f'<td class="list"><details><summary>{esc(count)}</summary><ul>{listed}</ul></details>'
                    f'<span class="print">{esc(joined)}</span></td>')
        return f'<td class="list">{esc(joined)}</td>'
    return f"<td>{esc(reader_text(value, col, meta))}</td>"


def _table(rows: list[dict[str, Any]], cols: list[str], meta: dict[str, Any]) -> list[str]:
    numeric = set(numeric_columns(rows, cols))
    help_text = meta.get("column_help") or {}
    heads = []
    for col in cols:
        style = f' style="min-width:{_min_width_em(rows, col, meta):.1f}em"'
        tip = f' title="{esc(help_text[col])}"' if help_text.get(col) else ""
        heads.append(f"<th{style}{tip}>{esc(column_heading(col, meta))}</th>")
    out = ['<div class="scroll">', "<table>", "<thead><tr>" + "".join(heads) + "</tr></thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(_cell(row.get(col), col, meta, col in numeric) for col in cols) + "</tr>")
    out.append("</tbody></table></div>")
    return out


def render_html(rows: list[dict[str, Any]], columns: list[str] | None = None, title: str | None = None,
                meta: dict[str, Any] | None = None, **_: Any) -> str:

    meta = meta or {}
    cols = row_columns(rows, columns)
    heading = meta.get("title") or title or meta.get("name") or "portfolio-graph"
    language = meta.get("language") or "zh"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if language == "en" else "zh-CN"}">',
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
    out += _table(rows, cols, meta)
    if not rows:
        out.append("<p>(no rows / 无结果)</p>")
    out += charts(rows, cols, meta)

    stamp = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    name = f" report {esc(meta['name'])}" if meta.get("name") else ""
    out.append(f"<footer>portfolio-graph{name} · {len(rows)} rows · {esc(stamp)}</footer>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)

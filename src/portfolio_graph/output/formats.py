"""One function per output format, all taking the same list of row dicts.

Text formats return ``str``; binary formats (xlsx) return ``bytes``. ``write`` sends either to a
file or to standard output.

No format lets a cell act on its reader. ``table``, ``md`` and ``html`` show control characters
(ESC, BEL, CR, C1 controls, bidi overrides such as U+202E) as escapes like ``\\x1b``; ``json``
writes them as ``\\u`` escapes, which read back exactly. ``csv`` shows them escaped on standard
output (``terminal=True``, which ``write`` passes there) and keeps them exact in a file written
with ``-o``, since a file is read by another program, not by a terminal. A ``|`` or line break in
a cell stays inside its Markdown table row. ``safety.py`` has the details.
"""

from __future__ import annotations

import contextlib

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, Callable

from ..errors import InputError, PortfolioGraphError
from ..i18n import _
from .cells import cell_text, row_columns
from .columns import heading
from .values import reader_text
from .safety import escape_json_controls, neutralise_formula, show_controls

Rows = list[dict[str, Any]]


def render_json(rows: Rows, columns: list[str] | None = None, title: str | None = None, **_: Any) -> str:
    return escape_json_controls(json.dumps(rows, ensure_ascii=False, indent=2, default=str)) + "\n"


def render_csv(rows: Rows, columns: list[str] | None = None, title: str | None = None, terminal: bool = False,
               meta: dict[str, Any] | None = None, **_: Any) -> str:
    """``terminal``: the text goes to standard output, so control characters are shown escaped
    instead of kept exact (see ``safety.py``)."""
    shown = show_controls if terminal else str
    cols = row_columns(rows, columns)
    buffer = io.StringIO()
    # The BOM makes Excel read the file as UTF-8 instead of the local code page.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    # Column names are text from a query or a report file too (RETURN 1 AS `=cmd|...`).
    writer.writerow([neutralise_formula(shown(str(heading(c, meta)))) for c in cols])
    for row in rows:
        writer.writerow([_csv_cell(row.get(c), shown, reader_text(row.get(c), c, meta)) for c in cols])
    return buffer.getvalue()


def _csv_cell(value: Any, shown: Callable[[str], str] = str, text: str | None = None) -> str:
    text = cell_text(value) if text is None else text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A number is data, never a formula. Sent through neutralise_formula, -1234567.0 (which
        # cell_text writes "-1,234,567") did not parse as a number and came out as text "'-1,234,567".
        return text
    # Neutralised last: what a spreadsheet would evaluate is the text as finally written.
    return neutralise_formula(shown(text))


def render_table(rows: Rows, columns: list[str] | None = None, title: str | None = None,
                 meta: dict[str, Any] | None = None, **_: Any) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    cols = row_columns(rows, columns)
    # A terminal is narrow: a column no row fills (a report's detail columns in its summary, say)
    # is left out and named below the table. Every other format keeps every column.
    empty = [c for c in cols if rows and all(cell_text(r.get(c)) == "" for r in rows)] if len(cols) > 1 else []
    cols = [c for c in cols if c not in empty]
    # Titles and column names are shown as written: rich would read "[/x]" in them as markup and
    # fail (a MarkupError traceback for `query 'RETURN 1 AS `[/x]`'` or a --db path with brackets).
    table = Table(title=_escape_markup(title) if title else title, show_lines=False, header_style="bold")
    for col in cols:
        numeric = any(isinstance(r.get(col), (int, float)) and not isinstance(r.get(col), bool) for r in rows)
        table.add_column(_escape_markup(str(heading(col, meta))), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_escape_markup(reader_text(row.get(c), c, meta)) for c in cols))
    # rich measures East Asian wide characters as two cells, so CJK columns line up.
    console = Console(file=io.StringIO(), width=_terminal_width(), color_system=None, legacy_windows=False)
    console.print(table)
    if not rows:
        console.print("(no rows)")
    if empty:
        console.print(Text(show_controls(f"(empty in every row, not shown: {', '.join(str(heading(c, meta)) for c in empty)})")))
    return console.file.getvalue()


def _escape_markup(text: str) -> Any:
    """The text as a rich Text, which rich shows as it is: a str would be read as markup ("[/x]"
    fails, "[b]" vanishes, and rich.markup.escape doubles a trailing backslash)."""
    from rich.text import Text

    # rich passes control characters through to the terminal (it drops only a few, not ESC): a
    # value holding "\x1b[2J" would clear the reader's screen, an OSC sequence retitle the window.
    return Text(show_controls(text))


def _terminal_width() -> int:
    import shutil

    return max(shutil.get_terminal_size((160, 40)).columns, 100)


def render_md(rows: Rows, columns: list[str] | None = None, title: str | None = None,
              meta: dict[str, Any] | None = None, **_: Any) -> str:
    cols = row_columns(rows, columns)
    lines = [f"## {_md_text(title)}", ""] if title else []
    lines.append("| " + " | ".join(_md_text(str(heading(c, meta))) for c in cols) + " |")
    lines.append("| " + " | ".join("---" for _ in cols) + " |")
    for row in rows:
        lines.append("| " + " | ".join(_md_text(reader_text(row.get(c), c, meta)) for c in cols) + " |")
    return "\n".join(lines) + "\n"


# One pass, so the backslashes added here are not doubled again. An unescaped "|" would end the
# cell; "<" would start raw HTML ("</td></tr><tr>..." forges rows once rendered); "&" an entity
# ("&#x202e;" turns back into a bidi override once rendered).
_MD_ESCAPES = str.maketrans({"\\": "\\\\", "|": "\\|", "<": "\\<", "&": "\\&", "\n": "<br>"})


def _md_text(text: str) -> str:
    """A cell (or title) that stays on its line and in its cell, raw and rendered. Control
    characters are shown first: CR alone also ends a Markdown line."""
    return show_controls(text).translate(_MD_ESCAPES)


def render_xlsx(rows: Rows, columns: list[str] | None = None, title: str | None = None, **options: Any) -> bytes:
    from .xlsx import render_xlsx as render

    return render(rows, columns=columns, title=title, **options)


def render_html(rows: Rows, columns: list[str] | None = None, title: str | None = None, **options: Any) -> str:
    from .html import render_html as render

    return render(rows, columns=columns, title=title, **options)


FORMATS: dict[str, Callable[..., str | bytes]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "md": render_md,
    "xlsx": render_xlsx,
    "html": render_html,
}
BINARY_FORMATS = ("xlsx",)
# The formats a plain listing (a command's rows without report metadata) is offered in.
TEXT_FORMATS = ("table", "json", "csv", "md")
# The format a file name asks for, when -o is given without --format.
SUFFIX_FORMATS = {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json", ".md": "md"}


def format_for_path(path: str | Path, default: str) -> str:
    """The format the file's suffix names, else ``default``."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), default)


def render(rows: Rows, fmt: str, columns: list[str] | None = None, title: str | None = None,
           meta: dict[str, Any] | None = None, terminal: bool = False) -> str | bytes:
    """``meta`` (a report's name, title, description, parameters, chart hints, column help)
    is used by the formats that can show it: xlsx and html. ``terminal`` says the text goes to
    standard output; only csv differs then (control characters shown, not kept exact)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return renderer(rows, columns=columns, title=title, meta=meta, terminal=terminal)


def write(rows: Rows, fmt: str, path: str | Path | None = None, columns: list[str] | None = None,
          title: str | None = None, meta: dict[str, Any] | None = None) -> None:
    """Render and write to ``path``, or to standard output when there is none."""
    to_stdout = path is None or str(path) == "-"
    # Standard output counts as a terminal even when piped: the pipe often ends at one (less, cat).
    content = render(rows, fmt, columns=columns, title=title, meta=meta, terminal=to_stdout)
    if to_stdout:
        if isinstance(content, bytes):
            if sys.stdout.isatty():
                raise InputError(f"{fmt} is a binary format; write it to a file with -o FILE")
            sys.stdout.buffer.write(content)
        else:
            sys.stdout.write(content)
        sys.stdout.flush()
        return
    write_atomically(Path(path), content.encode("utf-8") if isinstance(content, str) else content)


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it over ``target``: a full disk
    or a kill mid-write leaves the old file whole (it left a 4 KB fragment in its place)."""
    import os
    import tempfile

    handle = None
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
        handle = os.fdopen(descriptor, "wb")
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        if handle is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise PortfolioGraphError(_("cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)) from None


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask

"""Files to tables of raw cells, each row with the position a spreadsheet shows for it.

Readers do no type conversion: they only find the header row, fill merged cells and hand over
the cells as the file holds them. A file that cannot be read at all becomes a ``Problem``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .problems import Problem
from ..i18n import _

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
SUPPORTED_SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES + JSON_SUFFIXES
HEADER_SCAN_ROWS = 30

# Large cells must reach validation (which reports them with their position), not crash csv.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

Row = tuple[int, list[Any]]  # (row number as a spreadsheet shows it, cells in header order)
HeaderTest = Callable[[list[Any]], bool]


@dataclass
class Table:
    file: Path
    sheet: str | None
    headers: list[str]
    header_row: int  # 0 where the format has no header row (JSON)
    rows: Iterable[Row]
    row_word: str = "row"  # how the format counts: row (CSV, xlsx), item (JSON), line (JSONL)
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_tables(path: Path, problems: list[Problem], *, encoding: str | None = None,
                sheet: str | None = None, header_row: int | None = None,
                is_header: HeaderTest | None = None) -> list[Table]:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        table = read_csv(path, problems, encoding=encoding, header_row=header_row, is_header=is_header)
        return [table] if table else []
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, problems, sheet=sheet, header_row=header_row, is_header=is_header)
    if suffix in JSON_SUFFIXES:
        return read_json(path, problems, encoding=encoding)
    if suffix == ".xls":
        problems.append(Problem(path, message=_("old .xls workbooks are not read"),
                                fix=_("open it in Excel or LibreOffice and save it as .xlsx")))
        return []
    problems.append(Problem(path, message=_("unsupported file type {suffix}").format(suffix=suffix or _("(none)")),
                            fix=_("give a .csv, .xlsx, .json or .jsonl file")))
    return []


# -- CSV ----------------------------------------------------------------------------------------

def decode(data: bytes, path: Path, problems: list[Problem], encoding: str | None) -> tuple[str, str] | None:
    """Text and the encoding used, or None after recording where the bytes stop making sense."""
    if encoding:
        try:
            return data.decode(codecs.lookup(encoding).name), encoding
        except LookupError:
            problems.append(Problem(path, message=f"unknown encoding {encoding!r}",
                                    fix="use utf-8, utf-8-sig, gb18030 or gbk"))
            return None
        except UnicodeDecodeError as exc:
            _undecodable(data, path, problems, exc, encoding)
            return None
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    first_error: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as exc:
            if first_error is None:
                first_error = exc
                # Text that was valid UTF-8, Chinese included, up to one bad byte is damaged UTF-8:
                # reading it as GB18030 would load mojibake without a word.
                if candidate.startswith("utf-8") and _has_utf8_multibyte(data[: exc.start]):
                    break
    assert first_error is not None
    _undecodable(data, path, problems, first_error, candidates[0] if len(candidates) == 1 or
                 _has_utf8_multibyte(data[: first_error.start]) else " and ".join(candidates))
    return None


def _has_utf8_multibyte(prefix: bytes) -> bool:
    return any(b >= 0x80 for b in prefix[-65536:])


def _undecodable(data: bytes, path: Path, problems: list[Problem], exc: UnicodeDecodeError, tried: str) -> None:
    offset = exc.start
    row = _record_number(data[:offset], exc.encoding)
    bad = data[offset : offset + 4].hex(" ")
    problems.append(Problem(
        path, row=row,
        message=_("cannot decode the file as {tried}: bytes {bad} at byte offset {offset} are invalid").format(
            tried=tried, bad=bad, offset=offset),
        fix=_("save the file again as UTF-8 (Excel: CSV UTF-8), or name its encoding with --encoding"),
    ))


def _record_number(prefix: bytes, encoding: str) -> int:
    text = prefix.decode(encoding, errors="replace")
    # newline="" as read_csv reads the file: without it a lone "\r" before the bad bytes raised
    # csv.Error ("new-line character seen in unquoted field"), a traceback instead of a problem.
    try:
        return sum(1 for _ in csv.reader(io.StringIO(text, newline=""))) or 1
    except csv.Error:
        return text.count("\n") + 1


def _delimiter(first_line: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_csv(path: Path, problems: list[Problem], *, encoding: str | None = None,
             header_row: int | None = None, is_header: HeaderTest | None = None) -> Table | None:
    decoded = decode(path.read_bytes(), path, problems, encoding)
    if decoded is None:
        return None
    text, used = decoded
    if text.startswith("\ufeff"):
        text = text[1:]
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]  # not split(): that copied the whole file once more
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line, path.suffix.lower()))
    return _framed(path, None, enumerate(reader, start=1), problems, header_row, is_header, encoding=used)


# -- header detection (CSV and xlsx) ----------------------------------------------------------------

def _blank(cells: list[Any]) -> bool:
    try:
        # One C-level pass for rows of text (every CSV row): text is blank when its cells joined are.
        return not "".join(cells).strip()
    except TypeError:  # a number, a date or an empty cell (None) from a workbook
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _distinct_values(cells: list[Any]) -> int:
    return len({str(c).strip() for c in cells if c is not None and str(c).strip()})


def _framed(path: Path, sheet: str | None, rows: Iterator[Row], problems: list[Problem],
            header_row: int | None, is_header: HeaderTest | None, encoding: str | None = None) -> Table | None:
    """Find the header row (a title row may sit above it) and wrap the rows under it."""
    scanned: list[Row] = []
    header: Row | None = None
    for number, cells in rows:
        scanned.append((number, cells))
        if header_row is not None:
            if number == header_row:
                header = (number, cells)
                break
            continue
        if is_header is not None and not _blank(cells) and is_header(cells):
            header = (number, cells)
            break
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    if header is None and header_row is None:
        # No row names a known field: take the first with two different values (a title row,
        # merged across the width, has only one).
        header = next(((n, c) for n, c in scanned if _distinct_values(c) >= 2), None)
        header = header or next(((n, c) for n, c in scanned if not _blank(c)), None)
    if header is None:
        where = f"row {header_row}" if header_row else "the first rows"
        # Located at the row where the header was looked for (row 1 unless header_row says), so
        # every problem of a table names a row, an empty file's included.
        problems.append(Problem(path, sheet, header_row or 1, message=_("no header row found in {where}").format(where=where),
                                fix=_("put the column names in the first row, or give header_row in --mapping")))
        return None
    header_number, header_cells = header
    headers = [_header_text(c) for c in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    rest = (r for r in scanned if r[0] > header_number)

    def body() -> Iterator[Row]:
        width = len(headers)
        for number, cells in itertools.chain(rest, rows):
            if _blank(cells):
                continue
            size = len(cells)
            if size == width and type(cells) is list:  # the usual row: a list of its own, kept as is
                yield number, cells
                continue
            if size > width and not _blank(cells[width:]):
                problems.append(Problem(path, sheet, number, column=_letter(width),
                                        message=_("row has {cells} cells but the header has {width}").format(
                                            cells=len(cells), width=width),
                                        fix=_("remove the extra cells or give the column a header")))
            cells = list(cells[:width])
            if len(cells) < width:
                cells.extend([None] * (width - len(cells)))
            yield number, cells

    return Table(path, sheet, headers, header_number, body(), encoding=encoding)


def _header_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return re.sub(r"\s+", " ", str(cell)).strip()


def _letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


column_letter = _letter


# -- xlsx ------------------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters.decode():
        index = index * 26 + ord(char) - 64
    return index - 1


def _merged_ranges(ws: Any) -> list[tuple[int, int, int, int]]:
    """(min_row, max_row, min_col, max_col) of merged cells; read-only sheets do not expose them,
    so the sheet's XML is scanned for its <mergeCell> elements."""
    get_source = getattr(ws, "_get_source", None)
    if get_source is None:
        return []
    ranges = []
    tail = b""
    with get_source() as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            chunk = tail + block
            for match in _MERGE.finditer(chunk):
                c1, r1, c2, r2 = match.groups()
                ranges.append((int(r1), int(r2), _column_index(c1), _column_index(c2)))
            tail = chunk[-200:] if not chunk.endswith(b">") else b""
    return sorted(set(ranges))


def _sheet_rows(ws: Any) -> Iterator[Row]:
    merges = _merged_ranges(ws)
    by_row: dict[int, list[tuple[int, int, int]]] = {}
    for index, (r1, r2, c1, c2) in enumerate(merges):
        for r in range(r1, r2 + 1):
            by_row.setdefault(r, []).append((c1, c2, index))
    captured: dict[int, Any] = {}
    ws.reset_dimensions()  # some writers store a wrong used range
    for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
        cells = list(values)
        for c1, c2, index in by_row.get(number, ()):
            if index not in captured:
                captured[index] = cells[c1] if c1 < len(cells) else None
            if len(cells) <= c2:
                cells.extend([None] * (c2 + 1 - len(cells)))
            for c in range(c1, c2 + 1):
                cells[c] = captured[index]
        yield number, cells


def read_xlsx(path: Path, problems: list[Problem], *, sheet: str | None = None,
              header_row: int | None = None, is_header: HeaderTest | None = None) -> list[Table]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        problems.append(Problem(path, message=f"cannot open the workbook: {exc}",
                                fix="check the file is an .xlsx workbook (save it again from Excel)"))
        return []
    names = workbook.sheetnames
    if sheet is not None and sheet not in names:
        problems.append(Problem(path, message=_("no sheet named {sheet!r}; the sheets are: {names}").format(
                                    sheet=sheet, names=", ".join(names)),
                                fix=_("give one of those names with --sheet")))
        return []
    tables = []
    for name in [sheet] if sheet else names:
        ws = workbook[name]
        table = _framed(path, name, _sheet_rows(ws), problems, header_row, is_header)
        if table is not None:
            # Materialise so the workbook can close; the rows are needed in one batch anyway.
            table.rows = list(table.rows)
            tables.append(table)
        elif sheet is None:
            problems.pop()  # an empty extra sheet in a workbook is not a problem
    workbook.close()
    return tables


# -- JSON ----------------------------------------------------------------------------------------

def read_json(path: Path, problems: list[Problem], *, encoding: str | None = None) -> list[Table]:
    decoded = decode(path.read_bytes(), path, problems, encoding)
    if decoded is None:
        return []
    text, used = decoded
    text = text.lstrip("\ufeff")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        items: list[tuple[int, Any]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((number, json.loads(line)))
            except RecursionError:  # arrays nested thousands deep: a located problem, not exit 1
                problems.append(Problem(path, row=number, row_word="line", message="not valid JSON: nested too deeply",
                                        fix="each line must be one JSON object"))
            except json.JSONDecodeError as exc:
                problems.append(Problem(path, row=number, row_word="line",
                                        message=f"not valid JSON: {exc.msg} at character {exc.colno}",
                                        fix="each line must be one JSON object"))
        return [_json_table(path, None, items, problems, "line", used)]
    try:
        document = json.loads(text)
    except RecursionError:  # arrays nested thousands deep: a located problem, not exit 1
        problems.append(Problem(path, row=1, row_word="line", message="not valid JSON: nested too deeply",
                                fix="write a JSON array of flat objects"))
        return []
    except json.JSONDecodeError as exc:
        problems.append(Problem(path, row=exc.lineno, row_word="line", message=f"not valid JSON: {exc.msg}",
                                fix="check the brackets and commas near that line"))
        return []
    if isinstance(document, dict) and all(isinstance(v, list) for v in document.values()):
        return [_json_table(path, key, list(enumerate(items, start=1)), problems, "item", used)
                for key, items in document.items()]
    if isinstance(document, list):
        return [_json_table(path, None, list(enumerate(document, start=1)), problems, "item", used)]
    problems.append(Problem(path, row=1, row_word="line", message="expected a JSON array of objects, or an object of such arrays",
                            fix='write [{"id": ..., "name": ...}, ...] or {"Project": [...], "Enterprise": [...]}'))
    return []


def _json_table(path: Path, sheet: str | None, items: list[tuple[int, Any]], problems: list[Problem],
                row_word: str, encoding: str) -> Table:
    headers: dict[str, None] = {}
    for number, item in items:
        if isinstance(item, dict):
            headers.update(dict.fromkeys(str(k) for k in item))
        else:
            problems.append(Problem(path, sheet, number, row_word=row_word,
                                    message=f"expected an object, got {type(item).__name__}",
                                    fix='write each record as {"column": value, ...}'))
    names = list(headers)
    rows = [(number, [item.get(h) for h in names]) for number, item in items if isinstance(item, dict)]
    return Table(path, sheet, names, 0, rows, row_word=row_word, encoding=encoding)

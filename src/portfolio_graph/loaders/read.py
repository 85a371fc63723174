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
                                    fix="use utf-8, utf-8-sig, gb18030, gbk or big5"))
            return None
        except UnicodeDecodeError as exc:
            _undecodable(data, path, problems, exc, encoding)
            return None
    bom = ("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else
           "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None)
    try:
        return data.decode(bom or "utf-8"), bom or "utf-8"
    except UnicodeDecodeError as exc:
        # Text that was valid UTF-8, Chinese included, up to one bad byte is damaged UTF-8:
        # reading it in a legacy encoding would load mojibake without a word.
        if bom or _has_utf8_multibyte(data[: exc.start]):
            _undecodable(data, path, problems, exc, bom or "utf-8")
            return None
    return _detected(data, path, problems)


# The legacy encodings Chinese spreadsheets are saved in: GB18030 (a superset of GBK and GB2312)
# for mainland files, CP950 (Windows' Big5) or Big5-HKSCS for Taiwan and Hong Kong.
GB, BIG5 = "gb18030", "cp950"
MIN_PAIRS = 6  # fewer two-byte characters than this cannot tell the two apart
# Under GBK's reading, the share of two-byte characters outside GB2312 (a trail byte below 0xA1):
# a few rare characters in mainland text, about two in five in Big5 text.
GB_MAX_EXTENDED, BIG5_MIN_EXTENDED = 0.1, 0.25
CHAOS_MARGIN = 0.1  # charset-normalizer's "mess" must differ this much to decide by it


def _detected(data: bytes, path: Path, problems: list[Problem]) -> tuple[str, str] | None:
    """Not UTF-8: GB18030 or Big5 when the bytes say which, else a problem naming --encoding.

    Big5 bytes are mostly valid GB18030 too: trying GB18030 next after UTF-8 stored Taiwan's and
    Hong Kong's names as mojibake without a word. The two are told apart by their trail bytes
    (GB2312, the characters mainland text is made of, uses only 0xA1-0xFE; Big5 also 0x40-0x7E),
    and where that is not enough by charset-normalizer's measure of how garbled each reading is.
    """
    readings = {name: _decodes(data, name) for name in (GB, BIG5, "big5hkscs")}
    if readings[BIG5] is None and readings["big5hkscs"] is not None:
        readings[BIG5] = readings["big5hkscs"]
    gb, big5 = readings[GB], readings[BIG5]
    big5_name = BIG5 if readings[BIG5] is not readings["big5hkscs"] else "big5hkscs"
    pairs, extended = _gbk_pairs(data)
    share = extended / pairs if pairs else 0.0
    if gb is None and (big5 is None or share < BIG5_MIN_EXTENDED):
        # Not GB18030, and not text that looks like Big5 either (a mainland file with a damaged
        # byte still decodes as Big5 by chance): say where GB18030 stops making sense.
        try:
            data.decode(GB)
        except UnicodeDecodeError as exc:
            _undecodable(data, path, problems, exc, "utf-8, gb18030 and big5")
        return None
    if big5 is not None and gb is None:
        return big5, big5_name
    assert gb is not None
    if big5 is None and (pairs < MIN_PAIRS or share < BIG5_MIN_EXTENDED):
        return gb, GB
    if big5 is not None and pairs >= MIN_PAIRS and share <= GB_MAX_EXTENDED:
        return gb, GB
    if big5 is not None and pairs >= MIN_PAIRS and share >= BIG5_MIN_EXTENDED:
        return big5, big5_name
    chaos = _chaos(data)
    if big5 is not None and GB in chaos and BIG5 in chaos and abs(chaos[GB] - chaos[BIG5]) >= CHAOS_MARGIN:
        return (gb, GB) if chaos[GB] < chaos[BIG5] else (big5, big5_name)
    problems.append(Problem(
        path, row=1,
        message="the file is not UTF-8, and it reads as GB18030 and as Big5 alike: its encoding cannot be told for sure",
        fix="name the encoding with --encoding (gb18030 for mainland files, big5 for Taiwan and Hong Kong), "
            "or save the file again as UTF-8 (Excel: CSV UTF-8)",
    ))
    return None


def _decodes(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _gbk_pairs(data: bytes) -> tuple[int, int]:
    """Two-byte characters under GBK's reading, and how many of them lie outside GB2312."""
    pairs = extended = 0
    i, end = 0, len(data)
    while i < end:
        byte = data[i]
        if byte < 0x80 or i + 1 >= end:
            i += 1
            continue
        trail = data[i + 1]
        if 0x30 <= trail <= 0x39:  # a GB18030 four-byte sequence
            i += 4
            continue
        pairs += 1
        extended += trail < 0xA1 or byte < 0xA1
        i += 2
    return pairs, extended


def _chaos(data: bytes) -> dict[str, float]:
    from charset_normalizer import from_bytes

    families = {"gb18030": GB, "gbk": GB, "gb2312": GB, "big5": BIG5, "cp950": BIG5, "big5hkscs": BIG5}
    chaos: dict[str, float] = {}
    for match in from_bytes(data, cp_isolation=list(families), threshold=1.0):
        family = families.get(match.encoding)
        if family is not None:
            chaos[family] = min(chaos.get(family, 1.0), match.chaos)
    return chaos


def _has_utf8_multibyte(prefix: bytes) -> bool:
    """The bytes before the first invalid one read as UTF-8 with Chinese in them: damaged UTF-8.

    Any byte above 0x7F is not enough: a legacy file's first characters can happen to form valid
    two-byte UTF-8 (未知 in GB18030 reads as "δ֪"), and that file must go on to detection.
    """
    text = prefix[-65536:].decode("utf-8", errors="ignore")
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


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


# Wider than this is no list a steward keeps: a value beyond it is refused, not read (one value in
# column XFD on each row made openpyxl build 16,384 cells per row, minutes for a 1 MB file).
MAX_COLUMNS = 1_000


class SheetTooWide(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


def _row_values(ws: Any) -> Iterator[Row]:
    """Each row the sheet's XML holds, as its values up to its last cell: openpyxl's own reader
    pads every row to the widest one (or to max_col), which is what made a stray cell in column
    XFD cost 16,384 cells on every row. A value beyond MAX_COLUMNS raises SheetTooWide."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, row in parser.parse():
            width = 0
            for cell in row:
                column = cell["column"]
                if cell["value"] is None:
                    continue
                if column > MAX_COLUMNS:
                    raise SheetTooWide(number)
                width = max(width, column)
            values: list[Any] = [None] * width
            for cell in row:
                if cell["column"] <= width:
                    values[cell["column"] - 1] = cell["value"]
            yield number, values


def _sheet_rows(ws: Any) -> Iterator[Row]:
    """The sheet's rows with merged cells filled in, bounded by the data the sheet really holds.

    A merge is applied only to the rows that exist (a sweep over the merges sorted by first row,
    not a list per covered row: ``D3:E1048576`` made a million entries, ten such merges 1 GB) and
    only up to MAX_COLUMNS; a value beyond MAX_COLUMNS raises SheetTooWide.
    """
    merges = sorted((r1, r2, c1, min(c2, MAX_COLUMNS - 1), index)
                    for index, (r1, r2, c1, c2) in enumerate(_merged_ranges(ws)) if c1 < MAX_COLUMNS)
    captured: dict[int, Any] = {}
    active: list[tuple[int, int, int, int, int]] = []
    upcoming = 0
    for number, cells in _row_values(ws):
        while upcoming < len(merges) and merges[upcoming][0] <= number:
            active.append(merges[upcoming])
            upcoming += 1
        if active:
            active = [m for m in active if m[1] >= number]
        for _, _, c1, c2, index in active:
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
        try:
            table = _framed(path, name, _sheet_rows(ws), problems, header_row, is_header)
            if table is not None:
                # Materialise so the workbook can close; the rows are needed in one batch anyway.
                table.rows = list(table.rows)
        except SheetTooWide as exc:
            problems.append(Problem(path, name, exc.row, _letter(MAX_COLUMNS),
                                    message=f"the sheet has a value beyond its first {MAX_COLUMNS:,} columns "
                                            f"(in column {_letter(MAX_COLUMNS)} or further right); it is not read",
                                    fix="delete the stray cells far to the right (select the columns after the "
                                        "data, delete them, save), or move the table to a sheet of its own"))
            continue
        if table is not None:
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
        # Split on "\n" only: splitlines() also breaks at U+2028, U+0085 and other characters that
        # are valid inside a JSON string, rejecting valid lines and citing lines that do not exist.
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip(" \t\r"):
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

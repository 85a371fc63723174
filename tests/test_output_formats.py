"""The xlsx, html, csv, md and json renderers: styling, CJK widths, formula neutralising, escaping,
an html page that loads nothing from anywhere, control characters that no format sends raw to a
terminal (csv keeps them only in a file), and Markdown rows that no cell can break."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from portfolio_graph.output import BINARY_FORMATS, FORMATS, render
from portfolio_graph.output.width import display_width

ROWS = [
    {"segment": "芯片设计", "enterprises": ["利扬芯片", "凯格精机"], "count": 2, "share": 66.7, "ok": True, "note": None},
    {"segment": "=HYPERLINK(\"http://evil\",\"x\")", "enterprises": [], "count": 0, "share": -3.5, "ok": False,
     "note": "+1 call me"},
    {"segment": "@SUM(A1)", "enterprises": ["-2+3"], "count": 1, "share": 0.0, "ok": False, "note": "<script>alert('x')</script>"},
]
META = {
    "name": "chain-completeness",
    "title": "产业链完整度 / Chain completeness",
    "description": "Segments & <gaps>",
    "params": {"chain": "芯片封装检测", "lenient": True},
    "chart": None,
    "chart_label": ("segment",),
    "column_help": {"segment": "环节 <segment>", "count": "企业数"},
}


def test_every_format_is_registered():
    assert sorted(FORMATS) == ["csv", "html", "json", "md", "table", "xlsx"]
    assert BINARY_FORMATS == ("xlsx",)


def test_display_width_counts_cjk_as_two():
    assert display_width("芯片abc") == 7
    assert display_width("，。") == 4


# -- xlsx -------------------------------------------------------------------------------------


@pytest.fixture()
def workbook():
    from openpyxl import load_workbook

    data = render(ROWS, "xlsx", columns=list(ROWS[0]), title="t", meta=META)
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return load_workbook(io.BytesIO(data))


def test_xlsx_header_is_styled_and_frozen(workbook):
    sheet = workbook["chain-completeness"]
    assert [c.value for c in sheet[1]] == ["segment", "enterprises", "count", "share", "ok", "note"]
    header = sheet["A1"]
    assert header.font.bold and header.font.color.rgb.endswith("FFFFFF")
    assert header.fill.fill_type == "solid" and header.fill.start_color.rgb.endswith("1F4E78")
    assert sheet.freeze_panes == "B2"  # the header row and the first column stay in view
    assert sheet.auto_filter.ref == "A1:F4"
    assert sheet["A1"].comment.text == "环节 <segment>"


def test_xlsx_columns_are_sized_for_cjk_text(workbook):
    sheet = workbook["chain-completeness"]
    # "利扬芯片、凯格精机" is 9 characters but 18 cells wide; plus 2 of padding.
    assert sheet.column_dimensions["B"].width == 20
    assert sheet.column_dimensions["A"].width == len('=HYPERLINK("http://evil","x")') + 1 + 2
    assert sheet.column_dimensions["E"].width == 6 + 2  # short columns keep a minimum


def test_xlsx_neutralises_formulas_and_keeps_numbers_typed(workbook):
    sheet = workbook["chain-completeness"]
    assert sheet["A2"].value == "芯片设计"
    assert sheet["A3"].value == "'=HYPERLINK(\"http://evil\",\"x\")" and sheet["A3"].data_type == "s"
    assert sheet["A4"].value == "'@SUM(A1)"
    assert sheet["F3"].value == "'+1 call me"
    assert sheet["B4"].value == "'-2+3"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert (sheet["C2"].value, sheet["D2"].value, sheet["D3"].value, sheet["E2"].value) == (2, 66.7, -3.5, True)
    assert sheet["F2"].value is None
    assert sheet["B2"].value == "利扬芯片、凯格精机"


def test_xlsx_about_sheet_says_what_the_report_is(workbook):
    about = workbook["about"]
    values = {about.cell(row=r, column=1).value: about.cell(row=r, column=2).value for r in range(1, about.max_row + 1)}
    assert values["报告"] == "chain-completeness"
    assert values["参数"] == "chain=芯片封装检测; lenient=true"
    assert values["行数"] == 3
    assert values["列"] == "含义" and values["count"] == "企业数"  # each column with its help


def test_xlsx_with_no_rows_and_control_characters():
    from openpyxl import load_workbook

    empty = load_workbook(io.BytesIO(render([], "xlsx", columns=["a", "b"], title="x/y:z")))
    assert [c.value for c in empty["x_y_z"][1]] == ["a", "b"]
    odd = load_workbook(io.BytesIO(render([{"a": "bell\x07here"}], "xlsx")))
    assert odd.active["A2"].value == "bellhere"


# -- html -------------------------------------------------------------------------------------


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture()
def page_text():
    return render(ROWS, "html", columns=list(ROWS[0]), title="t", meta=META)


def test_html_is_one_self_contained_file(page_text):
    page = Page()
    page.feed(page_text)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for _, attrs in page.tags:
        for name, value in attrs.items():
            assert not (name in ("src", "href") and value), f"external reference {name}={value}"
    assert "@import" not in page_text and "url(" not in page_text
    assert "default-src 'none'" in page_text  # the browser will refuse to load anything
    assert tags.count("style") == 1 and page_text.startswith("<!DOCTYPE html>")


def test_html_escapes_every_value(page_text):
    assert "<script>alert" not in page_text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page_text
    assert "Segments &amp; &lt;gaps&gt;" in page_text
    assert 'title="环节 &lt;segment&gt;"' in page_text
    page = Page()
    page.feed(page_text)
    assert "<script>alert('x')</script>" in "".join(page.text)  # shown as text, never run


def test_html_table_and_a_chart_per_numeric_column(page_text):
    page = Page()
    page.feed(page_text)
    tags = [t for t, _ in page.tags]
    assert tags.count("tr") == 1 + 3 and tags.count("th") == 6
    assert tags.count("svg") == 2  # count and share; ok is boolean, note is text
    assert tags.count("rect") == 6
    figures = re.findall(r"<figcaption>(.*?)</figcaption>", page_text)
    assert figures == ["count", "share"]
    assert ">芯片设计</text>" in page_text  # Chinese bar labels
    negative = [attrs for tag, attrs in page.tags if tag == "rect" and "neg" in attrs.get("class", "")]
    assert len(negative) == 1


def test_html_chart_follows_the_report_hints():
    rows = [{"chain": "芯片封装检测", "year": 2023, "position": 1, "n": 3, "zero": 0},
            {"chain": "储能电池", "year": 2024, "position": 2, "n": 5, "zero": 0}]
    default = render(rows, "html", meta={"chart": None})
    # year and position are not measures; an all-zero column says nothing
    assert re.findall(r"<figcaption>(.*?)</figcaption>", default) == ["n"]
    declared = render(rows, "html", meta={"chart": ["zero", "n"], "titles": {"n": "企业数"}})
    assert re.findall(r"<figcaption>(.*?)</figcaption>", declared) == ["企业数"]  # the column's title
    none = render(rows, "html", meta={"chart": ()})
    assert "<svg" not in none
    capped = render([{"k": f"行{i}", "v": i} for i in range(60)], "html")
    assert capped.count("<rect") == 40 and "前 40 / 60 行" in capped


def test_html_without_rows():
    text = render([], "html", columns=["a"], meta={"title": "空 / Empty"})
    assert "(no rows / 无结果)" in text and "<svg" not in text


# -- csv --------------------------------------------------------------------------------------


def test_csv_has_a_bom_and_neutralised_cells():
    text = render(ROWS, "csv", columns=list(ROWS[0]))
    assert text.startswith("\ufeffsegment,enterprises,count")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1] == ["芯片设计", "利扬芯片、凯格精机", "2", "66.7", "true", ""]
    assert rows[2][0] == "'=HYPERLINK(\"http://evil\",\"x\")" and rows[2][3] == "-3.5" and rows[2][5] == "'+1 call me"
    assert rows[3][0] == "'@SUM(A1)" and rows[3][1] == "'-2+3"


# -- control characters and Markdown structure ------------------------------------------------

# Independent of the implementation: C0 controls but tab and newline, DEL, C1, and bidi controls.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
CONTROLS = {
    "esc": "a\x1b[2J\x1b]0;pwned\x07b",
    "cr": "real\rforged",
    "c1": "x\x9b31my",
    "bidi": "abc\u202edcba\u202c \u2066i\u2069",
    "del": "d\x7fe",
}
CONTROL_ROWS = [{"name\x1b[31m": text, "value": n} for n, text in enumerate(CONTROLS.values())]


def visible(text: str) -> str:
    return "".join(ascii(ch)[1:-1] if RAW_CONTROL.match(ch) else ch for ch in text)


@pytest.mark.parametrize("fmt", ["table", "md", "html"])
def test_people_formats_show_control_characters_instead_of_sending_them(fmt):
    text = render(CONTROL_ROWS, fmt, title="t\x1b]0;x\x07\u202e")
    assert not RAW_CONTROL.search(text), [m.group() for m in RAW_CONTROL.finditer(text)]
    shown = text.replace("\\\\", "\\")  # md doubles a backslash
    for value in CONTROLS.values():
        assert visible(value) in shown, value


def test_json_escapes_control_characters_and_reads_back_exactly():
    text = render(CONTROL_ROWS, "json")
    assert not RAW_CONTROL.search(text)
    assert json.loads(text) == CONTROL_ROWS


def test_csv_shows_control_characters_on_standard_output_and_keeps_them_in_a_file(tmp_path, capsys):
    from portfolio_graph.output import write

    write(CONTROL_ROWS, "csv")
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out.replace("\r\n", "\n"))
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"), newline="")))
    assert rows[0] == ["name\\x1b[31m", "value"]
    assert [r[0] for r in rows[1:]] == [visible(v) for v in CONTROLS.values()]
    path = tmp_path / "out.csv"
    write(CONTROL_ROWS, "csv", path)
    with path.open(encoding="utf-8", newline="") as handle:
        exact = list(csv.reader(io.StringIO(handle.read().lstrip("\ufeff"), newline="")))
    assert exact[0] == ["name\x1b[31m", "value"]
    assert [r[0] for r in exact[1:]] == list(CONTROLS.values())
    # Escaping comes before formula neutralising: "\r=1+1" is shown as text that runs nothing.
    write([{"a": "\r=1+1", "b": "=1+1"}], "csv")
    assert capsys.readouterr().out.splitlines()[1] == "\\r=1+1,'=1+1"


class MarkdownTable(HTMLParser):
    """The rows and cells of Markdown rendered to HTML, a <br> read as a line break."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.rows: list[list[str]] = []
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self.in_cell = True
        elif tag == "br" and self.in_cell:
            self.rows[-1][-1] += "\n"

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.in_cell = False

    def handle_data(self, data):
        if self.in_cell:
            self.rows[-1][-1] += data


def test_md_cells_stay_in_their_row_and_cell_when_rendered():
    markdown_it = pytest.importorskip("markdown_it")
    cells = [
        "a|b", "line1\nline2", "crlf\r\nnext", "ends with a backslash\\", "escaped \\| pipe", "|| edge |",
        "<script>alert(1)</script>", "</td></tr><tr><td>forged", "&#124; and &#x202e; and &amp;", "R&D <b>",
        "\\<not html>", "a\rb", "- not a list", "# not a heading",
    ]
    rows = [{"k|ey": cell, "n": i} for i, cell in enumerate(cells)]
    text = render(rows, "md", title="title | with\nbreak")
    assert not RAW_CONTROL.search(text)
    lines = text.splitlines()
    assert lines[0] == "## title \\| with<br>break" and len(lines) == 4 + len(cells)
    page = MarkdownTable()
    page.feed(markdown_it.MarkdownIt("commonmark").enable("table").render(text))
    assert page.tags <= {"h2", "br", "table", "thead", "tbody", "tr", "th", "td"}, page.tags
    assert page.rows == [["k|ey", "n"], *([visible(c), str(i)] for i, c in enumerate(cells))]


def test_the_table_leaves_out_columns_no_row_fills_and_says_so():
    from portfolio_graph.output.formats import render

    rows = [{"policy": "人才政策", "count": 0, "target": None}, {"policy": "消费券", "count": 2, "target": ""}]
    text = render(rows, "table", columns=["policy", "count", "target"])
    assert "人才政策" in text and "count" in text
    assert "target" not in text.split("(empty")[0]
    assert text.rstrip().endswith("(empty in every row, not shown: target)")
    # Other formats keep every column; a one-column table keeps it even when empty.
    assert '"target": null' in render(rows, "json", columns=["policy", "count", "target"])
    assert "target" in render([{"target": None}], "table", columns=["target"])

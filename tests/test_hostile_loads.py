"""Hostile text through every load input, on both engines: cells of node and relationship files
(header names too), ``--source``, ``--sheet``, mapping-file values, and file names.

Text that is valid is stored as written (names and other one-line fields with their whitespace
collapsed, as the loader documents; notes as written) and the graph holds nothing else new; text
that cannot be stored the same way on both engines (NUL bytes, unpaired surrogates, control
characters, cells over the size limit, numbers beyond 64 bits) is refused with a located error and
exit code 2, and the graph stays exactly as it was (a full snapshot compared). Never a traceback.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from portfolio_graph.loaders.keys import key_form
from portfolio_graph.loaders.read import column_letter
from portfolio_graph.output.safety import show_controls
from support.graph import counts
from test_hostile_support import HOSTILE, NUL, SURROGATE, cli, run_cli_process, snapshot

SEPARATORS = re.compile(r"[|、,，;；\n]")  # split link and list cells into several names


def collapse(text: str) -> str:
    """How the loader stores one-line text: whitespace runs (any Unicode space) become one space."""
    return " ".join(text.split())


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_areas(folder: Path) -> Path:
    return write_csv(folder / "片区.csv", ["片区编号", "片区名称"],
                     [[f"A-{key}", text] for key, text in HOSTILE.items()])


def nodes(backend, label: str) -> dict[str, dict]:
    return {row["p"]["id"]: row["p"] for row in backend.read(f"MATCH (n:`{label}`) RETURN properties(n) AS p")}


def assert_kept(before: list[str], backend) -> list[str]:
    after = snapshot(backend)
    missing = sorted(set(before) - set(after))
    assert not missing, f"the load changed or removed what the graph held: {missing[:3]}"
    return after


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


# -- cells --------------------------------------------------------------------------------------------


def test_hostile_cells_in_node_and_relationship_files_are_stored_as_written(backend_location, tmp_path):
    backend, location = backend_location
    assert cli(location, "load", write_areas(tmp_path)).exit_code == 0
    before = snapshot(backend)
    keys = list(HOSTILE)
    rows = []
    for key, text in HOSTILE.items():
        link = text if not SEPARATORS.search(text) else f"A-{key}"
        rows.append([text, text, text, text if not SEPARATORS.search(text) else "", link, text, text])
    projects = write_csv(tmp_path / "项目.csv", ["项目编号", "项目名称", "备注", "别名", "所属片区", "建设状态", "项目类型"], rows)
    result = cli(location, "load", projects)
    assert result.exit_code == 0, result.output
    for text in HOSTILE.values():
        # the diff lists each project as written, its control and bidi characters shown as escapes
        assert show_controls(collapse(text)).replace("\n", "\\n") in result.stdout
    stored = nodes(backend, "Project")
    # Ids are keys: stored in their key form (NFKC, no invisible characters); names as written.
    assert set(stored) == {key_form(collapse(t)) for t in HOSTILE.values()}
    for key, text in HOSTILE.items():
        node = stored[key_form(collapse(text))]
        assert node["name"] == collapse(text)
        assert node["notes"] == text.strip()  # notes keep their line breaks
        assert node["status"] == collapse(text) and node["kind"] == collapse(text)
        assert node.get("aliases") == ([collapse(text)] if not SEPARATORS.search(text) else None)
        assert node["source_file"] == str(projects)
    located = backend.read("MATCH (p:Project)-[:LOCATED_IN]->(a:Area) RETURN p.id AS p, a.id AS a")
    assert sorted((r["p"], r["a"]) for r in located) == sorted((key_form(collapse(t)), f"A-{k}")
                                                               for k, t in HOSTILE.items())
    after = assert_kept(before, backend)
    # projects, their links, one Load node and its change records (one for Project, one for LOCATED_IN)
    assert len(after) == len(before) + 2 * len(HOSTILE) + 1 + 2

    # A relationship file: hostile ends, quote and source, each row between two hostile projects.
    rels = write_csv(tmp_path / "关系.csv", ["起点编号", "起点类型", "终点编号", "终点类型", "关系类型", "原文", "来源"],
                     [[HOSTILE[a], "项目", HOSTILE[b], "Project", "依赖", HOSTILE[a], HOSTILE[b]]
                      for a, b in zip(keys, keys[1:] + keys[:1])])
    result = cli(location, "load", rels)
    assert result.exit_code == 0, result.output
    depends = backend.read("MATCH (a:Project)-[r:DEPENDS_ON]->(b:Project) RETURN a.id AS a, b.id AS b, "
                           "r.quote AS quote, r.source AS source")
    assert sorted((r["a"], r["b"], r["quote"], r["source"]) for r in depends) == sorted(
        (key_form(collapse(HOSTILE[a])), key_form(collapse(HOSTILE[b])), collapse(HOSTILE[a]), collapse(HOSTILE[b]))
        for a, b in zip(keys, keys[1:] + keys[:1]))
    assert_kept(after, backend)


def test_hostile_json_values_are_stored_as_written(backend_location, tmp_path):
    backend, location = backend_location
    before = snapshot(backend)
    items = [{"id": f"J-{key}", "name": text, "notes": text, "tags": [text, "专精特新"], "industry": text}
             for key, text in HOSTILE.items()]
    path = tmp_path / "企业.json"
    path.write_text(json.dumps(items, ensure_ascii=True), encoding="utf-8")
    result = cli(location, "load", path, "--format", "json")
    assert result.exit_code == 0, result.output
    stored = nodes(backend, "Enterprise")
    for key, text in HOSTILE.items():
        node = stored[f"J-{key}"]
        assert (node["name"], node["notes"], node["industry"]) == (collapse(text), text, collapse(text))
        assert node["tags"] == [collapse(text), "专精特新"]
    assert_kept(before, backend)


BAD_CELLS = {
    "nul": (NUL, "cell contains a NUL byte at character 2"),
    "escape": ("a\x1b[2Jb", "cell contains control character U+001B at character 2"),
    "bell": ("a\x07b", "cell contains control character U+0007 at character 2"),
    "too_long": ("x" * 10_000_000, "cell is 10,000,000 characters long; the limit is 100,000"),
}


@pytest.mark.parametrize("kind", list(BAD_CELLS))
@pytest.mark.parametrize("column", ["项目编号", "项目名称", "备注", "所属片区", "建设状态"])
def test_cells_that_cannot_be_stored_are_refused_with_their_position(backend_location, tmp_path, kind, column):
    backend, location = backend_location
    cli(location, "load", write_areas(tmp_path))
    before = snapshot(backend)
    header = ["项目编号", "项目名称", "备注", "所属片区", "建设状态"]
    value, message = BAD_CELLS[kind]
    good = ["P-ok", "好项目", "备注", f"A-{next(iter(HOSTILE))}", "在建"]
    bad = ["P-bad", "坏项目", "备注", f"A-{next(iter(HOSTILE))}", "在建"]
    bad[header.index(column)] = value
    path = write_csv(tmp_path / "项目.csv", header, [good, bad])
    result = cli(location, "load", path)
    assert result.exit_code == 2, result.output[:500]
    letter = "ABCDE"[header.index(column)]
    assert f"error: 项目.csv, row 3, column {letter} ({column}): {message}" in result.stderr
    assert len(result.stderr) < 5000
    assert snapshot(backend) == before


@pytest.mark.parametrize("cell, message", [
    ('"a\\ud800b"', "cell contains an unpaired surrogate U+D800, which is not text"),
    ('"a\\u0000b"', "cell contains a NUL byte"),
    ("1e400", "is too large a number"),
    ("Infinity", "is too large a number"),
    ("99999999999999999999", None),
    ('"1e999999999"', None),
    ("[" * 50_000 + "]" * 50_000, None),
])
def test_json_values_that_cannot_be_stored_are_refused(backend_location, tmp_path, cell, message):
    backend, location = backend_location
    before = snapshot(backend)
    path = tmp_path / "项目.json"
    field = "duration_months" if cell.startswith(("99", '"1e9')) else ("name" if cell.startswith('"') else "investment_yi")
    if cell.startswith("["):
        path.write_text(f'[{{"id": "P-1", "name": {cell}}}]', encoding="utf-8")
    else:
        path.write_text(f'[{{"id": "P-0", "name": "好"}}, {{"id": "P-1", "name": "x", "{field}": {cell}}}]',
                        encoding="utf-8")
    result = cli(location, "load", path, "--format", "json")
    assert result.exit_code == 2, result.output[:500]
    problems = json.loads(result.stdout)["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors and all(p["file"] == str(path) for p in errors)
    if not cell.startswith("["):
        assert [(p["row"], p["column"].split(" ")[1]) for p in errors] == [(2, f"({field})")]
    if message:
        assert message in errors[0]["message"]
    assert snapshot(backend) == before


def test_numbers_beyond_64_bits_are_refused_not_clamped(backend_location, tmp_path):
    backend, location = backend_location
    path = write_csv(tmp_path / "项目.csv", ["项目编号", "项目名称", "建设周期", "总投资(亿元)"],
                     [["P-1", "一", "99999999999999999999", "1"], ["P-2", "二", "1e1000000", "1"],
                      ["P-3", "三", "6", "1e400"], ["P-4", "四", "9223372036854775807", "-1e308"]])
    result = cli(location, "load", path)
    assert result.exit_code == 2, result.output
    assert error_lines(result.stderr) == [
        "error: 项目.csv, row 2, column C (建设周期): '99999999999999999999' is too large a whole number — "
        "write a whole number (1.2万 and 3,000 are fine)",
        "error: 项目.csv, row 3, column C (建设周期): '1e1000000' is too large a whole number — "
        "write a whole number (1.2万 and 3,000 are fine)",
        "error: 项目.csv, row 4, column D (总投资(亿元)): '1e400' is too large a number — "
        "write a number, optionally with its unit (44.7亿, 3000万元, 约5亿)",
    ]
    assert counts(backend) == (0, 0)


def test_references_to_hostile_names_that_do_not_exist_are_located_errors(backend_location, tmp_path):
    backend, location = backend_location
    cli(location, "load", write_areas(tmp_path))
    before = snapshot(backend)
    texts = [t for t in HOSTILE.values() if not SEPARATORS.search(t)]
    path = write_csv(tmp_path / "项目.csv", ["项目编号", "项目名称", "所属片区"],
                     [[f"P-{i}", f"项目{i}", f"{t}#"] for i, t in enumerate(texts)])
    result = cli(location, "load", path)
    assert result.exit_code == 2, result.output
    errors = error_lines(result.stderr)
    assert len(errors) == len(texts)
    for row, (line, text) in enumerate(zip(errors, texts), start=2):
        assert line.startswith(f"error: 项目.csv, row {row}, column C (所属片区): 所属片区 {repr(collapse(text) + '#')[:60]}")
    assert snapshot(backend) == before


@pytest.mark.parametrize("key", list(HOSTILE))
def test_a_hostile_relationship_type_or_label_is_a_located_error(backend_location, tmp_path, key):
    backend, location = backend_location
    text = HOSTILE[key]
    cli(location, "load", write_areas(tmp_path))
    before = snapshot(backend)
    path = write_csv(tmp_path / "关系.csv", ["起点编号", "终点编号", "关系类型", "起点类型"],
                     [[f"A-{key}", f"A-{key}", text, "片区"], [f"A-{key}", f"A-{key}", "包含", text]])
    result = cli(location, "load", path)
    assert result.exit_code == 2, result.output
    errors = error_lines(result.stderr)
    assert errors[0].startswith("error: 关系.csv, row 2, column C (关系类型): unknown relationship type")
    assert errors[1].startswith("error: 关系.csv, row 3, column D (起点类型): unknown label")
    assert snapshot(backend) == before


# -- header names ---------------------------------------------------------------------------------------


def test_hostile_header_names_are_warnings_shown_safely_and_nothing_of_them_is_stored(backend_location, tmp_path):
    backend, location = backend_location
    headers = ["项目编号", "项目名称", *HOSTILE.values(), "h" * 1_000_000, "esc\x1b]0;pwned\x07", "nul\x00", "项目名称\u200b"]
    path = write_csv(tmp_path / "项目.csv", headers, [["P-1", "一", *(["x"] * (len(headers) - 2))]])
    result = cli(location, "load", path)
    assert result.exit_code == 0, result.output[:1000]
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == len(headers) - 2
    assert all(len(line) < 1000 for line in warnings), "a long header is shown cut"
    assert "\x1b" not in result.output and "\x00" not in result.output and "\x07" not in result.output
    assert f"column {column_letter(headers.index('esc\x1b]0;pwned\x07'))} (esc\\x1b]0;pwned\\x07)" in result.output
    (node,) = nodes(backend, "Project").values()
    assert {k for k in node if k not in {"load_id", "source", "source_file", "source_sha256", "source_row"}} == {"id", "name"}
    strict = cli(location, "load", path, "--strict")
    assert strict.exit_code == 2
    assert len(error_lines(strict.stderr)) == len(headers) - 2
    assert all(line.startswith("error: 项目.csv, row 1, column ") for line in error_lines(strict.stderr))


def test_a_known_header_disguised_with_invisible_characters_is_not_taken_for_it(backend_location, tmp_path):
    backend, location = backend_location
    path = write_csv(tmp_path / "项目.csv", ["项目编号", "项目\u200b名称"], [["P-1", "一"]])
    result = cli(location, "load", path)
    assert result.exit_code == 2
    assert "missing required column name for Project" in result.stderr
    assert counts(backend) == (0, 0)


def test_a_hostile_header_in_a_link_column_cannot_reach_the_graph(backend_location, tmp_path):
    """--create-missing records the column a stub was named in; a header's control characters
    must not travel into the graph that way (NUL cannot be stored by FalkorDB at all)."""
    backend, location = backend_location
    mapping = tmp_path / "m.yaml"
    mapping.write_text(json.dumps({"label": "Project", "columns": {"项目编号": "id", "项目名称": "name",
                                                                     "区\x1b\x00域": "area"}}), encoding="utf-8")
    path = write_csv(tmp_path / "list.csv", ["项目编号", "项目名称", "区\x1b\x00域"], [["P-1", "一", "新片区"]])
    result = cli(location, "load", path, "--mapping", mapping, "--create-missing")
    assert result.exit_code == 0, result.output
    (stub,) = nodes(backend, "Area").values()
    assert stub["inferred"] is True and "\x00" not in stub["inferred_reason"] and "\x1b" not in stub["inferred_reason"]
    assert "区\\x1b\\x00域" in stub["inferred_reason"]


# -- --source, --sheet, mapping values, file names ----------------------------------------------------------


@pytest.mark.parametrize("key", list(HOSTILE))
def test_a_hostile_source_is_stored_as_given_and_prune_compares_it_literally(backend_location, tmp_path, key):
    backend, location = backend_location
    text = HOSTILE[key]
    first = write_csv(tmp_path / "一.csv", ["项目编号", "项目名称"], [["P-1", "一"], ["P-2", "二"]])
    other = write_csv(tmp_path / "别.csv", ["项目编号", "项目名称"], [["Q-1", "别"]])
    second = write_csv(tmp_path / "二.csv", ["项目编号", "项目名称"], [["P-3", "三"]])
    assert cli(location, "load", first, "--source", text, "--format", "json").exit_code == 0
    # A source that looks alike (NFKC, whitespace) is another source.
    assert cli(location, "load", other, "--source", collapse(text) + " ", "--label", "Project").exit_code == 0
    assert {p["source"] for p in nodes(backend, "Project").values()} == {text, collapse(text) + " "}
    load_sources = {r["s"] for r in backend.read("MATCH (l:Load) RETURN l.source AS s")}
    assert load_sources == {text, collapse(text) + " "}
    result = cli(location, "load", second, "--source", text, "--prune", "--format", "json")
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout)["sources"]) == [text]
    assert sorted(nodes(backend, "Project")) == ["P-3", "Q-1"]


@pytest.mark.parametrize("value, message", [
    (NUL, "source 'a\\x00b': cell contains a NUL byte"),
    ("a\x1bb", "source 'a\\x1bb': cell contains control character U+001B"),
    (SURROGATE, "source 'a\\udcffb': cell contains an unpaired surrogate U+DCFF"),
    ("s" * 200_000, "cell is 200,000 characters long; the limit is 100,000"),
])
def test_a_source_that_cannot_be_stored_is_refused_before_anything_is_read(backend_location, tmp_path, value, message):
    backend, location = backend_location
    path = write_csv(tmp_path / "项目.csv", ["项目编号", "项目名称"], [["P-1", "一"]])
    result = cli(location, "load", path, "--source", value)
    assert result.exit_code == 2, result.output[:500]
    (line,) = error_lines(result.stderr)
    assert line.startswith("error: --source: ") and message in line
    assert counts(backend) == (0, 0)


def _sheet_title(text: str) -> str:
    """The text as an Excel sheet title: no []:*?/\\, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "_", text)[:31].strip("'") or "x"


@pytest.mark.parametrize("key", list(HOSTILE))
def test_hostile_sheet_names(backend_location, tmp_path, key):
    from openpyxl import Workbook

    backend, location = backend_location
    text = HOSTILE[key]
    title = _sheet_title(text.replace("\r", " ").replace("\n", " "))
    book = Workbook()
    book.active.title = "项目"
    book.active.append(["项目编号", "项目名称"])
    book.active.append(["P-1", "一"])
    sheet = book.create_sheet(title)
    sheet.append(["项目编号", "项目名称"])
    sheet.append(["P-2", text])
    sheet["B2"].data_type = "s"  # text, as Excel stores a typed "=..." that is not a formula
    path = tmp_path / "book.xlsx"
    book.save(path)
    missing = cli(location, "load", path, "--sheet", text + "#", "--label", "Project")
    assert missing.exit_code == 2
    assert error_lines(missing.stderr)[0].startswith(f"error: book.xlsx: no sheet named {repr(text + '#')[:40]}")
    assert counts(backend) == (0, 0)
    result = cli(location, "load", path, "--sheet", title, "--label", "Project")
    assert result.exit_code == 0, result.output
    assert {k: (v["name"], v["source_sheet"]) for k, v in nodes(backend, "Project").items()} == {"P-2": (collapse(text), title)}


def _mapping_cases(text):
    return [
        ({"label": text}, "unknown label"),
        ({"columns": {"项目名称": text}}, "mapping for '项目名称' names"),
        ({"columns": {"项目名称": {"field": "name", "unit": text}}, "label": "Project"}, None),
        ({"columns": {"总投资": {"field": "investment_yi", "unit": text}}, "label": "Project"}, "does not fit investment_yi"),
        ({"columns": {"项目名称": {"rel": text, "target": "Area"}}, "label": "Project"}, "is not allowed by the schema"),
        ({"columns": {"项目名称": {"rel": "LOCATED_IN", "target": text}}, "label": "Project"}, "is not allowed by the schema"),
        ({"columns": {text: "name"}, "label": "Project"}, None),
        ({"sheets": {text: {"label": "Project"}}}, None),
        ({"source": text, "label": "Project"}, None),
    ]


@pytest.mark.parametrize("key", list(HOSTILE))
def test_hostile_text_in_mapping_files(backend_location, tmp_path, key):
    backend, location = backend_location
    text = HOSTILE[key]
    path = write_csv(tmp_path / "list.csv", ["项目编号", "项目名称", "总投资"], [["P-1", "一", "5"]])
    mapping = tmp_path / "m.yaml"
    for document, message in _mapping_cases(text):
        mapping.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        result = cli(location, "load", path, "--mapping", mapping, "--format", "json")
        if message is None:
            assert result.exit_code == 0, (document, result.output)
            (node,) = nodes(backend, "Project").values()
            assert node["name"] == "一" and node["source"] == document.get("source", "list.csv")
            backend.clear()
        else:
            assert result.exit_code == 2, (document, result.output)
            problems = [p for p in json.loads(result.stdout)["problems"] if p["severity"] == "error"]
            assert any(message in p["message"] for p in problems), problems
            assert all(p["file"] in (str(path), str(mapping)) for p in problems)
            assert counts(backend) == (0, 0)


@pytest.mark.parametrize("document", [
    "label: [Project, Area]", "label: {a: 1}", "label: 5", "source: {a: 1}", "source: [1]", "source: true",
    "columns: [1, 2]", "columns: {项目名称: {rel: [1], target: Area}}", "columns: {项目名称: {field: [1]}}",
    "columns: {项目名称: {field: name, unit: 5}}", "columns: {项目名称: 5}", "columns: {项目名称: {field: name, bogus: 1}}",
    "sheets: [1]", "sheets: {x: 5}", "sheets: {x: {label: [1]}}", "header_row: .inf", "header_row: 0",
    "header_row: -3", "header_row: [1]", "header_row: true", "[1, 2]", "'just text'", "a: !!python/object/apply:os.system [x]",
    "{{{", "label: Project\nunknown: 1", "source: \"a\\0b\"", "source: \"a\\e[2J\"",
])
def test_mapping_values_of_the_wrong_type_are_located_errors(backend_location, tmp_path, document):
    backend, location = backend_location
    path = write_csv(tmp_path / "list.csv", ["项目编号", "项目名称"], [["P-1", "一"]])
    mapping = tmp_path / "m.yaml"
    mapping.write_text(document, encoding="utf-8")
    result = cli(location, "load", path, "--mapping", mapping)
    assert result.exit_code == 2, result.output
    errors = error_lines(result.stderr)
    assert errors and all(line.startswith(("error: m.yaml: ", "error: list.csv")) for line in errors), errors
    assert any(line.startswith("error: m.yaml: ") for line in errors), errors
    assert counts(backend) == (0, 0)


def _file_name(text: str) -> str:
    return text.replace("/", "⁄")[:60] + ".csv"


@pytest.mark.parametrize("key", list(HOSTILE))
def test_hostile_file_and_folder_names_are_stored_as_given(backend_location, tmp_path, key):
    backend, location = backend_location
    name = _file_name(HOSTILE[key])
    path = write_csv(tmp_path / name, ["项目编号", "项目名称"], [["P-1", "一"]])
    result = cli(location, "load", path, "--label", "Project", "--format", "json")
    assert result.exit_code == 0, result.output
    (node,) = nodes(backend, "Project").values()
    assert (node["source"], node["source_file"]) == (name, str(path))
    (load,) = backend.read("MATCH (l:Load) RETURN l.name AS name, l.file AS file")
    assert load == {"name": name, "file": str(path)}
    folder = tmp_path / name.removesuffix(".csv")
    (folder / "nodes").mkdir(parents=True)
    write_csv(folder / "nodes" / "Project.csv", ["id", "name"], [["P-2", "二"]])
    result = cli(location, "load", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    assert nodes(backend, "Project")["P-2"]["source"] == folder.name


def test_a_file_name_that_is_not_utf8_is_a_located_error(backend_location, tmp_path):
    """Bytes that are not UTF-8 in a file name (a zip unpacked from a GBK system) cannot be stored."""
    backend, location = backend_location
    raw = os.fsencode(tmp_path) + b"/\xb9\xa4\xb3\xcc.csv"  # 工程 in GBK
    with open(raw, "w", encoding="utf-8") as handle:
        handle.write("项目编号,项目名称\nP-1,一\n")
    name = os.fsdecode(raw)
    result = cli(location, "load", name, "--label", "Project")
    assert result.exit_code == 2, result.output
    (line,) = error_lines(result.stderr)
    assert "is not valid UTF-8 text — rename the file (or its folder) with a UTF-8 name" in line
    assert counts(backend) == (0, 0)
    real = run_cli_process(location, "load", name, "--label", "Project")
    assert real.returncode == 2 and b"is not valid UTF-8 text" in real.stderr
    assert counts(backend) == (0, 0)


def test_a_real_process_loads_hostile_names_from_argv(backend_location, tmp_path):
    backend, location = backend_location
    text = HOSTILE["quote_close"] + HOSTILE["rtl_override"] + HOSTILE["zero_width"]
    path = write_csv(tmp_path / _file_name(text), ["项目编号", "项目名称"], [[text, text]])
    result = run_cli_process(location, "load", str(path), "--label", "Project", "--source", text, "--format", "json")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert nodes(backend, "Project")[key_form(collapse(text))]["source"] == text


@pytest.mark.parametrize("document", [
    'label: "\\ud83c"', 'source: "\\ud83c"', 'columns: {项目名称: {rel: "\\ud83c", target: Area}}',
    'columns: {项目名称: {rel: LOCATED_IN, target: "\\ud83c"}}', 'columns: {总投资: {field: investment_yi, unit: "\\ud83c"}}',
    'columns: {项目名称: "\\ud83c"}',
])
def test_mapping_values_that_are_not_text_still_list_every_problem(backend_location, tmp_path, document):
    """YAML's \\u escapes can make unpaired surrogates; the problems must still print as JSON."""
    backend, location = backend_location
    path = write_csv(tmp_path / "list.csv", ["项目编号", "项目名称", "总投资"], [["P-1", "一", "5"]])
    mapping = tmp_path / "m.yaml"
    mapping.write_text(document, encoding="utf-8")
    result = cli(location, "load", path, "--mapping", mapping, "--format", "json")
    assert result.exit_code == 2, result.output
    problems = json.loads(result.stdout)["problems"]
    assert any("\\ud83c" in p["message"] for p in problems), problems
    assert counts(backend) == (0, 0)

"""Encodings told apart or asked for, and JSONL split where JSONL splits (issue 19, findings 8
and 10), on both engines."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from portfolio_graph.cli import main
from portfolio_graph.loaders import LoadRejected, history, load_files

BIG5_ROWS = "id,name,industry\nT001,台積電股份有限公司,半導體\nT002,鴻海精密工業股份有限公司,電子製造\n"


def names(backend, label: str = "Enterprise") -> dict[str, str]:
    rows = backend.read(f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name ORDER BY id")
    return {row["id"]: row["name"] for row in rows}


def test_a_big5_csv_is_stored_as_its_characters_and_the_encoding_is_reported(backend, tmp_path):
    path = tmp_path / "台灣企業.csv"
    path.write_bytes(BIG5_ROWS.encode("cp950"))
    result = load_files(backend, [path], label="Enterprise")
    assert names(backend) == {"T001": "台積電股份有限公司", "T002": "鴻海精密工業股份有限公司"}
    assert result.encodings == {str(path): "cp950"}
    assert result.summary()["encodings"] == {str(path): "cp950"}
    assert history(backend)[0]["encoding"] == "cp950"


def test_a_mainland_gb18030_csv_still_loads_as_gb18030(backend, tmp_path):
    path = tmp_path / "企业.csv"
    path.write_bytes("企业编号,企业名称\nE1,东城数字经济产业园运营有限公司\nE2,温塘砖窑文化旅游发展有限公司\n".encode("gb18030"))
    result = load_files(backend, [path], label="Enterprise")
    assert names(backend) == {"E1": "东城数字经济产业园运营有限公司", "E2": "温塘砖窑文化旅游发展有限公司"}
    assert result.encodings == {str(path): "gb18030"}


def test_a_gb18030_file_whose_first_characters_look_like_utf8_is_not_called_damaged_utf8(backend, tmp_path):
    # 未知 in GB18030 is ce b4 d6 aa: two valid two-byte UTF-8 sequences (δ and a Hebrew point)
    # before 项目 stops UTF-8. That is a GB18030 file, not UTF-8 damaged after Chinese text.
    path = tmp_path / "projects.csv"
    path.write_bytes("id,未知,项目名称\r\nP-1,备注,东城一号\r\nP-2,,东城二号项目\r\n".encode("gb18030"))
    result = load_files(backend, [path], label="Project")
    assert result.encodings == {str(path): "gb18030"}
    names = backend.read("MATCH (p:Project) RETURN p.name AS name ORDER BY name")
    assert names == [{"name": "东城一号"}, {"name": "东城二号项目"}]


def test_a_file_that_reads_as_gb18030_and_big5_alike_is_refused_naming_encoding(backend, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("id,name\nE1,名\n".encode("gb18030"))  # C3FB: 名 in GB2312, 名-like 嚙 in Big5
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [path], label="Enterprise")
    [problem] = caught.value.errors
    assert problem.row == 1 and "cannot be told for sure" in problem.message and "--encoding" in problem.fix
    assert names(backend) == {}
    load_files(backend, [path], label="Enterprise", encoding="gb18030")
    assert names(backend) == {"E1": "名"}


def test_the_cli_summary_names_the_encoding(backend_location, tmp_path):
    backend, location = backend_location
    path = tmp_path / "台灣企業.csv"
    path.write_bytes(BIG5_ROWS.encode("cp950"))
    result = CliRunner().invoke(main, [*location, "load", str(path), "--label", "Enterprise"])
    assert result.exit_code == 0, result.output
    assert "encoding: cp950" in result.output or "编码：cp950" in result.output  # either language
    listed = CliRunner().invoke(main, [*location, "history", "--format", "json"])
    assert json.loads(listed.output)[0]["encoding"] == "cp950"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\x1c", "\x0b"])
def test_jsonl_strings_may_hold_characters_splitlines_breaks_at(backend, tmp_path, separator):
    path = tmp_path / "enterprises.jsonl"
    lines = [{"id": "E1", "name": "一号企业", "notes": f"第一段{separator}第二段"},
             {"id": "E2", "name": "二号企业"}]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    try:
        load_files(backend, [path], label="Enterprise")
    except LoadRejected as exc:
        # A control character in a cell is refused by the cell check, at the line that holds it.
        assert separator in "\x1c\x0b", exc.errors
        [problem] = exc.errors
        assert (problem.row, problem.row_word) == (1, "line") and "control character" in problem.message
        return
    assert separator not in "\x1c\x0b"
    assert names(backend) == {"E1": "一号企业", "E2": "二号企业"}
    notes = backend.read("MATCH (e:Enterprise {id: 'E1'}) RETURN e.notes AS notes")[0]["notes"]
    assert notes == f"第一段{separator}第二段"


def test_a_bad_jsonl_line_is_cited_by_its_real_number(backend, tmp_path):
    path = tmp_path / "enterprises.jsonl"
    good = json.dumps({"id": "E1", "name": "一\u2028号"}, ensure_ascii=False)
    path.write_text(good + "\n" + good.replace("E1", "E2") + "\n{not json\n", encoding="utf-8")
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [path], label="Enterprise")
    [problem] = caught.value.errors
    assert problem.row == 3


def test_crlf_jsonl_still_loads(backend, tmp_path):
    path = tmp_path / "enterprises.jsonl"
    path.write_bytes(b'{"id": "E1", "name": "a"}\r\n{"id": "E2", "name": "b"}\r\n')
    load_files(backend, [path], label="Enterprise")
    assert names(backend) == {"E1": "a", "E2": "b"}

"""Look-alike ids are one id: full-width digits, invisible characters, case of a credit code
(issue 19, finding 9), and a warning when a new node is named like an existing one. Both engines.
(Whether a credit code's check character is right is the directory loader's check, tested there.)"""

from __future__ import annotations

import pytest

from portfolio_graph.loaders import load_files
from portfolio_graph.loaders.keys import key_form, name_form

CODE = "91441900738550931X"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ids(backend, label: str) -> list[str]:
    return [r["id"] for r in backend.read(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id")]


@pytest.mark.parametrize("spelling", [
    "Ｐ－０１",  # full-width letters, hyphen and digits
    "P-01\u200b",  # a zero-width space after it
    "\u202aP-01\u202c",  # wrapped in a bidi embedding
    "\u200eP-01",  # a left-to-right mark before it
    "P-0\u20601",  # a word joiner inside it
    " P-01\u3000",  # spaces, ideographic included
])
def test_a_project_id_in_another_spelling_is_the_same_project(backend, tmp_path, spelling):
    load_files(backend, [write(tmp_path, "m1.csv", "项目编号,项目名称\nP-01,东城污水管网改造\n")])
    result = load_files(backend, [write(tmp_path, "m2.csv", f"项目编号,项目名称\n{spelling},东城污水管网改造\n")],
                        source="m1.csv")
    assert (result.counts.added, result.counts.unchanged) == (0, 1)
    assert ids(backend, "Project") == ["P-01"]


@pytest.mark.parametrize("spelling", [
    "９１４４１９００７３８５５０９３１Ｘ",  # full-width, as an IME in full-width mode types it
    CODE + "\u200b",
    CODE.lower(),
    "\ufeff" + CODE,
])
def test_a_credit_code_in_another_spelling_is_the_same_enterprise(backend, tmp_path, spelling):
    load_files(backend, [write(tmp_path, "e1.csv", f"企业名称,统一社会信用代码\n博力威电池,{CODE}\n")])
    result = load_files(backend, [write(tmp_path, "e2.csv", f"企业名称,统一社会信用代码\n博力威电池,{spelling}\n")],
                        source="e1.csv")
    assert result.counts.added == 0
    assert ids(backend, "Enterprise") == [CODE]
    assert backend.read("MATCH (e:Enterprise) RETURN e.uscc AS uscc") == [{"uscc": CODE}]


def test_references_lose_invisible_characters_and_find_ids_typed_full_width(backend, tmp_path):
    load_files(backend, [write(tmp_path, "areas.csv", "片区编号,片区名称\nA-1,主山片区\nA-2,同沙片区\n")])
    load_files(backend, [write(tmp_path, "p.csv", "项目编号,项目名称,所属片区\nP-1,一号,主山片区\u200b\nP-2,二号,Ａ－２\n")])
    rows = backend.read("MATCH (p:Project)-[:LOCATED_IN]->(a:Area) RETURN p.id AS p, a.id AS a ORDER BY p")
    assert rows == [{"p": "P-1", "a": "A-1"}, {"p": "P-2", "a": "A-2"}]
    assert ids(backend, "Area") == ["A-1", "A-2"]


def test_a_new_node_named_like_an_existing_one_is_warned_about(backend, tmp_path):
    load_files(backend, [write(tmp_path, "e1.csv", "企业编号,企业名称,曾用名\nE-1,利扬芯片,利扬芯片测试\n")])
    result = load_files(backend, [write(tmp_path, "e2.csv",
                                        "企业编号,企业名称\nE-2,利扬\u200b芯片\nE-3,ＬＩＹＡＮＧ\nE-4,利扬芯片测试\n")])
    assert result.counts.added == 3  # a warning, not a refusal: two enterprises may share a name
    warned = {w.row: w.message for w in result.warnings if "already in the graph" in w.message}
    assert sorted(warned) == [2, 4]
    assert "'E-1'" in warned[2] and "name '利扬芯片'" in warned[2]
    assert "alias '利扬芯片测试'" in warned[4]


def test_no_warning_for_names_that_differ(backend, tmp_path):
    load_files(backend, [write(tmp_path, "e1.csv", "企业编号,企业名称\nE-1,利扬芯片\n")])
    result = load_files(backend, [write(tmp_path, "e2.csv", "企业编号,企业名称\nE-2,博力威电池\n")])
    assert not [w for w in result.warnings if "already in the graph" in w.message]


@pytest.mark.parametrize(("raw", "key"), [
    ("project00000000001", "project00000000001"),  # shaped unlike a credit code: case kept
    ("p-01", "p-01"),
    ("９１４４１９００７３８５５０９３１ｘ", CODE),
    ("Ｐ－０１\u200d", "P-01"),
])
def test_key_form(raw, key):
    assert key_form(raw) == key


def test_name_form_ignores_width_case_spaces_and_invisible_characters():
    assert name_form("Ｌｉ Yang\u200b\u3000芯片") == name_form("liyang芯片")

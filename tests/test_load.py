"""The loader against real databases: every test runs on FalkorDB and on Neo4j."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portfolio_graph.loaders import LoadRejected, history, load_files
from portfolio_graph.portfolio import Portfolio
from portfolio_graph.sample import SAMPLE_SOURCE, load_sample, sample_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fx(*names: str) -> list[Path]:
    return [FIXTURES / name for name in names]


def props(backend, label: str, node_id: str) -> dict:
    rows = backend.read(f"MATCH (n:`{label}` {{id: $id}}) RETURN properties(n) AS p", {"id": node_id})
    assert len(rows) == 1, rows
    return {k: v for k, v in rows[0]["p"].items()
            if k not in ("load_id", "source_file", "source_sha256", "source_sheet", "source_row")}


def counts(backend) -> tuple[int, int]:
    nodes = backend.read("MATCH (n) WHERE NOT n:Load AND NOT n:Change RETURN count(n) AS n")[0]["n"]
    rels = backend.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return nodes, rels


def test_a_gbk_csv_is_detected_and_its_values_normalised(backend):
    result = load_files(backend, fx("projects_gbk.csv"))
    assert (result.counts.added, result.rows) == (3, 3)
    assert props(backend, "Project", "GBK-01") == {
        "id": "GBK-01", "name": "东城数字经济产业园", "investment_yi": 1.2, "status": "在建",
        "start": "2023-03-01", "planned_end": "2024-12-01", "level": "市重点", "area_mu": 30,
        "source": "projects_gbk.csv",
    }
    assert props(backend, "Project", "GBK-02") == {
        "id": "GBK-02", "name": "温塘砖窑文化公园", "investment_yi": 0.85, "status": "谋划",
        "start": "2023-09-01", "planned_end": "2025-12-31", "approx_fields": ["investment_yi", "planned_end"],
        "source": "projects_gbk.csv",
    }
    assert props(backend, "Project", "GBK-03")["start"] == "2023-10-01"  # Excel serial 45200


def test_a_gbk_file_read_as_utf8_is_refused_with_its_position(backend):
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, fx("projects_gbk.csv"), encoding="utf-8")
    [problem] = caught.value.errors
    assert (problem.row, problem.column) == (1, None)
    assert "cannot decode the file as utf-8" in problem.message and "byte offset 0" in problem.message


def test_a_bom_csv_keyed_by_credit_code(backend):
    load_files(backend, fx("enterprises_bom.csv"))
    assert props(backend, "Enterprise", "91441900MA4UJ5LX0A") == {
        "id": "91441900MA4UJ5LX0A", "uscc": "91441900MA4UJ5LX0A", "name": "利扬芯片", "tags": ["链主", "上市"],
        "industry": "芯片封装检测", "source": "enterprises_bom.csv",
    }
    assert props(backend, "Enterprise", "91441900738550931X")["tags"] == ["专精特新", "高企"]


def test_broken_utf8_names_the_encoding_the_byte_offset_and_the_row(backend):
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, fx("broken_utf8.csv"))
    [problem] = caught.value.errors
    assert problem.row == 3
    assert problem.message == "cannot decode the file as utf-8: bytes ff fe e9 a1 at byte offset 93 are invalid"
    assert counts(backend) == (0, 0)


def test_a_workbook_with_several_sheets_title_row_merged_cells_and_links(backend):
    result = load_files(backend, fx("portfolio.xlsx"))
    assert (result.rows, result.counts.added) == (11, 18)
    assert props(backend, "Project", "X-01") == {
        "id": "X-01", "name": "利扬芯片监测项目", "investment_yi": 44.7, "approx_fields": ["investment_yi"],
        "start": "2023-03-01", "planned_end": "2024-12-31", "source": "portfolio.xlsx",
    }
    assert props(backend, "Project", "X-03")["investment_yi"] == 0.5
    assert props(backend, "Area", "A-tongsha")["area_ha"] == 2
    assert props(backend, "Goal", "G-01")["target_value"] == 12000
    row = backend.read("MATCH (p:Project {id: 'X-01'}) RETURN p.source_sheet AS sheet, p.source_row AS row")
    assert row == [{"sheet": "项目", "row": 3}]
    rels = backend.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b ORDER BY a, t, b")
    assert [(r["a"], r["t"], r["b"]) for r in rels] == [
        ("E-liyang", "ANCHORS", "C-chip"), ("E-liyang", "LOCATED_IN", "A-zhushan"),
        ("X-01", "IN_CHAIN", "C-chip"), ("X-01", "LOCATED_IN", "A-zhushan"), ("X-01", "OPERATED_BY", "E-liyang"),
        ("X-02", "LOCATED_IN", "A-zhushan"), ("X-02", "OPERATED_BY", "E-kaige"),
        ("X-03", "DEPENDS_ON", "X-01"), ("X-03", "LOCATED_IN", "A-tongsha"),
    ]


def test_loading_the_same_file_twice_changes_nothing(backend):
    first = load_files(backend, fx("portfolio.xlsx"))
    before = backend.read("MATCH (n) WHERE NOT n:Load RETURN n.id AS id, properties(n) AS p ORDER BY id")
    second = load_files(backend, fx("portfolio.xlsx"))
    assert (second.counts.added, second.counts.changed, second.counts.unchanged) == (0, 0, 18)
    assert backend.read("MATCH (n) WHERE NOT n:Load RETURN n.id AS id, properties(n) AS p ORDER BY id") == before
    assert [h["id"] for h in history(backend)] == [second.load_id, first.load_id]


def test_an_updated_list_gives_a_diff_and_updates_only_what_changed(backend):
    load_files(backend, fx("projects_v1.csv"), source="项目清单")
    dry = load_files(backend, fx("projects_v2.csv"), source="项目清单", dry_run=True)
    assert props(backend, "Project", "V-02")["investment_yi"] == 2.5  # dry run wrote nothing
    result = load_files(backend, fx("projects_v2.csv"), source="项目清单")
    for outcome in (dry, result):
        assert [(c.status, c.id, c.fields) for c in outcome.changes] == [
            ("changed", "V-02", [("investment_yi", 2.5, 3.2), ("status", "在建", "建成")]),
            ("changed", "V-03", [("status", "前期", "在建"), ("planned_end", None, "2024-12-31")]),
            ("added", "V-05", []),
            ("missing", "V-04", []),
        ]
        assert outcome.unchanged == 1
    assert props(backend, "Project", "V-02")["investment_yi"] == 3.2
    assert props(backend, "Project", "V-05")["approx_fields"] == ["investment_yi"]
    assert props(backend, "Project", "V-04")["name"] == "鸿铭机械新厂"  # missing is kept
    frame = result.frame()
    assert list(frame.columns) == ["status", "kind", "label", "id", "name", "field", "old", "new"]
    assert len(frame) == 6
    loads = history(backend)
    assert (loads[0]["added"], loads[0]["changed"], loads[0]["unchanged"], loads[0]["missing"]) == (1, 2, 1, 1)


def test_prune_deletes_only_missing_nodes_of_the_same_source(backend):
    load_files(backend, fx("projects_v1.csv"), source="项目清单")
    load_files(backend, fx("projects_gbk.csv"))  # another source
    result = load_files(backend, fx("projects_v2.csv"), source="项目清单", prune=True)
    assert [(c.status, c.id) for c in result.changes if c.status == "pruned"] == [("pruned", "V-04")]
    ids = [r["id"] for r in backend.read("MATCH (p:Project) RETURN p.id AS id ORDER BY id")]
    assert ids == ["GBK-01", "GBK-02", "GBK-03", "V-01", "V-02", "V-03", "V-05"]
    assert history(backend)[0]["pruned"] == 1


def test_a_bad_file_lists_every_problem_and_writes_nothing(backend):
    load_files(backend, fx("projects_v1.csv"))
    before = counts(backend), len(history(backend))
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, fx("bad_projects.csv"))
    got = [(p.row, p.column, p.message) for p in caught.value.errors]
    assert got == [
        (3, "D (计划开工)", "'2023-13-45' is not a valid date (month 1–12, day within the month)"),
        (4, None, "duplicate Project id 'BAD-01': already given in row 2"),
        (5, "B (项目名称)", "name is empty"),
        (5, "C (总投资(亿元))", "'若干' is not a number"),
        (5, "D (计划开工)", "'明年' is not a date"),
        (6, "B (项目名称)", "cell contains a NUL byte at character 6"),
        (6, "E (所属片区)", "所属片区 '不存在片区': no Area with this id or name in the graph or in this load"),
    ]
    assert all(p.fix for p in caught.value.errors)
    [warning] = caught.value.warnings
    assert (warning.row, warning.column) == (1, "F (负责人电话)")
    assert (counts(backend), len(history(backend))) == before


def test_strict_makes_unknown_columns_errors(backend):
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, fx("hostile.csv"), label="Project", strict=True)
    assert [p.column for p in caught.value.errors] == ["D (`}) DETACH DELETE n //)"]


def test_hostile_cells_are_stored_as_text(backend):
    load_files(backend, fx("hostile.csv"), label="Project")
    assert props(backend, "Project", "H-01")["name"] == "x'}) MATCH (n) DETACH DELETE n //"
    assert props(backend, "Project", "H-01")["notes"] == "`backtick` $param {a: 1}"
    assert props(backend, "Project", "H-02")["name"] == 'Robert"); DROP TABLE projects;--'
    assert counts(backend) == (2, 0)


def test_references_resolve_against_the_graph_and_create_missing_makes_stubs(backend):
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, fx("custom_list.csv"), mapping=FIXTURES / "custom_mapping.yaml")
    assert [(p.row, p.column) for p in caught.value.errors] == [(2, "D (牵头单位)"), (2, "E (属地)")]
    load_files(backend, fx("areas.csv"))
    result = load_files(backend, fx("custom_list.csv"), mapping=FIXTURES / "custom_mapping.yaml",
                        create_missing=True)
    assert props(backend, "Project", "M-01")["investment_yi"] == 0.45
    stub = props(backend, "Enterprise", "利扬芯片")
    assert stub["inferred"] is True and "created by --create-missing" in stub["inferred_reason"]
    assert [(c.status, c.label, c.id) for c in result.changes] == [
        ("added", "Project", "M-01"), ("added", "Enterprise", "利扬芯片"),
        ("added", "OPERATED_BY", "M-01 -> 利扬芯片"), ("added", "LOCATED_IN", "M-01 -> A-zhushan"),
    ]


def test_relationship_files_with_chinese_headers_and_type_words(backend):
    load_files(backend, fx("projects_v1.csv", "areas.csv"))
    load_files(backend, fx("enterprises_bom.csv"))
    result = load_files(backend, fx("links.csv"))
    assert [(c.status, c.label, c.id) for c in result.changes] == [
        ("added", "LOCATED_IN", "V-01 -> A-zhushan"), ("added", "LOCATED_IN", "V-02 -> A-zhushan"),
        ("added", "OPERATED_BY", "V-02 -> 91441900MA4UJ5LX0A"),
    ]


def test_relationship_endpoints_the_schema_forbids_are_errors(backend, tmp_path):
    bad = tmp_path / "rels.csv"
    bad.write_text("起点编号,终点编号,关系类型\nV-01,V-02,OPERATED_BY\nV-01,A-zhushan,链主\n", encoding="utf-8")
    load_files(backend, fx("projects_v1.csv", "areas.csv"))
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [bad])
    assert [(p.row, p.message) for p in caught.value.errors] == [
        (2, "to_id 'V-02' is a Project, but OPERATED_BY points at Enterprise"),
        (3, "from_id 'V-01' is a Project, but ANCHORS starts at Enterprise"),
        (3, "to_id 'A-zhushan' is a Area, but ANCHORS points at Chain"),
    ]
    explicit = tmp_path / "rels2.csv"
    explicit.write_text("from_label,from_id,to_label,to_id,type\nProject,V-01,Project,V-02,OPERATED_BY\n",
                        encoding="utf-8")
    with pytest.raises(LoadRejected) as caught:
        load_files(backend, [explicit])
    assert [p.message for p in caught.value.errors] == ["OPERATED_BY cannot go from Project to Project"]


def test_json_and_jsonl(backend):
    result = load_files(backend, fx("enterprises.jsonl", "portfolio.json"))
    assert result.counts.added == 5
    assert props(backend, "Enterprise", "91441900MA4X00001K")["tags"] == ["上市"]
    assert props(backend, "Project", "J-01")["investment_yi"] == 1.5
    row = backend.read("MATCH (p:Enterprise {id: '91441900MA4X00002N'}) RETURN p.source_row AS row")
    assert row == [{"row": 3}]  # line 3 of the JSONL file (line 2 is blank)


def test_the_sample_goes_in_through_the_loader_and_again_changes_nothing(backend):
    first = load_sample(backend)
    assert first.counts.added == first.rows and first.rows > 500
    stats = Portfolio(backend).stats()
    again = load_files(backend, [sample_dir()], source=SAMPLE_SOURCE)
    assert (again.counts.added, again.counts.changed, again.counts.unchanged) == (0, 0, first.rows)
    assert Portfolio(backend).stats() == stats


def test_a_changed_sample_project_list_gives_the_right_diff(backend, tmp_path):
    load_sample(backend)
    folder = tmp_path / "v2"
    shutil.copytree(sample_dir() / "nodes", folder)
    import csv

    path = folder / "Project.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    changed = next(r for r in rows if r["investment_yi"] and r["status"])
    old_inv, old_status = changed["investment_yi"], changed["status"]
    changed["investment_yi"], changed["status"] = "99.5", "延期"
    dropped = rows.pop(-1)
    rows.append({**{f: "" for f in fields}, "id": "P-new", "name": "新增项目"})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    result = load_files(backend, [path], source=SAMPLE_SOURCE, dry_run=True)
    assert [(c.status, c.id, c.fields) for c in result.changes] == [
        ("changed", changed["id"], [("status", old_status, "延期"), ("investment_yi", float(old_inv), 99.5)]),
        ("added", "P-new", []),
        ("missing", dropped["id"], []),
    ]
    assert result.unchanged == len(rows) - 2


def test_a_changed_link_cell_replaces_the_old_link(backend, tmp_path):
    load_files(backend, fx("areas.csv"))
    first = tmp_path / "projects.csv"
    first.write_text("项目编号,项目名称,所属片区\nL-01,东城医院扩建,主山片区\nL-02,东城主山消防站,主山片区\n", encoding="utf-8")
    load_files(backend, [first])
    moved = tmp_path / "projects_moved.csv"
    moved.write_text("项目编号,项目名称,所属片区\nL-01,东城医院扩建,同沙片区\nL-02,东城主山消防站,\n", encoding="utf-8")

    preview = load_files(backend, [moved], source="projects.csv", dry_run=True)
    assert sorted((c.status, c.label, c.id) for c in preview.changes if c.kind == "relationship") == [
        ("added", "LOCATED_IN", "L-01 -> A-tongsha"),
        ("removed", "LOCATED_IN", "L-01 -> A-zhushan"),
        ("removed", "LOCATED_IN", "L-02 -> A-zhushan"),
    ]
    assert preview.counts.removed == 2
    located = "MATCH (p:Project)-[:LOCATED_IN]->(a:Area) RETURN p.id AS p, a.id AS a ORDER BY p, a"
    assert backend.read(located) == [{"p": "L-01", "a": "A-zhushan"}, {"p": "L-02", "a": "A-zhushan"}]

    load_files(backend, [moved], source="projects.csv")
    assert backend.read(located) == [{"p": "L-01", "a": "A-tongsha"}]
    assert backend.read("MATCH (l:Load) RETURN max(l.removed) AS removed") == [{"removed": 2}]

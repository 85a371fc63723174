"""``portfolio-graph load`` and ``history`` through click, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from portfolio_graph.cli import main
from support.graph import counts

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(location, *args):
    return CliRunner().invoke(main, [*location, *map(str, args)], catch_exceptions=False)


def test_a_bad_file_exits_2_lists_every_problem_and_changes_nothing(backend_location):
    backend, location = backend_location
    assert run(location, "load", FIXTURES / "projects_v1.csv").exit_code == 0
    before = counts(backend)
    result = run(location, "--lang", "en", "load", FIXTURES / "bad_projects.csv")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines == [
        "warning: bad_projects.csv, row 1, column F (负责人电话): unknown column '负责人电话': it is not a Project "
        "property or link and will not be loaded — rename it to a known header, map it in --mapping, or remove it",
        "error: bad_projects.csv, row 3, column D (计划开工): '2023-13-45' is not a valid date (month 1–12, day "
        "within the month) — write a date such as 2023-09-01, 2023年9月 or 2023/9/1",
        "error: bad_projects.csv, row 4: duplicate Project id 'BAD-01': already given in row 2 — give each row "
        "its own id, or remove the repeated row",
        "error: bad_projects.csv, row 5, column B (项目名称): name is empty — give every row a name",
        "error: bad_projects.csv, row 5, column C (总投资(亿元)): '若干' is not a number — write a number, "
        "optionally with its unit (44.7亿, 3000万元, 约5亿)",
        "error: bad_projects.csv, row 5, column D (计划开工): '明年' is not a date — write a date such as "
        "2023-09-01, 2023年9月 or 2023/9/1",
        "error: bad_projects.csv, row 6, column B (项目名称): cell contains a NUL byte at character 6 — delete "
        "the invisible character (retype the cell, or re-export the file)",
        "error: bad_projects.csv, row 6, column E (所属片区): 所属片区 '不存在片区': no Area with this id or "
        "name in the graph or in this load — add the Area to this load, correct the name or id, or pass "
        "--create-missing",
        "Error: 7 problems found; nothing was written",
    ]
    assert counts(backend) == before


def test_a_changed_list_prints_its_diff_and_dry_run_writes_nothing(backend_location):
    backend, location = backend_location
    run(location, "load", FIXTURES / "projects_v1.csv", "--source", "项目清单")
    before = counts(backend)
    dry = run(location, "load", FIXTURES / "projects_v2.csv", "--source", "项目清单", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert counts(backend) == before
    lines = dry.stdout.splitlines()
    assert lines[0] == "Dry run: nothing was written."
    assert lines[2:7] == [
        "  added 1, changed 2, unchanged 1, missing 1, pruned 0",
        "  + Project V-05 炬光科技产业园",
        "  ~ Project V-02 利扬芯片监测项目: investment_yi: 2.5 -> 3.2; status: 在建 -> 建成",
        "  ~ Project V-03 生益电子四期: status: 前期 -> 在建; planned_end: (empty) -> 2024-12-31",
        "  ? Project V-04 鸿铭机械新厂 (not in this list; kept, --prune deletes it)",
    ]
    assert lines[7].startswith("Checked 4 rows in ") and lines[7].endswith(" rows/s)")
    real = run(location, "load", FIXTURES / "projects_v2.csv", "--source", "项目清单", "--prune")
    assert real.exit_code == 0, real.output
    assert "  - Project V-04 鸿铭机械新厂" in real.stdout.splitlines()
    assert "; load id load-" in real.stdout.splitlines()[-1]
    again = run(location, "load", FIXTURES / "projects_v2.csv", "--source", "项目清单", "--format", "json")
    summary = json.loads(again.stdout)
    assert (summary["ok"], summary["added"], summary["changed"], summary["unchanged"], summary["changes"]) == \
        (True, 0, 0, 4, [])


def test_history_lists_loads_newest_first(backend_location):
    backend, location = backend_location
    run(location, "load", FIXTURES / "projects_v1.csv")
    run(location, "load", FIXTURES / "projects_gbk.csv")
    result = run(location, "history", "--format", "json")
    rows = json.loads(result.stdout)
    assert [(Path(r["file"]).name, r["rows"], r["added"]) for r in rows] == [
        ("projects_gbk.csv", 3, 3), ("projects_v1.csv", 4, 4)]


def test_a_folder_in_the_sample_format_loads_as_one_load(backend_location):
    backend, location = backend_location
    sample = Path(__file__).resolve().parents[1] / "data" / "dongcheng"
    result = run(location, "load", sample, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["sources"] == ["dongcheng"] and summary["added"] == summary["rows"]
    assert len(json.loads(run(location, "history", "--format", "json").stdout)) == 1


def test_label_and_mapping_are_exclusive_and_unknown_labels_are_input_errors(backend_location):
    backend, location = backend_location
    both = run(location, "load", FIXTURES / "custom_list.csv", "--label", "Project",
               "--mapping", FIXTURES / "custom_mapping.yaml")
    assert both.exit_code == 2
    unknown = run(location, "load", FIXTURES / "projects_v1.csv", "--label", "Projekt")
    assert unknown.exit_code == 2
    assert "unknown label 'Projekt'" in unknown.stderr
    assert counts(backend) == (0, 0)


def test_show_limits_the_json_listing_as_it_does_the_text_and_keeps_counts_complete(backend_location):
    backend, location = backend_location
    path = FIXTURES / "projects_v1.csv"
    text = run(location, "load", path, "--dry-run", "--show", "2")
    assert text.exit_code == 0, text.output
    listed = [line for line in text.stdout.splitlines() if line.startswith("  + ")]
    assert len(listed) == 2 and "  … and 2 more added" in text.stdout.splitlines()
    limited = run(location, "load", path, "--dry-run", "--show", "2", "--format", "json")
    assert limited.exit_code == 0, limited.output
    summary = json.loads(limited.stdout)
    assert (summary["added"], summary["rows"]) == (4, 4)
    assert [row["id"] for row in summary["changes"]] == ["V-01", "V-02"]
    assert [f"  + Project {row['id']} {row['name']}" for row in summary["changes"]] == listed
    assert summary["changes_not_shown"] == {"added": 2}
    counts_only = json.loads(run(location, "load", path, "--dry-run", "--show", "0", "--format", "json").stdout)
    assert (counts_only["added"], counts_only["changes"], counts_only["changes_not_shown"]) == (4, [], {"added": 4})
    everything = json.loads(run(location, "load", path, "--dry-run", "--format", "json").stdout)
    assert len(everything["changes"]) == 4 and everything["changes_not_shown"] == {}
    assert run(location, "load", path, "--dry-run", "--show", "-1").exit_code == 2
    assert counts(backend) == (0, 0)

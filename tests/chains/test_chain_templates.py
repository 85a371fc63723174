"""Chain templates: the built-in ones, the schema check with file, line and fix, user folders."""

from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from portfolio_graph.chains.registry import TEMPLATES_ENV, get_template, load_templates
from portfolio_graph.chains.template import TemplateError, parse_template
from portfolio_graph.cli import main

REQUIRED = {
    "集成电路": ["EDA/IP", "芯片设计", "晶圆制造", "封装", "测试", "设备", "材料"],
    "新型储能": ["正极材料", "负极材料", "电解液", "隔膜", "电芯", "电池管理系统(BMS)", "储能变流器(PCS)",
             "系统集成", "电池回收"],
}


def test_built_in_templates_hold_the_required_segments_with_codes_and_sources():
    templates = load_templates()
    assert {"集成电路", "新型储能", "电子信息", "高端装备制造", "食品"} <= set(templates)
    for name, segments in REQUIRED.items():
        assert set(segments) <= {s.name for s in templates[name].segments}
    for template in templates.values():
        for segment in template.segments:
            assert segment.stream in ("上游", "中游", "下游")
            assert segment.primary_codes, (template.name, segment.name)
            assert segment.source in template.sources, (template.name, segment.name)
        assert template.upstream_pairs()
    ic = templates["集成电路"]
    assert ic.segment("芯片设计").primary_codes == ("6520",)
    pairs = {(a.name, b.name) for a, b, _ in ic.upstream_pairs()}
    assert ("晶圆制造", "封装") in pairs and ("封装", "测试") in pairs and ("测试", "晶圆制造") not in pairs


def test_a_template_is_found_by_an_alias():
    assert get_template("芯片封装检测").name == "集成电路"
    assert get_template("储能电池").name == "新型储能"


GOOD = """\
name: 小链
version: 1
gate: [小]
sources: {s: 某文件}
segments:
  - name: 甲
    stream: 上游
    order: 1
    codes: {primary: ["3973"]}
    include: [甲料]
    outputs: [甲品]
    source: s
  - name: 乙
    stream: 中游
    order: 2
    codes: {primary: ["3841"]}
    include: [乙件]
    inputs: [甲品]
    source: s
"""


def write(tmp_path, text, name="小链"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path):
    with pytest.raises(TemplateError) as info:
        parse_template(path)
    return [str(p) for p in info.value.problems]


def test_a_good_user_template_parses(tmp_path):
    template = parse_template(write(tmp_path, GOOD))
    assert [s.name for s in template.segments] == ["甲", "乙"]
    assert [(a.name, b.name, p) for a, b, p in template.upstream_pairs()] == [("甲", "乙", ("甲品",))]


def test_an_unknown_key_is_refused_with_its_line_and_the_fix(tmp_path):
    found = problems_of(write(tmp_path, GOOD.replace("    stream: 中游", "    strem: 中游")))
    assert any("line 14: unknown key 'strem' in segment '乙'" in p and "use one of" in p for p in found), found
    assert any("stream is missing" in p for p in found)


def test_a_duplicate_segment_is_refused(tmp_path):
    found = problems_of(write(tmp_path, GOOD.replace("  - name: 乙", "  - name: 甲")))
    assert any("line 13: duplicate segment '甲'" in p for p in found), found


def test_a_cycle_in_the_order_is_refused(tmp_path):
    text = GOOD.replace("    order: 1\n", "    order: 3\n")
    found = problems_of(write(tmp_path, text))
    assert any("cycle in the order: '甲' (order 3) feeds '乙' (order 2)" in p for p in found), found


def test_a_parent_cycle_and_an_invalid_code_are_refused(tmp_path):
    text = GOOD.replace("    stream: 上游", "    stream: 上游\n    parent: 乙").replace(
        "    stream: 中游", "    stream: 中游\n    parent: 甲").replace('["3841"]', '["9999", "38x"]')
    found = problems_of(write(tmp_path, text))
    assert any("parents form a cycle" in p for p in found), found
    assert any("'9999' in segment '乙' is not a GB/T 4754-2017 code" in p for p in found), found
    assert any("'38x'" in p for p in found), found


def test_generic_words_and_bad_yaml_are_refused(tmp_path):
    found = problems_of(write(tmp_path, GOOD.replace("[甲料]", "[甲料, 平台]")))
    assert any("'平台' in segment '甲' is a generic word" in p for p in found), found
    found = problems_of(write(tmp_path, GOOD.replace("version: 1", "version: [1")))
    assert found and "not valid YAML" in found[0]


def test_a_user_folder_overrides_the_built_in_template_of_the_same_name(tmp_path, monkeypatch):
    write(tmp_path, GOOD.replace("小链", "食品"), name="食品")
    assert get_template("食品", tmp_path).origin == "--templates-dir"
    assert [s.name for s in get_template("食品", tmp_path).segments] == ["甲", "乙"]
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    assert get_template("食品").origin == f"${TEMPLATES_ENV}"


def test_cli_lists_and_shows_templates_and_refuses_a_broken_one(tmp_path):
    runner = CliRunner()
    listed = runner.invoke(main, ["chain", "templates", "--format", "json"])
    assert listed.exit_code == 0 and "集成电路" in listed.output
    shown = runner.invoke(main, ["chain", "template", "集成电路", "--format", "json"])
    assert shown.exit_code == 0 and "晶圆制造" in shown.output and "6520" in shown.output
    write(tmp_path, GOOD.replace("  - name: 乙", "  - name: 甲"))
    broken = runner.invoke(main, ["chain", "templates", "--templates-dir", str(tmp_path)])
    assert broken.exit_code == 2 and "小链.yaml, line 13" in broken.output

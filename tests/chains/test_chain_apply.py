"""chain apply on the 东城 sample, on both engines: mapping, added segments, one write, the template view."""

from __future__ import annotations

from click.testing import CliRunner

from portfolio_graph.chains import api
from portfolio_graph.cli import main
from portfolio_graph.portfolio import Portfolio
from portfolio_graph.sample import load_sample


def segments(backend, chain):
    return {r["name"]: r for r in backend.read(
        "MATCH (s:ChainSegment)-[:PART_OF]->(c:Chain {name: $c}) RETURN s.name AS name, s.source AS source, "
        "s.template_segment AS template_segment, s.quote AS quote, s.stream AS stream", {"c": chain})}


def test_apply_maps_the_districts_five_chip_segments_and_adds_the_rest(backend):
    load_sample(backend)
    before = segments(backend, "芯片封装检测")
    dry = api.apply(backend, "集成电路", "芯片封装检测", dry_run=True)
    assert segments(backend, "芯片封装检测") == before  # a dry run writes nothing
    assert dry.mapped == {"芯片设计": "芯片设计", "芯片软件": "EDA/IP", "封装技术": "封装", "芯片检测": "测试",
                          "相关装备生产": "设备"}
    result = api.apply(backend, "集成电路", "芯片封装检测")
    assert result.written is not None and result.unmapped == []
    after = segments(backend, "芯片封装检测")
    for name, row in before.items():  # the district's segments keep their names and quotes
        assert after[name]["quote"] == row["quote"] and after[name]["source"] == row["source"]
    added = {name for name, row in after.items() if row["source"] == "template"}
    assert added == {"材料", "晶圆制造", "下游应用"}
    assert after["芯片软件"]["template_segment"] == "EDA/IP" and after["材料"]["stream"] == "上游"
    up = {(r["a"], r["b"]) for r in backend.read(
        "MATCH (a:ChainSegment)-[:UPSTREAM_OF]->(b:ChainSegment)-[:PART_OF]->(:Chain {name: '芯片封装检测'}) "
        "RETURN a.name AS a, b.name AS b")}
    assert ("晶圆制造", "封装技术") in up and ("材料", "晶圆制造") in up
    again = api.apply(backend, "集成电路", "芯片封装检测")
    assert again.changes == [] and again.written is None


def test_the_template_view_shows_mapped_segments_and_the_others_as_extension(backend):
    load_sample(backend)
    api.apply(backend, "新型储能", "储能电池")
    pf = Portfolio(backend)
    rows = pf.report("chain-completeness", chain="储能电池", view="template", lenient=True).to_dict("records")
    by_template = {r["template_segment"]: r for r in rows}
    assert len(rows) == 11 and [r["position"] for r in rows] == list(range(1, 12))
    assert by_template["电芯"]["segment"] == "电池" and by_template["电芯"]["status"] == "已覆盖"
    assert by_template["锂电设备"]["status"] == "强链" and by_template["储能应用"]["status"] == "补链"
    assert {r["status"] for r in rows if r["template_segment"] in ("正极材料", "隔膜", "电池回收")} == {"延链"}
    # Strict: the sample states no IN_SEGMENT link; lenient: 锂电设备 and 电芯 hold enterprises.
    assert rows[0]["coverage_strict_pct"] == 0 and rows[0]["coverage_lenient_pct"] == 18.2
    district = pf.report("chain-completeness", chain="储能电池", lenient=True).to_dict("records")
    assert [r["segment"] for r in district] == ["电池设备制造", "电池", "储能应用"]  # unchanged by apply


def test_a_mapping_file_maps_what_names_do_not(backend, tmp_path):
    load_sample(backend)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("众创空间: 工业设计与服务\n", encoding="utf-8")
    result = api.apply(backend, "高端装备制造", "孵化链条", mapping=mapping, dry_run=True)
    assert result.mapped == {"众创空间": "工业设计与服务"}
    assert set(result.unmapped) == {"科技企业孵化器", "技企业加速器"}
    mapping.write_text("众创空间: 不存在\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["--db", "/nonexistent-not-opened", "chain", "apply", "高端装备制造", "--chain", "孵化链条",
                               "--mapping", str(mapping)])
    assert out.exit_code == 2 and "no segment of 高端装备制造" in out.output


def test_cli_apply_shows_the_diff_then_writes(backend_location):
    backend, location = backend_location
    load_sample(backend)
    runner = CliRunner()
    dry = runner.invoke(main, [*location, "chain", "apply", "集成电路", "--chain", "芯片封装检测", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "= 芯片软件 -> EDA/IP" in dry.output and "+ ChainSegment" in dry.output and "Dry run" in dry.output
    assert not backend.read("MATCH (s:ChainSegment {source: 'template'}) RETURN s.id AS id")
    done = runner.invoke(main, [*location, "chain", "apply", "集成电路", "--chain", "芯片封装检测"])
    assert done.exit_code == 0 and "Written in one batch" in done.output
    assert len(backend.read("MATCH (s:ChainSegment {source: 'template'}) RETURN s.id AS id")) == 3

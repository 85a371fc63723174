"""The demo shows 芯片封装检测 against 集成电路 and 储能电池 against 新型储能, on both engines."""

from __future__ import annotations

from portfolio_graph.demo import run_demo
from portfolio_graph.portfolio import Portfolio


def test_the_demo_compares_two_chains_with_their_templates(backend):
    result = run_demo(Portfolio(backend), replace=True)
    sections = {s.title.split(" ")[0]: s for s in result.sections}
    chip = sections["芯片封装检测"].rows
    mapped = {r["segment"]: r["template_segment"] for r in chip if r["status"] != "延链"}
    assert mapped == {"芯片软件": "EDA/IP", "相关装备生产": "设备", "芯片设计": "芯片设计", "封装技术": "封装",
                      "芯片检测": "测试"}
    assert {r["template_segment"] for r in chip if r["status"] == "延链"} == {"材料", "晶圆制造", "下游应用"}
    storage = sections["储能电池"].rows
    assert len(storage) == 11 and {r["status"] for r in storage} >= {"延链", "强链", "已覆盖", "补链"}
    # Every sample chain a template covers has segments now (the template view lists each).
    chains = {r["chain"] for r in backend.read(
        "MATCH (s:ChainSegment {source: 'template'})-[:PART_OF]->(c:Chain) RETURN DISTINCT c.name AS chain")}
    assert chains == {"芯片封装检测", "储能电池", "电子信息", "装备制造", "食品"}

"""The matcher's rules on single enterprises: gate, generic words, per-clause exclusions, decisions."""

from __future__ import annotations

import pytest

from portfolio_graph.chains.matcher import Enterprise, Matcher
from portfolio_graph.chains.registry import load_templates


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_templates().values())


def decisions(matcher, **fields):
    return {(p.template, p.segment): p.decision for p in matcher.match(Enterprise("E", **fields))}


def test_a_code_alone_is_at_most_a_candidate(matcher):
    found = decisions(matcher, industry_code="3973", scope="技术开发、技术咨询、技术服务")
    assert found[("集成电路", "封装")] == "candidate" and found[("集成电路", "晶圆制造")] == "candidate"
    assert set(found.values()) == {"candidate"}


def test_text_gives_matched_and_products_with_a_second_kind_confirmed(matcher):
    assert decisions(matcher, scope="集成电路封装的研发、生产")[("集成电路", "封装")] == "matched"
    found = decisions(matcher, industry_code="3973", scope="先进封装的研发、生产", products=["SiP封装"])
    assert found[("集成电路", "封装")] == "confirmed"
    assert found[("集成电路", "测试")] == "candidate"  # the shared code separates nothing
    evidence = next(p for p in matcher.match(Enterprise("E", "3973", None, "先进封装的研发、生产", ["SiP封装"]))
                    if p.segment == "封装").evidence_texts()
    assert "products:SiP封装:5.5" in evidence and "industry_code:3973:2.5" in evidence


def test_the_districts_project_text_is_strong_evidence(matcher):
    found = decisions(matcher, scope="芯片测试", projects=["利扬芯片晶圆测试扩产项目"])
    assert found[("集成电路", "测试")] == "confirmed"


def test_the_2011_code_of_ic_design_counts_as_6520(matcher):
    found = decisions(matcher, industry_code="6550", industry_name="集成电路设计", scope="IC设计")
    assert ("集成电路", "芯片设计") in found
    assert next(p for p in matcher.match(Enterprise("E", "6550", "集成电路设计", "IC设计"))
                if p.segment == "芯片设计").score == 5.5


@pytest.mark.parametrize("fields", [
    {"industry_code": "5179", "scope": "集成电路、电子元器件销售；货物进出口", "products": ["存储芯片", "MCU"]},
    {"scope": "锂电池、储能电池批发零售", "products": ["储能电池", "电芯"]},
    {"industry_code": "8122", "scope": "手机维修、电池更换维修", "products": ["手机维修服务"]},
    {"industry_code": "7452", "scope": "食品检测、乳制品检测", "products": ["糕点检验"]},
    {"industry_code": "6513", "scope": "ERP软件开发、企业管理软件销售", "products": ["ERP系统"]},
    {"industry_code": "5211", "scope": "预包装食品零售", "products": ["饮料", "月饼"]},
    {"industry_code": "7243", "scope": "储能电站项目咨询、技术服务"},
    {"industry_code": "5430", "scope": "锂电池运输、危险品仓储"},
])
def test_hard_negatives_are_never_matched(matcher, fields):
    assert {d for d in decisions(matcher, **fields).values()} <= {"candidate"}


def test_the_gate_and_longest_words(matcher):
    # 贴片机 is a word of 电子信息 only; 锂电池电解质 is electrolyte, not a 锂电池 (cell).
    found = decisions(matcher, scope="锂电池电解质的研发、生产")
    assert ("新型储能", "电解液") in found and ("新型储能", "电芯") not in found
    assert decisions(matcher, scope="餐饮服务、物业管理") == {}


def test_rejected_segments_are_not_proposed(matcher):
    proposals = matcher.match(Enterprise("E", scope="集成电路封装的研发"), rejected=[("集成电路", "封装")])
    assert ("集成电路", "封装") not in {(p.template, p.segment) for p in proposals}

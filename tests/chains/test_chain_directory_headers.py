"""企业名录 headers the loader knows without a mapping, and broken codes as located problems."""

from __future__ import annotations

import pytest

from portfolio_graph.chains.codes import uscc_check_char
from portfolio_graph.loaders import LoadRejected, load_files


def uscc(body: str) -> str:
    return body + uscc_check_char(body)


HEADER = "企业名称,统一社会信用代码,行业代码,行业名称,经营范围,主营产品,标签,注册地址,成立日期\n"


def test_directory_headers_load_without_a_mapping(backend, tmp_path):
    code = uscc("91441900MA4W00012")
    path = tmp_path / "企业名录.csv"
    path.write_text(HEADER + f"甲芯科技,{code},C3973,集成电路制造,集成电路封装测试,QFN封装|SiP封装,专精特新,"
                    "东莞市东城街道某路1号,2019年5月\n", encoding="utf-8")
    load_files(backend, [path])
    row = backend.read("MATCH (e:Enterprise) RETURN e {.*} AS e")[0]["e"]
    assert row["id"] == code and row["uscc"] == code
    assert row["industry_code"] == "3973" and row["industry_name"] == "集成电路制造"
    assert row["business_scope"] == "集成电路封装测试" and row["products"] == ["QFN封装", "SiP封装"]
    assert row["address"].startswith("东莞市") and row["founded"] == "2019-05-01" and row["tags"] == ["专精特新"]


def test_a_broken_credit_code_or_industry_code_is_a_located_problem(backend, tmp_path):
    good = uscc("91441900MA4W00012")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    path = tmp_path / "企业名录.csv"
    path.write_text(HEADER + f"甲,{bad},3973,,,,,,\n乙,{uscc('91441900MA4W00023')},I3973,,,,,,\n", encoding="utf-8")
    with pytest.raises(LoadRejected) as info:
        load_files(backend, [path])
    found = [str(p) for p in info.value.errors]
    assert any("row 2, column B (统一社会信用代码)" in p and "check character" in p for p in found), found
    assert any("row 3, column C (行业代码)" in p and "section C, not I" in p for p in found), found
    assert not backend.read("MATCH (e:Enterprise) RETURN e.id AS id")

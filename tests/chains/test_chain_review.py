"""chain review: export the proposals, import 接受/拒绝, rejections remembered, stale rows refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from portfolio_graph.chains import api
from portfolio_graph.chains.codes import uscc_check_char
from portfolio_graph.chains.review import ReviewRejected
from portfolio_graph.cli import main
from portfolio_graph.loaders import load_files
from portfolio_graph.portfolio import Portfolio
from portfolio_graph.sample import load_sample

A, B = (body + uscc_check_char(body) for body in ("91441900MA4W00012", "91441900MA4W00023"))


def prepared(backend, tmp_path):
    load_sample(backend)
    api.apply(backend, "集成电路", "芯片封装检测")
    path = tmp_path / "企业名录.csv"
    path.write_text("企业名称,统一社会信用代码,行业代码,经营范围,主营产品\n"
                    f"甲芯封测,{A},C3973,先进封装的研发、生产,SiP封装\n"
                    f"乙芯测试,{B},C3973,晶圆测试、成品测试,\n", encoding="utf-8")
    load_files(backend, [path], source="外部企业库")
    api.match(backend, chain="芯片封装检测")


def fill(path, verdicts):
    book = load_workbook(path)
    sheet = book["审核"]
    header = [c.value for c in sheet[1]]
    col = header.index("审核") + 1
    for row in sheet.iter_rows(min_row=2):
        key = (row[0].value, row[header.index("模板环节")].value)
        if key in verdicts:
            sheet.cell(row=row[0].row, column=col, value=verdicts[key])
    book.save(path)


def link(backend, eid, segment):
    rows = backend.read("MATCH (e:Enterprise {id: $e})-[r:IN_SEGMENT]->(s:ChainSegment {template_segment: $s}) "
                        "RETURN r.inferred AS inferred, r.reviewed_by AS reviewed_by, r.decision AS decision",
                        {"e": eid, "s": segment})
    return rows[0] if rows else None


def test_accepted_links_become_stated_and_rejections_are_remembered(backend, tmp_path):
    prepared(backend, tmp_path)
    review = tmp_path / "review.xlsx"
    assert api.review_export(backend, review) >= 3
    fill(review, {(A, "封装"): "接受", (B, "测试"): "拒绝"})
    result = api.review_import(backend, review, reviewer="王审核")
    assert result.accepted and result.rejected and not result.problems
    assert link(backend, A, "封装") == {"inferred": False, "reviewed_by": "王审核", "decision": "confirmed"}
    assert link(backend, B, "测试") is None
    api.match(backend, chain="芯片封装检测")
    assert link(backend, B, "测试") is None  # not proposed again
    assert link(backend, A, "封装")["reviewed_by"] == "王审核"  # a reviewed link is never overwritten
    rows = Portfolio(backend).report("chain-completeness", chain="芯片封装检测", view="template").to_dict("records")
    assert next(r for r in rows if r["template_segment"] == "封装")["enterprises"] == ["甲芯封测"]  # strict counts it


def test_rows_that_no_longer_match_are_refused_unless_partial(backend, tmp_path):
    prepared(backend, tmp_path)
    review = tmp_path / "review.xlsx"
    api.review_export(backend, review)
    fill(review, {(A, "封装"): "接受", (B, "测试"): "接受"})
    backend.write("MATCH (:Enterprise {id: $e})-[r:IN_SEGMENT]->(:ChainSegment {template_segment: '测试'}) DELETE r",
                  {"e": B})
    with pytest.raises(ReviewRejected, match="row [0-9]+: .* is no longer a proposal"):
        api.review_import(backend, review, reviewer="x")
    assert link(backend, A, "封装")["inferred"] is True  # nothing written
    result = api.review_import(backend, review, reviewer="x", partial=True)
    assert result.accepted == [(A, next(iter(result.accepted))[1])] and len(result.problems) == 1
    assert link(backend, A, "封装")["inferred"] is False


def test_cli_review_round_trip(backend_location, tmp_path):
    backend, location = backend_location
    prepared(backend, tmp_path)
    review = tmp_path / "review.xlsx"
    runner = CliRunner()
    out = runner.invoke(main, [*location, "chain", "review", "--export", str(review)])
    assert out.exit_code == 0 and "proposal(s)" in out.output
    fill(review, {(A, "封装"): "接受", (B, "测试"): "不知道"})
    out = runner.invoke(main, [*location, "chain", "review", "--import", str(review), "--reviewer", "李"])
    assert out.exit_code == 2 and "neither 接受 nor 拒绝" in out.output
    out = runner.invoke(main, [*location, "chain", "review", "--import", str(review), "--reviewer", "李", "--partial"])
    assert out.exit_code == 0 and "接受 1" in out.output

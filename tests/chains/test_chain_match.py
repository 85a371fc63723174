"""chain match on a graph, both engines: links with evidence, stated links kept, re-runs stable."""

from __future__ import annotations

from click.testing import CliRunner

from portfolio_graph.chains import api
from portfolio_graph.chains.codes import uscc_check_char
from portfolio_graph.cli import main
from portfolio_graph.sample import load_sample


def uscc(body: str) -> str:
    return body + uscc_check_char(body)


PACKAGER, TRADER = uscc("91441900MA4W00012"), uscc("91441900MA4W00023")


def directory(tmp_path):
    path = tmp_path / "企业名录.csv"
    path.write_text(
        "企业名称,统一社会信用代码,行业代码,经营范围,主营产品\n"
        f"甲芯封测,{PACKAGER},C3973,先进封装的研发、生产,SiP封装|QFN封装\n"
        f"乙芯商贸,{TRADER},5179,集成电路销售；货物进出口,存储芯片\n", encoding="utf-8")
    return path


def links(backend, chain="芯片封装检测"):
    return {(r["e"], r["s"]): r for r in backend.read(
        "MATCH (e:Enterprise)-[r:IN_SEGMENT]->(s:ChainSegment)-[:PART_OF]->(:Chain {name: $c}) "
        "RETURN e.id AS e, s.template_segment AS s, r.decision AS decision, r.evidence AS evidence, "
        "r.rule_version AS rule_version, r.inferred AS inferred", {"c": chain})}


def test_match_writes_links_with_evidence_and_keeps_stated_ones(backend, tmp_path):
    load_sample(backend)
    api.apply(backend, "集成电路", "芯片封装检测")
    from portfolio_graph.loaders import load_files

    load_files(backend, [directory(tmp_path)], source="外部企业库")
    dry = api.match(backend, chain="芯片封装检测", dry_run=True)
    assert dry.counts["confirmed"] == 1 and not any(r["rule_version"] for r in links(backend).values())
    api.match(backend, chain="芯片封装检测")
    found = links(backend)
    packer = found[(PACKAGER, "封装")]
    assert packer["decision"] == "confirmed" and packer["inferred"] is True and packer["rule_version"]
    assert packer["evidence"] == ["scope:先进封装:3", "products:SiP封装:5.5", "industry_code:3973:2.5"]
    assert found[(PACKAGER, "测试")]["decision"] == "candidate"
    assert {d["decision"] for (e, _), d in found.items() if e == TRADER} <= {"candidate"}
    # The sample's own inference (利扬芯片 in 芯片检测) is not the matcher's: kept as it was.
    assert found[("E-liyang", "测试")]["rule_version"] is None
    again = api.match(backend, chain="芯片封装检测")
    assert again.removed == [] and links(backend) == found


def test_a_stated_link_is_never_overwritten(backend, tmp_path):
    load_sample(backend)
    api.apply(backend, "集成电路", "芯片封装检测")
    from portfolio_graph.loaders import load_files

    load_files(backend, [directory(tmp_path)], source="外部企业库")
    backend.write("MATCH (e:Enterprise {id: $e}), (s:ChainSegment {id: 'CS-packaging-tech'}) "
                  "CREATE (e)-[:IN_SEGMENT {inferred: false, source: '名录'}]->(s)", {"e": PACKAGER})
    result = api.match(backend)
    assert result.kept >= 1
    assert links(backend)[(PACKAGER, "封装")]["decision"] is None


def test_match_needs_an_applied_template(backend_location):
    backend, location = backend_location
    load_sample(backend)
    out = CliRunner().invoke(main, [*location, "chain", "match", "--chain", "食品"])
    assert out.exit_code == 2 and "chain apply" in out.output
    api.apply(backend, "食品", "食品")
    out = CliRunner().invoke(main, [*location, "chain", "match", "--chain", "食品", "--dry-run"])
    assert out.exit_code == 0 and "Dry run" in out.output

"""gap-candidates and the template view of chain-completeness: same rows on both engines, and right.

The graph: the 东城 sample, the 集成电路 and 新型储能 templates applied, a generated external list
(source 外部企业库) loaded and matched.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "chains"))

from generate_directory import write as write_directory  # noqa: E402

from portfolio_graph.chains import api  # noqa: E402
from portfolio_graph.graph.schema import QUALIFICATION_TAGS  # noqa: E402
from portfolio_graph.loaders import load_files  # noqa: E402
from portfolio_graph.reports import get_report, run_report  # noqa: E402
from portfolio_graph.sample import load_sample  # noqa: E402
from conftest import BACKENDS  # noqa: E402


def prepare(backend, folder):
    load_sample(backend, replace=True)
    api.apply(backend, "集成电路", "芯片封装检测")
    api.apply(backend, "新型储能", "储能电池")
    directory, _ = write_directory(folder, 240, 7)
    load_files(backend, [directory], source="外部企业库")
    api.match(backend)
    return backend


@pytest.fixture(scope="module")
def graphs(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("external")
    return {name: prepare(request.getfixturevalue(f"_{name}_backend"), folder) for name in BACKENDS}


def run(backend, name, **params):
    return run_report(backend, get_report(name), params).rows


PARAM_SETS = [
    ("gap-candidates", {"chain": "芯片封装检测"}),
    ("gap-candidates", {"chain": "储能电池", "near": "东莞", "extend": True}),
    ("gap-candidates", {"chain": "芯片封装检测", "include_district": True, "limit": 500}),
    ("chain-completeness", {"view": "template"}),
    ("chain-completeness", {"view": "template", "lenient": True}),
    ("chain-completeness", {"view": "template", "lenient": True, "candidates": True, "status": "延链"}),
    ("chain-members", {"lenient": True}),
]


@pytest.mark.neo4j
@pytest.mark.parametrize("name, params", PARAM_SETS)
def test_both_engines_return_identical_rows(graphs, name, params):
    falkordb, neo4j = (run(graphs[n], name, **params) for n in ("falkordb", "neo4j"))
    assert falkordb == neo4j
    assert falkordb, f"{name} {params} returned no rows"


def test_gap_candidates_are_external_ranked_and_show_evidence(graphs):
    backend = graphs["falkordb"]
    rows = run(backend, "gap-candidates", chain="芯片封装检测", limit=500)
    assert rows and all(not r["in_district"] and r["status"] in ("补链", "强链") for r in rows)
    assert all(r["decision"] in ("matched", "confirmed", "stated") and r["evidence"] for r in rows)
    scores = [r["rank_score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    for r in rows:
        expected = r["fit"] + (5 if r["supplies_anchor"] else 0) + 2 * len(r["qualifications"]) + (2 if r["near"] else 0)
        assert r["rank_score"] == pytest.approx(expected)
        assert set(r["qualifications"]) <= set(QUALIFICATION_TAGS)
    # 利扬芯片 (the 链主) sits in 芯片检测 (测试): a candidate next to it along UPSTREAM_OF supplies it.
    by_segment = {r["template_segment"]: r["supplies_anchor"] for r in rows}
    assert by_segment.get("封装") is True and by_segment.get("芯片设计", False) is False
    # 测试 has one district enterprise (利扬芯片, inferred): 强链; the others none: 补链.
    assert {r["status"] for r in rows if r["template_segment"] == "测试"} <= {"强链"}
    with_extend = run(backend, "gap-candidates", chain="芯片封装检测", extend=True, limit=500)
    assert {"晶圆制造", "材料"} & {r["template_segment"] for r in with_extend if r["status"] == "延链"}


def test_candidates_count_only_when_asked(graphs):
    backend = graphs["falkordb"]
    plain = run(backend, "chain-completeness", view="template", chain="储能电池", lenient=True)
    more = run(backend, "chain-completeness", view="template", chain="储能电池", lenient=True, candidates=True)
    assert sum(r["enterprise_count"] for r in more) > sum(r["enterprise_count"] for r in plain)

"""The matcher's precision and recall on the generated, labelled 企业名录 (bench/chains), per chain.

Not timed: bench/chains/evaluate.py runs the same list through load, apply and match and writes the
figures to bench/results/chains-match.md. Here the rules are held to the issue's aims.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "chains"))

from generate_directory import generate  # noqa: E402

from portfolio_graph.chains.codes import normalize_industry_code, normalize_uscc  # noqa: E402
from portfolio_graph.chains.matcher import Enterprise, Matcher  # noqa: E402
from portfolio_graph.chains.registry import load_templates  # noqa: E402


@pytest.fixture(scope="module")
def outcome():
    rows, labels = generate(600, 13)
    matcher = Matcher(load_templates().values())
    predicted, confirmed_hard = {}, []
    for row, label in zip(rows, labels):
        e = Enterprise(normalize_uscc(row["统一社会信用代码"]), normalize_industry_code(row["行业代码"]),
                       row["行业名称"] or None, row["经营范围"], row["主营产品"].split("、") if row["主营产品"] else [],
                       row["标签"].split("|") if row["标签"] else [])
        for p in matcher.match(e):
            if p.decision in ("matched", "confirmed"):
                predicted[(e.id, p.template, p.segment)] = p.decision
            if p.decision == "confirmed" and label["kind"].startswith("hard negative"):
                confirmed_hard.append((label["kind"], p.template, p.segment))
    truth = {(l["统一社会信用代码"], l["chain"], l["segment"]) for l in labels if l["chain"]}
    return predicted, truth, confirmed_hard, len(rows)


def test_the_list_is_big_enough_and_has_hard_negatives():
    rows, labels = generate(600, 13)
    assert len(rows) >= 500
    assert sum(l["kind"].startswith("hard negative") for l in labels) >= 100


@pytest.mark.parametrize("chain", ["集成电路", "新型储能", "电子信息", "高端装备制造", "食品"])
def test_precision_and_recall_per_chain(outcome, chain):
    predicted, truth, _, _ = outcome
    got = {k for k in predicted if k[1] == chain}
    wanted = {k for k in truth if k[1] == chain}
    precision, recall = len(got & wanted) / len(got), len(got & wanted) / len(wanted)
    print(f"{chain}: precision {precision:.3f}, recall {recall:.3f} ({len(got)} predicted, {len(wanted)} true)")
    assert precision >= 0.9 and recall >= 0.8


def test_no_hard_negative_is_confirmed(outcome):
    assert outcome[2] == []

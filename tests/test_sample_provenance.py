"""The rule behind every stated/inferred flag of the sample (data/dongcheng/README.md, "Stated or inferred").

A stated link's quote names both of its ends (a node is named by its name, an alias, or the quote
that introduces it), or its ``quote_basis`` says what in the report states it (its numbering,
say); an inferred link gives its reason. The 2023 plan's strategies, programmes and measures nest
as the report numbers them.
"""

from __future__ import annotations

import pytest

from test_sample_data import Dataset, Row, fail_all, load_dataset, split_list


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def named_in(node: Row, quote: str) -> bool:
    names = [node.get("name"), *split_list(node.get("aliases")), node.get("quote")]
    return any(name and name in quote for name in names)


def test_a_stated_link_names_both_ends_or_says_why_not(ds):
    by_id = ds.by_id()
    problems = []
    for rel_type, rows in ds.rels.items():
        for row in rows:
            basis = row.get("quote_basis").strip()
            if row.inferred:
                if basis:
                    problems.append(f"{row.where}: quote_basis on an inferred {rel_type} (give inferred_reason only)")
                continue
            ends = [by_id[row.get("from_id")], by_id[row.get("to_id")]]
            unnamed = [e.get("name") for e in ends if not named_in(e, row.get("quote"))]
            if unnamed and not basis:
                problems.append(f"{row.where}: stated {rel_type} whose quote does not name {unnamed} and gives no quote_basis")
    fail_all(problems, "stated links that do not say how the report states them")


def test_no_stated_operator_is_read_off_the_project_name(ds):
    by_id = ds.by_id()
    problems = []
    for row in ds.rel_rows("OPERATED_BY"):
        if row.inferred:
            continue
        project, enterprise = by_id[row.get("from_id")], by_id[row.get("to_id")]
        rest = row.get("quote")
        for name in [project.get("name"), *split_list(project.get("aliases"))]:
            rest = rest.replace(name, "")
        if not any(n in rest for n in [enterprise.get("name"), *split_list(enterprise.get("aliases"))]):
            problems.append(f"{row.where}: {project.get('name')} -> {enterprise.get('name')} is stated, but the quote "
                            "names the enterprise only inside the project's name")
    fail_all(problems, "operator links read off a project's name")
    stated = {(r.get("from_id"), r.get("to_id")) for r in ds.rel_rows("OPERATED_BY") if not r.inferred}
    assert stated == {("P-jd-mall", "E-jd")}


def test_the_four_new_energy_enterprises_are_stated_chain_members(ds):
    members = {r.get("from_id") for r in ds.rel_rows("IN_CHAIN") if r.get("to_id") == "C-energy-storage" and not r.inferred}
    assert members == {"E-bolwei", "E-kaige", "E-lidi", "E-hongbao"}
    taking_part = {r.get("from_id") for r in ds.rel_rows("PARTICIPATES_IN") if r.get("to_id") == "POL-energy-resources"}
    assert taking_part == members


def test_every_policy_of_the_2023_plan_nests_under_the_plan(ds):
    parents: dict[str, set[str]] = {}
    for row in ds.rel_rows("PART_OF"):
        if row.get("from_label") == "Policy" and not row.inferred:
            parents.setdefault(row.get("from_id"), set()).add(row.get("to_id"))
    problems = []
    for policy in ds.nodes["Policy"]:
        pid = policy.get("id")
        if not policy.get("section").startswith("二") or pid == "POL-plan-2023":
            continue
        seen, todo = set(), [pid]
        while todo:  # walk up to the root; each step is a stated PART_OF
            cur = todo.pop()
            for parent in parents.get(cur, ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        if "POL-plan-2023" not in seen:
            problems.append(f"{policy.where}: {policy.get('name')} does not nest under 2023年工作计划")
    fail_all(problems, "2023 policies outside the tree")
    kinds = {p.get("kind") for p in ds.nodes["Policy"]}
    assert {"方向", "战略", "工程", "举措", "计划", "专项行动", "政策"} == kinds

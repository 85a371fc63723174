"""The schema's policy nesting, participation, coverage and wider DEPENDS_ON (issue 12)."""

from __future__ import annotations

import pytest

from portfolio_graph.graph.schema import POLICY_KINDS, SCHEMA


def test_part_of_nests_policies_but_never_mixes_segments_and_policies():
    part_of = SCHEMA.rel_type("PART_OF")
    assert part_of.allows("ChainSegment", "Chain") and part_of.allows("Policy", "Policy")
    assert not part_of.allows("ChainSegment", "Policy") and not part_of.allows("Policy", "Chain")
    assert part_of.describe_ends() == "ChainSegment -> Chain, Policy -> Policy"


@pytest.mark.parametrize("rel, source, target", [
    ("PARTICIPATES_IN", "Area", "Policy"), ("PARTICIPATES_IN", "Enterprise", "Project"),
    ("COVERS", "Policy", "Parcel"), ("COVERS", "Policy", "Area"),
    ("DEPENDS_ON", "Area", "Project"), ("DEPENDS_ON", "Chain", "Parcel"), ("DEPENDS_ON", "Goal", "Project"),
    ("DEPENDS_ON", "Project", "Policy"),
])
def test_new_links_are_allowed(rel, source, target):
    assert SCHEMA.rel_type(rel).allows(source, target)


@pytest.mark.parametrize("rel, source, target", [
    ("PARTICIPATES_IN", "Project", "Policy"), ("COVERS", "Fund", "Area"), ("DEPENDS_ON", "Enterprise", "Project"),
])
def test_other_ends_are_refused(rel, source, target):
    assert not SCHEMA.rel_type(rel).allows(source, target)


def test_policy_kind_is_a_vocabulary():
    kind = SCHEMA.label("Policy").property("kind")
    assert kind.choices == POLICY_KINDS
    assert kind.check("战略") is None and kind.check("奖补") is not None
    assert SCHEMA.label("Policy").property("instrument") is not None

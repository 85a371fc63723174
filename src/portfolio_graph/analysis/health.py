"""Portfolio health: what the graph holds and where it has holes.

Each check is one row with how many items fail it, out of how many, and which:

- ``dependency_cycles``: cycles in DEPENDS_ON (each as A → B → A);
- ``orphans``: nodes with no relationship at all;
- ``projects_without_goal``: projects that reach no goal by any route ``goals`` knows
  (directly, through a counted set, or through a chain);
- ``goals_without_contributor``: goals nothing CONTRIBUTES_TO;
- ``enterprises_in_no_chain``: enterprises not IN_SEGMENT of a segment, not ANCHORS of a chain
  and not IN_CHAIN of one;
- ``segments_without_enterprise``: chain segments no enterprise works in (补链 gaps);
- ``projects_missing_duration``: projects (not counted sets) with neither ``duration_months``
  nor both ``start`` and ``planned_end``;
- ``dependency_projects_missing_duration``: the same, among projects in the DEPENDS_ON network,
  where the critical path has to assume a duration;
- ``inferred_relationships``: relationships marked ``inferred=true`` (for information).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from ..graph.schema import SCHEMA
from .dependencies import depends_on_graph, find_cycles
from .durations import SOURCE_ASSUMED, duration_of
from .export import as_graph, display_name
from .goals import goals_of

SET_KINDS = ("集合", "set")


@dataclass
class HealthSummary:
    counts: pd.DataFrame  # kind (label/relationship), name, count
    checks: pd.DataFrame  # check, count, out_of, items

    def check(self, name: str) -> dict[str, Any]:
        row = self.checks[self.checks["check"] == name]
        if row.empty:
            raise KeyError(name)
        return row.iloc[0].to_dict()

    def to_frame(self) -> pd.DataFrame:
        return self.checks


def is_set(graph: nx.MultiDiGraph, key: str) -> bool:
    """A counted set of projects: kind 集合, or something other projects are MEMBER_OF."""
    data = graph.nodes[key]
    if data.get("kind") in SET_KINDS:
        return True
    return any(k == "MEMBER_OF" for _, _, k in graph.in_edges(key, keys=True))


def _of(graph: nx.MultiDiGraph, label: str) -> list[str]:
    return [k for k, d in graph.nodes(data=True) if d.get("label") == label]


def _has_edge(graph: nx.MultiDiGraph, key: str, rel_type: str, incoming: bool = False) -> bool:
    edges = graph.in_edges(key, keys=True) if incoming else graph.out_edges(key, keys=True)
    return any(k == rel_type for _, _, k in edges)


def health(source: Any) -> HealthSummary:
    graph = as_graph(source)
    labels = {name: len(_of(graph, name)) for name in SCHEMA.portfolio_labels}
    types = {name: 0 for name in SCHEMA.rel_types}
    for _, _, rel_type in graph.edges(keys=True):
        types[rel_type] = types.get(rel_type, 0) + 1
    counts = pd.DataFrame(
        [{"kind": "label", "name": k, "count": v} for k, v in labels.items()]
        + [{"kind": "relationship", "name": k, "count": v} for k, v in types.items()],
        columns=["kind", "name", "count"],
    )

    projects = _of(graph, "Project")
    single = [p for p in projects if not is_set(graph, p)]
    in_network = set(depends_on_graph(graph).nodes)
    missing = [p for p in single if duration_of(graph.nodes[p]).source == SOURCE_ASSUMED]
    segments = _of(graph, "ChainSegment")
    cycles = find_cycles(graph)
    rows = [
        ("dependency_cycles", [" → ".join(display_name(graph, k) for k in c + c[:1]) for c in cycles],
         len(in_network)),
        ("orphans", [k for k in graph.nodes if graph.degree(k) == 0], graph.number_of_nodes()),
        ("projects_without_goal", [p for p in projects if not goals_of(graph, p)], len(projects)),
        ("goals_without_contributor",
         [g for g in _of(graph, "Goal") if not _has_edge(graph, g, "CONTRIBUTES_TO", incoming=True)],
         labels["Goal"]),
        ("enterprises_in_no_chain", [e for e in _of(graph, "Enterprise")
                                     if not any(_has_edge(graph, e, t) for t in ("IN_SEGMENT", "ANCHORS", "IN_CHAIN"))],
         labels["Enterprise"]),
        ("segments_without_enterprise", [s for s in segments if not _has_edge(graph, s, "IN_SEGMENT", True)],
         len(segments)),
        ("projects_missing_duration", missing, len(single)),
        ("dependency_projects_missing_duration", [p for p in missing if p in in_network],
         len([p for p in single if p in in_network])),
        ("inferred_relationships", [f"{display_name(graph, u)} -{k}-> {display_name(graph, v)}"
                                    for u, v, k, d in graph.edges(keys=True, data=True) if d.get("inferred") is True],
         graph.number_of_edges()),
    ]
    checks = pd.DataFrame(
        [
            {
                "check": name,
                "count": len(items),
                "out_of": out_of,
                # keys become names; cycle and relationship descriptions are already text
                "items": [display_name(graph, i) if i in graph else i for i in items],
                "keys": [i for i in items if i in graph],
            }
            for name, items, out_of in rows
        ],
        columns=["check", "count", "out_of", "items", "keys"],
    )
    return HealthSummary(counts, checks)

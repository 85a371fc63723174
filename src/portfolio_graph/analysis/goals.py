"""Which goals a project serves, and by which route.

A project reaches a goal

- directly: ``(project)-[:CONTRIBUTES_TO]->(goal)``;
- through a counted set it belongs to: ``(project)-[:MEMBER_OF*]->(set)-[:CONTRIBUTES_TO]->(goal)``;
- through a chain it builds up, named directly or through one of its segments:
  ``(project or set)-[:IN_CHAIN]->(chain)`` or ``-[:IN_CHAIN]->(segment)-[:PART_OF]->(chain)``,
  then ``(chain)-[:CONTRIBUTES_TO]->(goal)``.

The what-if analysis and the health summary use the same routes.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .export import display_name


@dataclass(frozen=True)
class GoalRoute:
    goal: str  # node key
    route: str  # human-readable, e.g. "MEMBER_OF 10个市级重大工业项目 → CONTRIBUTES_TO"
    via_set: str | None = None  # the counted set the route passes through, if any


def _out(graph: nx.MultiDiGraph, key: str, rel_type: str, label: str | None = None) -> list[str]:
    return sorted(
        v for _, v, k in graph.out_edges(key, keys=True)
        if k == rel_type and (label is None or graph.nodes[v].get("label") == label)
    )


def sets_of(graph: nx.MultiDiGraph, key: str) -> list[str]:
    """The counted sets a project belongs to, transitively (MEMBER_OF*), nearest first."""
    seen: list[str] = []
    frontier = [key]
    while frontier:
        following = []
        for node in frontier:
            for parent in _out(graph, node, "MEMBER_OF"):
                if parent not in seen and parent != key:
                    seen.append(parent)
                    following.append(parent)
        frontier = following
    return seen


def chains_of(graph: nx.MultiDiGraph, key: str) -> list[str]:
    """Chains a project or set builds up: IN_CHAIN a chain, or a segment PART_OF a chain."""
    chains = set(_out(graph, key, "IN_CHAIN", "Chain"))
    for segment in _out(graph, key, "IN_CHAIN", "ChainSegment"):
        chains.update(_out(graph, segment, "PART_OF", "Chain"))
    return sorted(chains)


def goal_routes(graph: nx.MultiDiGraph, project: str) -> list[GoalRoute]:
    """Every (goal, route) a project reaches, direct routes first, without repeats."""
    routes: list[GoalRoute] = []
    seen: set[tuple[str, str]] = set()

    def add(goal: str, route: str, via_set: str | None) -> None:
        if (goal, route) not in seen:
            seen.add((goal, route))
            routes.append(GoalRoute(goal, route, via_set))

    origins: list[tuple[str, str, str | None]] = [(project, "", None)] + [
        (s, f"MEMBER_OF {display_name(graph, s)} → ", s) for s in sets_of(graph, project)
    ]
    for origin, prefix, via_set in origins:
        for goal in _out(graph, origin, "CONTRIBUTES_TO", "Goal"):
            add(goal, f"{prefix}CONTRIBUTES_TO", via_set)
    for origin, prefix, via_set in origins:
        for chain in chains_of(graph, origin):
            for goal in _out(graph, chain, "CONTRIBUTES_TO", "Goal"):
                add(goal, f"{prefix}IN_CHAIN {display_name(graph, chain)} → CONTRIBUTES_TO", via_set)
    return routes


def goals_of(graph: nx.MultiDiGraph, project: str) -> list[str]:
    return sorted({route.goal for route in goal_routes(graph, project)})

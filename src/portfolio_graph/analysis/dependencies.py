"""The DEPENDS_ON network: the order things can happen in, its cycles, and its critical path.

``A DEPENDS_ON B`` means B must be ready first. For the critical path a project is read as
starting when all its prerequisites are ready (finish-to-start, the usual critical-path-method
reading and the cautious one), and planned durations come from ``durations.duration_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from ..errors import InputError
from ..graph.schema import KEY, phase_of
from .durations import SOURCE_ASSUMED, Duration, duration_of, tidy
from .export import as_graph, display_name

DEPENDS_ON = "DEPENDS_ON"
MAX_CYCLES = 100
EPS = 1e-9


class DependencyCycleError(InputError):
    """DEPENDS_ON has a cycle, so there is no order and no critical path."""

    def __init__(self, cycles: list[list[str]], names: list[list[str]], what: str):
        self.cycles = cycles
        shown = "; ".join(" → ".join(cycle + cycle[:1]) for cycle in names[:5])
        more = f" (and {len(names) - 5} more)" if len(names) > 5 else ""
        super().__init__(
            f"{what} is undefined: DEPENDS_ON has {len(cycles)} cycle(s): {shown}{more}. "
            "Run 'analyze cycles' to list them."
        )


def depends_on_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """A DiGraph of the DEPENDS_ON edges only, in their direction (dependant → prerequisite)."""
    dep = nx.DiGraph()
    edges = sorted((u, v) for u, v, k in graph.edges(keys=True) if k == DEPENDS_ON)
    dep.add_nodes_from(sorted({n for edge in edges for n in edge}))
    dep.add_edges_from(edges)
    return dep


def find_cycles(graph: nx.MultiDiGraph, limit: int = MAX_CYCLES) -> list[list[str]]:
    """Each DEPENDS_ON cycle as node keys in DEPENDS_ON order, starting at its smallest key."""
    dep = depends_on_graph(graph)
    cycles = []
    for cycle in nx.simple_cycles(dep):
        start = cycle.index(min(cycle))
        cycles.append(cycle[start:] + cycle[:start])
        if len(cycles) >= limit:
            break
    return sorted(cycles, key=lambda c: (len(c), c))


def _names(graph: nx.MultiDiGraph, keys: list[str]) -> list[str]:
    return [display_name(graph, key) for key in keys]


def cycles_frame(graph: nx.MultiDiGraph, cycles: list[list[str]]) -> pd.DataFrame:
    rows = [
        {
            "cycle": index,
            "length": len(cycle),
            "path": " → ".join(_names(graph, cycle + cycle[:1])),
            "ids": [graph.nodes[k].get(KEY) for k in cycle],
        }
        for index, cycle in enumerate(cycles, start=1)
    ]
    return pd.DataFrame(rows, columns=["cycle", "length", "path", "ids"])


@dataclass
class DependencyOrder:
    """Nodes of the DEPENDS_ON network in an order that respects it, prerequisites first.

    ``level`` 0 holds what depends on nothing; a node's level is one more than its deepest
    prerequisite's. Nodes in a cycle share a level and are marked ``in_cycle``.
    """

    frame: pd.DataFrame
    cycles: list[list[str]]
    cycles_table: pd.DataFrame

    @property
    def has_cycles(self) -> bool:
        return bool(self.cycles)

    def to_frame(self) -> pd.DataFrame:
        return self.frame


def dependency_order(source: Any) -> DependencyOrder:
    graph = as_graph(source)
    dep = depends_on_graph(graph)
    cycles = find_cycles(graph)
    work = dep.reverse(copy=True)  # prerequisite → dependant
    condensed = nx.condensation(work)
    members = condensed.graph["mapping"]
    level_of_component: dict[int, int] = {}
    for level, generation in enumerate(nx.topological_generations(condensed)):
        for component in generation:
            level_of_component[component] = level
    in_cycle = {n for cycle in cycles for n in cycle}
    rows = []
    for key in dep.nodes:
        data = graph.nodes[key]
        rows.append({
            "level": level_of_component[members[key]],
            "name": display_name(graph, key),
            "label": data.get("label"),
            "id": data.get(KEY),
            "status": data.get("status"),
            "phase": phase_of(data.get("status")) if data.get("label") == "Project" else None,
            "depends_on": _names(graph, sorted(dep.successors(key))),
            "needed_by": _names(graph, sorted(dep.predecessors(key))),
            "in_cycle": key in in_cycle,
            "key": key,
        })
    frame = pd.DataFrame(rows, columns=["level", "name", "label", "id", "status", "phase", "depends_on",
                                        "needed_by", "in_cycle", "key"])
    if not frame.empty:
        frame = frame.sort_values(["level", "key"], kind="stable").reset_index(drop=True)
    return DependencyOrder(frame, cycles, cycles_frame(graph, cycles))


# -- critical path -------------------------------------------------------------------------------


@dataclass
class CriticalPath:
    """The longest chain of planned durations through DEPENDS_ON.

    ``schedule`` has every node of the network with its earliest/latest start and finish in
    months from the start of the network, its slack, and where its duration came from.
    ``assumptions`` lists the projects whose duration was missing and what was assumed.
    """

    path: list[str]
    length_months: float
    schedule: pd.DataFrame
    assumptions: pd.DataFrame
    assume_months: float
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        by_key = dict(zip(self.schedule["key"], self.schedule["name"])) if not self.schedule.empty else {}
        return [by_key[k] for k in self.path]

    def to_frame(self) -> pd.DataFrame:
        """The path, one row per step, prerequisites first."""
        if self.schedule.empty:
            return self.schedule
        on_path = self.schedule[self.schedule["on_critical_path"]].set_index("key").loc[self.path].reset_index()
        on_path.insert(0, "step", range(1, len(on_path) + 1))
        return on_path[["step", "name", "label", "id", "duration_months", "duration_source",
                        "earliest_start", "earliest_finish", "slack_months", "key"]]


def critical_path(source: Any, *, assume_months: float = 0) -> CriticalPath:
    """Critical path through DEPENDS_ON. Projects without a duration take ``assume_months``.

    Ties between equally long paths go to the path with more steps, then to smaller keys, so
    with no durations at all the answer is the longest chain of dependencies.
    Raises DependencyCycleError when DEPENDS_ON has a cycle.
    """
    graph = as_graph(source)
    dep = depends_on_graph(graph)
    cycles = find_cycles(graph)
    if cycles:
        raise DependencyCycleError(cycles, [_names(graph, c) for c in cycles], "the critical path")
    work = dep.reverse(copy=True)  # prerequisite → dependant
    durations: dict[str, Duration] = {k: duration_of(graph.nodes[k], assume_months) for k in work}
    order = list(nx.lexicographical_topological_sort(work))
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    depth: dict[str, int] = {}
    for key in order:
        prereqs = list(work.predecessors(key))
        es[key] = max((ef[p] for p in prereqs), default=0.0)
        depth[key] = 1 + max((depth[p] for p in prereqs if abs(ef[p] - es[key]) < EPS), default=0)
        ef[key] = es[key] + durations[key].months
    total = max(ef.values(), default=0.0)
    lf: dict[str, float] = {}
    ls: dict[str, float] = {}
    for key in reversed(order):
        lf[key] = min((ls[d] for d in work.successors(key)), default=total)
        ls[key] = lf[key] - durations[key].months
    path: list[str] = []
    if order:
        current = min(order, key=lambda k: (-ef[k], -depth[k], k))
        path.append(current)
        while True:
            feeding = [p for p in work.predecessors(current) if abs(ef[p] - es[current]) < EPS]
            if not feeding:
                break
            current = min(feeding, key=lambda k: (-depth[k], k))
            path.append(current)
        path.reverse()
    on_path = set(path)
    rows = []
    for key in order:
        data, duration = graph.nodes[key], durations[key]
        rows.append({
            "name": display_name(graph, key),
            "label": data.get("label"),
            "id": data.get(KEY),
            "status": data.get("status"),
            "duration_months": tidy(duration.months),
            "duration_source": duration.source,
            "earliest_start": tidy(es[key]),
            "earliest_finish": tidy(ef[key]),
            "latest_start": tidy(ls[key]),
            "latest_finish": tidy(lf[key]),
            "slack_months": tidy(max(ls[key] - es[key], 0.0)),
            "on_critical_path": key in on_path,
            "key": key,
        })
    schedule = pd.DataFrame(rows, columns=["name", "label", "id", "status", "duration_months", "duration_source",
                                           "earliest_start", "earliest_finish", "latest_start", "latest_finish",
                                           "slack_months", "on_critical_path", "key"])
    assumed = [
        {"name": display_name(graph, k), "id": graph.nodes[k].get(KEY), "assumed_months": tidy(d.months),
         "reason": d.note, "on_critical_path": k in on_path, "key": k}
        for k, d in sorted(durations.items()) if d.source == SOURCE_ASSUMED
    ]
    assumptions = pd.DataFrame(assumed, columns=["name", "id", "assumed_months", "reason", "on_critical_path", "key"])
    notes = []
    if not order:
        notes.append("DEPENDS_ON is empty: there is no critical path.")
    if assumed:
        notes.append(
            f"{len(assumed)} of {sum(1 for d in durations.values() if d.source != 'milestone')} projects in the "
            f"dependency network have no planned duration; each was assumed to take {tidy(assume_months)} months."
        )
        if all(durations[k].months == 0 for k in path) and path:
            notes.append("With no durations on the path, it is the longest chain of dependencies, not a schedule.")
    return CriticalPath(path, tidy(total), schedule, assumptions, assume_months, notes)

"""What if a project, parcel or policy is late by N months: who slips, and which goals are at risk.

A delay travels from a prerequisite to what needs it:

- ``(a)-[:DEPENDS_ON]->(b)``: a delay of b reaches a;
- ``(project)-[:USES_PARCEL]->(parcel)``: a delay of the parcel reaches the project built on it;
- ``(member)-[:MEMBER_OF]->(set)``: a counted set is done when its members are, so a late
  member makes the set late.

Slack: the schema reads DEPENDS_ON as "cannot finish before the target is ready", so where both
ends have a ``planned_end`` the dependant's buffer is the time between the two planned ends. A
dependant slips only by what exceeds its buffer (``max(0, slip - buffer)``); a delay it absorbs
stops there. Where either date is missing there is no known buffer and the delay passes on in
full; the ``basis`` column says which rule applied to each row. A node reached along several
routes slips by the largest amount.

Goals at risk are those the slipped projects reach (see ``goals``): directly, through a set
they belong to, or through a chain they build up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import networkx as nx
import pandas as pd

from ..errors import InputError
from ..graph.schema import KEY
from .durations import add_months, months_between, parse_date, tidy
from .export import as_graph, display_name, find_node
from .frames import frame
from .goals import goal_routes

DELAYABLE = ("Project", "Parcel", "Policy")
BASIS_DATES = "planned_end dates"
BASIS_FULL = "no dates: full delay"


@dataclass
class DelayResult:
    target: str  # node key
    months: float
    slips: pd.DataFrame  # every node the delay reached, the delayed one first
    goals: pd.DataFrame  # goals put at risk
    notes: list[str] = field(default_factory=list)

    @property
    def slipped(self) -> pd.DataFrame:
        """Only the rows that slip (the delayed node included), not those whose slack absorbed it."""
        return self.slips[self.slips["slip_months"] > 0].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        return self.slips


def _propagation_edges(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """prerequisite → dependant, each edge with the relationship type it came from."""
    flow = nx.DiGraph()
    links = []
    for u, v, rel_type in graph.edges(keys=True):
        if rel_type == "DEPENDS_ON":
            links.append((v, u, rel_type))
        elif rel_type == "USES_PARCEL":
            links.append((v, u, rel_type))
        elif rel_type == "MEMBER_OF":
            links.append((u, v, rel_type))
    for prereq, dependant, rel_type in sorted(links):
        if not flow.has_edge(prereq, dependant):  # DEPENDS_ON sorts before USES_PARCEL and wins
            flow.add_edge(prereq, dependant, link=rel_type)
    return flow


def _buffer(graph: nx.MultiDiGraph, prereq: str, dependant: str) -> float | None:
    before = parse_date(graph.nodes[prereq].get("planned_end"))
    after = parse_date(graph.nodes[dependant].get("planned_end"))
    if before is None or after is None:
        return None
    return max(0.0, months_between(before, after))


def _new_end(data: dict[str, Any], slip: float) -> str | None:
    end = parse_date(data.get("planned_end"))
    return add_months(end, slip).isoformat() if end and slip > 0 else None


def delay(source: Any, target: str, months: float) -> DelayResult:
    """Delay ``target`` (a key, id, name or alias of a project, parcel or policy) by ``months``."""
    if months <= 0:
        raise InputError(f"the delay must be a positive number of months, got {months}")
    graph = as_graph(source)
    start = find_node(graph, target, DELAYABLE)
    flow = _propagation_edges(graph)
    slip: dict[str, float] = {start: float(months)}
    reached: dict[str, dict[str, Any]] = {start: {"via": None, "link": None, "buffer": None, "depth": 0}}
    worklist = [start]
    rounds = 0
    while worklist:
        rounds += 1
        if rounds > 10 * (flow.number_of_nodes() + 1) ** 2:  # cannot happen with buffers >= 0; a guard
            break
        prereq = worklist.pop(0)
        if slip[prereq] <= 0 or prereq not in flow:
            continue
        for dependant in sorted(flow.successors(prereq)):
            if dependant == start:
                continue
            buffer = _buffer(graph, prereq, dependant)
            passed = max(0.0, slip[prereq] - (buffer or 0.0))
            if dependant in slip and passed <= slip[dependant]:
                continue
            slip[dependant] = passed
            reached[dependant] = {
                "via": prereq,
                "link": flow.edges[prereq, dependant]["link"],
                "buffer": buffer,
                "depth": reached[prereq]["depth"] + 1,
            }
            worklist.append(dependant)

    def slip_columns(key: str, data: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
        return {
            "label": data.get("label"),
            "status": data.get("status"),
            "slip_months": tidy(slip[key]),
            "via": display_name(graph, info["via"]) if info["via"] else "(delayed)",
            "link": info["link"],
            "buffer_months": None if info["buffer"] is None else tidy(info["buffer"]),
            "basis": None if info["via"] is None else (BASIS_FULL if info["buffer"] is None else BASIS_DATES),
            "planned_end": data.get("planned_end"),
            "new_planned_end": _new_end(data, slip[key]),
            "depth": info["depth"],
        }

    rows = _node_rows(graph, reached, "name", slip_columns)
    slips = pd.DataFrame(rows, columns=["name", "label", "id", "status", "slip_months", "via", "link", "buffer_months",
                                        "basis", "planned_end", "new_planned_end", "depth", "key"])
    slips = slips.sort_values(["depth", "slip_months", "key"], ascending=[True, False, True], kind="stable")
    slips = slips.reset_index(drop=True)
    goals = _goals_at_risk(graph, slips)
    notes = _notes(graph, start, months, slips, goals)
    return DelayResult(start, float(months), slips, goals, notes)


def _node_rows(graph: nx.MultiDiGraph, found: dict[str, Any], name_column: str,
               columns: Callable[[str, dict[str, Any], Any], dict[str, Any]]) -> list[dict[str, Any]]:
    """A row per node of ``found`` (key -> what was found about it): its display name under
    ``name_column``, its id and key, and ``columns(key, node data, what was found)``. The caller's
    frame orders the columns."""
    return [{name_column: display_name(graph, key), "id": graph.nodes[key].get(KEY), "key": key,
             **columns(key, graph.nodes[key], value)} for key, value in found.items()]


def _goals_at_risk(graph: nx.MultiDiGraph, slips: pd.DataFrame) -> pd.DataFrame:
    by_goal: dict[str, dict[str, Any]] = {}
    slipped = set(slips.loc[slips["slip_months"] > 0, "key"])
    for row in slips.itertuples(index=False):
        if row.label != "Project" or row.slip_months <= 0:
            continue
        new_end = parse_date(row.new_planned_end)
        for route in goal_routes(graph, row.key):
            if route.via_set in slipped:
                continue  # the set slipped too and is listed with its own routes
            entry = by_goal.setdefault(route.goal, {"slip": 0.0, "via": [], "late": [], "unknown": False})
            entry["slip"] = max(entry["slip"], float(row.slip_months))
            entry["via"].append(f"{row.name}: {route.route}")
            goal_year = graph.nodes[route.goal].get("year")
            if new_end is None or not isinstance(goal_year, int):
                entry["unknown"] = True
            elif new_end.year > goal_year:
                entry["late"].append(row.name)

    def goal_columns(_: str, data: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "metric": data.get("metric"),
            "target": _target_text(data),
            "year": data.get("year"),
            "max_slip_months": tidy(entry["slip"]),
            # True: a slipped contributor now finishes after the goal's year; None: dates unknown.
            "past_goal_year": True if entry["late"] else (None if entry["unknown"] else False),
            "via": entry["via"],
        }

    rows = _node_rows(graph, by_goal, "goal", goal_columns)
    goals = frame(rows, ["goal", "metric", "target", "year", "max_slip_months", "past_goal_year", "via", "id", "key"],
                  ints=["year"])
    return goals.sort_values(["key"], kind="stable").reset_index(drop=True)


SUFFIX_COMPARATORS = ("以上",)


def _target_text(goal: dict[str, Any]) -> str | None:
    """How the report writes a target: 突破300亿元, 15%以上, 翻番 (no value)."""
    value, unit, comparator = goal.get("target_value"), goal.get("unit") or "", goal.get("comparator") or ""
    if value is None:
        return comparator or None
    if comparator in SUFFIX_COMPARATORS:
        return f"{tidy(value)}{unit}{comparator}"
    return f"{comparator}{tidy(value)}{unit}"


def _notes(graph: nx.MultiDiGraph, start: str, months: float, slips: pd.DataFrame, goals: pd.DataFrame) -> list[str]:
    notes = [f"{display_name(graph, start)} ({graph.nodes[start].get('label')}) delayed by {tidy(months)} months."]
    others = slips[slips["key"] != start]
    slipped = others[others["slip_months"] > 0]
    absorbed = others[others["slip_months"] <= 0]
    notes.append(f"{len(slipped)} other node(s) slip; {len(absorbed)} absorb the delay in their slack.")
    full = (others["basis"] == BASIS_FULL).sum()
    if full:
        notes.append(f"{full} link(s) had no planned_end on both sides: the delay was passed on in full.")
    notes.append(f"{len(goals)} goal(s) at risk.")
    return notes

"""The project list (with the month's lights, or status words when no schedule is loaded) and the
dependency links the page draws as a small network around a project, area or parcel."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..graph import Backend
from ..graph.schema import LAND_READY_STATUSES, SCHEMA, phase_of
from .nodes import NodeTable, read_links

# The links the dependency view follows, as (type, source, target): every pair the schema allows
# DEPENDS_ON (projects, and areas, chains and goals that wait on projects, parcels and policies),
# the land projects are built on, and where things lie (areas join through location).
DEPENDENCY_LINKS = (
    *(("DEPENDS_ON", source, target) for source, target in SCHEMA.rel_type("DEPENDS_ON").endpoint_pairs),
    ("USES_PARCEL", "Project", "Parcel"),
    ("LOCATED_IN", "Project", "Area"), ("LOCATED_IN", "Parcel", "Area"),
    ("CONTAINS", "Area", "Project"), ("CONTAINS", "Area", "Parcel"), ("CONTAINS", "Area", "Area"),
)


def _placements(backend: Backend, table: NodeTable, lenient: bool) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Project id → area nodes and chain nodes it belongs to (stated links; inferred too when lenient)."""
    areas: dict[str, set[int]] = defaultdict(set)
    chains: dict[str, set[int]] = defaultdict(set)
    area_rows = table.all("Area")
    for link in read_links(backend, "LOCATED_IN", "Project", "Area"):
        if (lenient or not link.get("inferred")) and link["b"] in area_rows:
            areas[link["a"]].add(table.add("Area", area_rows[link["b"]]))
    for link in read_links(backend, "CONTAINS", "Area", "Project"):
        if (lenient or not link.get("inferred")) and link["a"] in area_rows:
            areas[link["b"]].add(table.add("Area", area_rows[link["a"]]))
    chain_rows = table.all("Chain")
    seg_chain = {link["a"]: link["b"] for link in read_links(backend, "PART_OF", "ChainSegment", "Chain")
                 if lenient or not link.get("inferred")}
    for target in ("Chain", "ChainSegment"):
        for link in read_links(backend, "IN_CHAIN", "Project", target):
            if not (lenient or not link.get("inferred")):
                continue
            chain_id = link["b"] if target == "Chain" else seg_chain.get(link["b"])
            if chain_id in chain_rows:
                chains[link["a"]].add(table.add("Chain", chain_rows[chain_id]))
    return areas, chains


def project_list(backend: Backend, table: NodeTable, lenient: bool, lights: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One compact row per project; ``lights`` maps a project id to its schedule light, if any."""
    areas, chains = _placements(backend, table, lenient)
    out = []
    for row in table.all("Project").values():
        entry: dict[str, Any] = {"node": table.add("Project", row), "st": row.get("status"),
                                 "ph": phase_of(row.get("status")), "lv": row.get("level"),
                                 "inv": row.get("investment_yi"), "yr": row.get("year"), "k": row.get("kind"),
                                 "end": row.get("planned_end"),
                                 "ar": sorted(areas.get(row["id"], ())), "ch": sorted(chains.get(row["id"], ()))}
        light = lights.get(row["id"])
        if light:
            entry["lt"] = light.get("light")
            if light.get("reason"):
                entry["lr"] = light["reason"]
            if light.get("inherited"):
                entry["ih"] = [str(w) for w in light["inherited"]][:10]
        out.append({k: v for k, v in entry.items() if v not in (None, [], "")})
    return out


def dependency_links(backend: Backend, table: NodeTable, lenient: bool) -> tuple[list[list[Any]], dict[int, Any]]:
    """Links among projects, parcels, policies and areas as [from, to, type, inferred, provenance],
    and the states of the parcels and policies they reach (projects carry theirs in the list)."""
    rows = {label: table.all(label) for label in {label for _, a, b in DEPENDENCY_LINKS for label in (a, b)}}
    links: list[list[Any]] = []
    states: dict[int, Any] = {}
    for rel, source, target in DEPENDENCY_LINKS:
        for link in read_links(backend, rel, source, target):
            if link.get("inferred") and not lenient:
                continue
            a, b = rows[source].get(link["a"]), rows[target].get(link["b"])
            if a is None or b is None:
                continue
            ia, ib = table.add(source, a), table.add(target, b)
            for label, node, index in ((source, a, ia), (target, b, ib)):
                if label == "Parcel":
                    land = node.get("land_status")
                    states[index] = {"land": land, "ready": land in LAND_READY_STATUSES}
            links.append([ia, ib, rel, 1 if link.get("inferred") else 0, table.provenance(link)])
    return links, states

"""Inherited warnings: what a project waits for that is itself in trouble.

A prerequisite (DEPENDS_ON) whose light is red or yellow, or a parcel the project or one of its
prerequisites is built on or depends on (USES_PARCEL, DEPENDS_ON) that is not ready, is a warning
on the waiting project, with the path. Paths are at most two steps (A → B, A → B → 地块): each
prerequisite's own light already carries what it waits for, and at scale M four steps brought
~800 prerequisites into an area of 300 projects. It is kept apart from the project's own light.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..graph import Backend
from ..graph.schema import LAND_READY_STATUSES

PATHS = """
UNWIND $ids AS pid
MATCH path = (p:Project {id: pid})-[:DEPENDS_ON|USES_PARCEL*1..2]->(q)
WHERE (q:Project OR q:Parcel)
  AND all(n IN nodes(path)[1..-1] WHERE n:Project)
  AND ($lenient OR all(r IN relationships(path) WHERE NOT coalesce(r.inferred, false)))
RETURN pid AS id, [n IN nodes(path) | n.name] AS names, q.id AS target, q:Parcel AS parcel,
       q.land_status AS land_status
"""


@dataclass(frozen=True)
class Warning:
    target_id: str
    target: str
    what: str  # e.g. 依赖项目红灯 / 地块未就绪（收储）
    path: tuple[str, ...]

    def text(self) -> str:
        return f"{self.what}：{' → '.join(self.path)}"


def waiting_on(backend: Backend, ids: Iterable[str], lenient: bool) -> list[dict[str, Any]]:
    wanted = sorted(set(ids))
    return backend.read(PATHS, {"ids": wanted, "lenient": lenient}) if wanted else []


def warnings_for(paths: list[dict[str, Any]], light_of: Callable[[str], str | None]) -> dict[str, list[Warning]]:
    """Per waiting project, its warnings: one per troubled target, through the shortest path."""
    best: dict[tuple[str, str], Warning] = {}
    for row in paths:
        if row["parcel"]:
            if row["land_status"] in LAND_READY_STATUSES:
                continue
            what = f"地块未就绪（{row['land_status'] or '状态未注明'}）"
        else:
            light = light_of(row["target"])
            if light not in ("红", "黄"):
                continue
            what = f"前置项目{light}灯"
        warning = Warning(row["target"], row["names"][-1], what, tuple(row["names"]))
        key = (row["id"], row["target"])
        if key not in best or (len(warning.path), warning.path) < (len(best[key].path), best[key].path):
            best[key] = warning
    found: dict[str, list[Warning]] = {}
    for (project, _), warning in sorted(best.items()):
        found.setdefault(project, []).append(warning)
    return found


__all__ = ["Warning", "waiting_on", "warnings_for"]

"""What the graph holds for the lights: each project's year plans and monthly rows, read by id.

One query text for both engines; the schedule, trend and goals-at-risk steps all read through it.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..graph import Backend
from .lights import History, PlanFacts, RowFacts
from .months import month_date
from .profiles import Profile

CHUNK = 5_000
_MONTHS = ", ".join(f"q.m{m:02d}_wan" for m in range(1, 13))

# Unfiltered OPTIONAL MATCHes with the month window inside collect(): FalkorDB walks them batched.
FACTS = f"""
UNWIND $ids AS pid
MATCH (p:Project {{id: pid}})
OPTIONAL MATCH (q:Plan)-[:PLAN_OF]->(p)
WITH p, collect(CASE WHEN q IS NULL THEN null
                     ELSE [q.year, q.planned_wan, q.planned_start, {_MONTHS}] END) AS plans
OPTIONAL MATCH (r:Progress)-[:PROGRESS_OF]->(p)
WITH p, plans,
     collect(CASE WHEN r.month >= $first AND r.month <= $last
                  THEN [r.month, r.ytd_wan, r.month_wan, r.since_start_wan, r.actual_start, r.progress_text] END) AS rows,
     min(CASE WHEN r.month < $first THEN r.actual_start END) AS earlier_start,
     max(CASE WHEN r.month < $first AND any(w IN $done_words WHERE r.progress_text CONTAINS w) THEN 1 ELSE 0 END)
       AS earlier_done
RETURN p.id AS id, p.name AS name, p.status AS status, plans AS plans, rows AS rows,
       earlier_start AS earlier_start, earlier_done AS earlier_done
"""

LOADED_MONTHS = "MATCH (r:Progress) RETURN DISTINCT r.month AS month ORDER BY month"


def read_histories(backend: Backend, ids: Iterable[str], first: str, last: str,
                   profile: Profile) -> dict[str, History]:
    """Histories of the projects, holding the rows of months first..last ('YYYY-MM', inclusive)."""
    wanted = sorted(set(ids))
    found: dict[str, History] = {}
    params: dict[str, Any] = {"first": f"{first}-01", "last": f"{last}-01", "done_words": list(profile.done_words)}
    for start in range(0, len(wanted), CHUNK):
        for row in backend.read(FACTS, {**params, "ids": wanted[start:start + CHUNK]}):
            found[row["id"]] = _history(row)
    return found


def _history(row: dict[str, Any]) -> History:
    plans = {}
    for item in row["plans"] or ():
        year, planned, start, *monthly = item
        if year is None:
            continue
        plans[int(year)] = PlanFacts(_num(planned), start,
                                     tuple(_num(v) for v in monthly) if any(v is not None for v in monthly) else ())
    rows = {}
    for month, ytd, month_wan, since_start, actual_start, text in row["rows"] or ():
        rows[month[:7]] = RowFacts(_num(ytd), _num(month_wan), _num(since_start), actual_start, text)
    return History(row["id"], row["name"], row["status"], plans, rows, row["earlier_start"],
                   bool(row["earlier_done"]))


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def loaded_months(backend: Backend) -> list[str]:
    """Every month ('YYYY-MM') for which the graph holds progress rows."""
    return [row["month"][:7] for row in backend.read(LOADED_MONTHS) if row["month"]]


__all__ = ["loaded_months", "month_date", "read_histories"]

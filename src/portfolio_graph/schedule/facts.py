"""What the graph holds for the lights: each project's year plans and monthly rows, read by id.

One query text for both engines; the schedule, trend and goals-at-risk steps all read through it.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..graph import Backend
from .lights import NOT_YET, History, PlanFacts, RowFacts, says_done
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
     max(CASE WHEN r.month < $first AND any(w IN $done_words WHERE r.progress_text CONTAINS w)
                   AND NOT any(n IN $not_yet WHERE r.progress_text CONTAINS n) THEN 1 ELSE 0 END)
       AS earlier_done
RETURN p.id AS id, p.name AS name, p.status AS status, plans AS plans, rows AS rows,
       earlier_start AS earlier_start, earlier_done AS earlier_done
"""

LOADED_MONTHS = "MATCH (r:Progress) RETURN DISTINCT r.month AS month ORDER BY month"
# One probe of the month index per month: whether the graph holds any report of it.
HAS_MONTH = "MATCH (r:Progress {month: $month}) RETURN r.month AS month LIMIT 1"


def read_histories(backend: Backend, ids: Iterable[str], first: str, last: str,
                   profile: Profile) -> dict[str, History]:
    """Histories of the projects, holding every plan and the rows of months first..last
    ('YYYY-MM', inclusive); what came before is summed up in ``earlier_start``/``earlier_done``."""
    wanted = sorted(set(ids))
    found: dict[str, History] = {}
    params: dict[str, Any] = {"first": f"{first}-01", "last": f"{last}-01", "done_words": list(profile.done_words),
                              # Stricter than says_done (the whole text, not each clause): an older
                              # report that says 未竣工 anywhere does not count as done.
                              "not_yet": list(NOT_YET)}
    for start in range(0, len(wanted), CHUNK):
        for row in backend.read(FACTS, {**params, "ids": wanted[start:start + CHUNK]}):
            found[row["id"]] = _history(row)
    return found


PROJECTS = "UNWIND $ids AS pid MATCH (p:Project {id: pid}) RETURN p.id AS id, p.name AS name, p.status AS status"
PLANS_BY_KEY = f"""
UNWIND $keys AS k MATCH (q:Plan {{id: k}})-[:PLAN_OF]->(p:Project)
RETURN p.id AS pid, p.name AS name, p.status AS status, q.year AS year, q.planned_wan AS planned,
       q.planned_start AS start, [{_MONTHS}] AS monthly
"""
ROWS_BY_KEY = """
UNWIND $keys AS k MATCH (r:Progress {id: k})
RETURN r.project_id AS pid, r.month AS month, r.ytd_wan AS ytd, r.actual_start AS actual_start,
       r.progress_text AS text
"""
EARLIER = """
UNWIND $ids AS pid
MATCH (p:Project {id: pid})
OPTIONAL MATCH (r:Progress)-[:PROGRESS_OF]->(p)
WITH p, r WHERE r.month < $first
RETURN p.id AS id, min(r.actual_start) AS earlier_start, max(r.month) AS latest
"""
LATEST_TEXT = "UNWIND $keys AS k MATCH (r:Progress {id: k}) RETURN r.project_id AS pid, r.progress_text AS text"


def read_window(backend: Backend, ids: Iterable[str], months: list[str], profile: Profile) -> dict[str, History]:
    """The same histories for a few months ('YYYY-MM'), read through the key indexes: the plans of
    those months' years and the rows of those months. Rows from before are read only for the
    projects a rule still needs them for: not started in those rows (the start rule), or without
    a row in them (the latest earlier report's 形象进度)."""
    wanted = sorted(set(ids))
    found: dict[str, History] = {}
    years = sorted({m[:4] for m in months})
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        plan_keys = [f"{pid}@{y}" for pid in chunk for y in years]
        for row in backend.read(PLANS_BY_KEY, {"keys": plan_keys}):
            history = found.setdefault(row["pid"], History(row["pid"], row["name"], row["status"]))
            monthly = tuple(_num(v) for v in row["monthly"])
            history.plans[int(row["year"])] = PlanFacts(
                _num(row["planned"]), row["start"], monthly if any(v is not None for v in monthly) else ())
        planless = [pid for pid in chunk if pid not in found]  # the plan query named the others
        for row in backend.read(PROJECTS, {"ids": planless}) if planless else ():
            found[row["id"]] = History(row["id"], row["name"], row["status"])
        row_keys = [f"{pid}@{m}" for pid in chunk for m in months]
        for row in backend.read(ROWS_BY_KEY, {"keys": row_keys}):
            if row["pid"] in found:
                found[row["pid"]].rows[row["month"][:7]] = RowFacts(
                    _num(row["ytd"]), actual_start=row["actual_start"], progress_text=row["text"])
    pending = [pid for pid, h in found.items()
               if not h.rows or not any(r.actual_start for r in h.rows.values())]
    first = f"{min(months)}-01"
    latest: dict[str, str] = {}
    for start in range(0, len(pending), CHUNK):
        for row in backend.read(EARLIER, {"ids": pending[start:start + CHUNK], "first": first}):
            found[row["id"]].earlier_start = row["earlier_start"]
            if row["latest"] and not found[row["id"]].rows:
                latest[f"{row['id']}@{row['latest'][:7]}"] = row["id"]
    if latest:
        for row in backend.read(LATEST_TEXT, {"keys": sorted(latest)}):
            text = row["text"] or ""
            found[row["pid"]].earlier_done = says_done(text, profile.done_words)
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
    """Every month ('YYYY-MM') for which the graph holds progress rows (reads every row: use
    ``months_present`` for the few months a light needs)."""
    return [row["month"][:7] for row in backend.read(LOADED_MONTHS) if row["month"]]


def months_present(backend: Backend, months: Iterable[str]) -> set[str]:
    """Which of these months ('YYYY-MM') the graph holds progress rows for, by index probes."""
    return {m for m in sorted(set(months)) if backend.read(HAS_MONTH, {"month": f"{m}-01"})}


__all__ = ["loaded_months", "month_date", "months_present", "read_histories", "read_window"]

"""The Python steps of the schedule, trend and goals-at-risk report files.

A report file names its step in its header (``compute: schedule``); the runner gives the step the
checked parameters before the query (``prepare``: parameters the query needs, derived from them)
and the rows after it (``finish``: the rows the report declares). Lights are computed here, on
every run, from what the graph holds; nothing is stored.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from ..errors import InputError
from ..graph import Backend
from .assess import assess_months, lights_for
from .lights import LIGHTS, NO_DATA, Assessment
from ..reports.errors import ParameterError
from .months import MonthError, month_text, parse_month
from .profiles import Profile, ProfileError, get_profile
from .rollup import roll_up

_ORDER = {light: index for index, light in enumerate(LIGHTS)}


@contextmanager
def _parameter(name: str) -> Iterator[None]:
    """A month or profile that cannot be read is an error of the report parameter that gave it."""
    try:
        yield
    except (MonthError, ProfileError) as exc:
        raise ParameterError(f"parameter {name!r}: {exc}") from None


def _month_param(params: dict[str, Any]) -> tuple[int, int]:
    with _parameter("as_of"):
        return parse_month(params["as_of"])


def _profile_param(params: dict[str, Any]) -> Profile:
    with _parameter("profile"):
        return get_profile(params.get("profile"))


def _r1(value: float | None) -> float | None:
    return None if value is None else round(10.0 * value) / 10.0


def _figures(a: Assessment) -> dict[str, Any]:
    return {"planned_wan": a.planned_wan, "completed_wan": a.completed_wan, "progress_pct": _r1(a.progress_pct),
            "schedule_pct": _r1(a.schedule_pct), "gap": _r1(a.gap), "light": a.light, "reason": a.reason}


# -- schedule ---------------------------------------------------------------------------------

def schedule_prepare(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    _profile_param(params)  # a bad profile fails before the query
    if params.get("as_of") is None:  # the latest month loaded; none loaded: no rows
        from .facts import loaded_months

        months = loaded_months(backend)
        if not months:
            return {"plan_year": None, "as_of": None}
        params = {**params, "as_of": months[-1]}
    year, month = _month_param(params)
    return {"plan_year": year, "as_of": month_text(year, month)}


def schedule_finish(backend: Backend, rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    if params["as_of"] is None:
        return []
    found = lights_for(backend, [r["project_id"] for r in rows], params["as_of"], params.get("profile"),
                       lenient=bool(params.get("lenient")))
    projects = []
    for row in rows:
        a = found.assessments[row["project_id"]]
        warnings = [w.text() for w in found.warnings.get(row["project_id"], [])]
        projects.append({"dimension": "project", "group": None, **row, "as_of": found.month, **_figures(a),
                         "inherited": warnings, "profile": found.profile.name, **_no_counts()})
    wanted = params.get("light")
    shown = [p for p in projects if wanted is None or p["light"] == wanted]
    shown.sort(key=lambda p: (_ORDER[p["light"]], -(p["gap"] if p["gap"] is not None else -1e9), p["project_id"]))
    by = params.get("by") or "project"
    groups: list[dict[str, Any]] = [_group("total", "全部", [found.assessments[p["project_id"]] for p in shown],
                                           found.month, found.profile.name)]
    for dimension, key in (("area", "areas"), ("level", "level")):
        if by not in (dimension, "all"):
            continue
        members: dict[str, list[Assessment]] = {}
        for p in shown:
            names = p[key] if isinstance(p[key], list) else [p[key]]
            for name in names or [None]:
                members.setdefault(name or "(未注明)", []).append(found.assessments[p["project_id"]])
        groups += [_group(dimension, name, items, found.month, found.profile.name)
                   for name, items in sorted(members.items())]
    return (shown if by == "project" else []) + groups


def _no_counts() -> dict[str, Any]:
    return {"projects": None, "red": None, "yellow": None, "green": None, "no_data": None, "red_pct": None,
            "red_invest_pct": None}


def _group(dimension: str, name: str, items: list[Assessment], month: str, profile: str) -> dict[str, Any]:
    rolled = roll_up(items)
    gap = None if rolled["schedule_pct"] is None or rolled["completed_pct"] is None else \
        _r1(rolled["schedule_pct"] - rolled["completed_pct"])
    return {"dimension": dimension, "group": name, "project_id": None, "project": None, "level": None,
            "areas": None, "as_of": month, "planned_wan": rolled["planned_wan"],
            "completed_wan": rolled["completed_wan"], "progress_pct": rolled["completed_pct"],
            "schedule_pct": rolled["schedule_pct"], "gap": gap, "light": None, "reason": None,
            "inherited": None, "profile": profile,
            **{k: rolled[k] for k in ("projects", "red", "yellow", "green", "no_data", "red_pct", "red_invest_pct")}}


# -- trend ------------------------------------------------------------------------------------

def trend_prepare(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    if (params.get("project") is None) == (params.get("goal") is None):
        raise InputError("trend: give one of -p project=… or -p goal=…")
    _profile_param(params)
    return {}


def trend_finish(backend: Backend, rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    ids = [r["project_id"] for r in rows]
    by_month = assess_months(backend, ids, None, params.get("profile"))
    if params.get("year") is not None:
        by_month = {m: found for m, found in by_month.items() if m.startswith(f"{params['year']:04d}-")}
    names = {r["project_id"]: r["project"] for r in rows}
    profile = get_profile(params.get("profile")).name
    out = []
    for month, found in by_month.items():
        items = [found[pid] for pid in ids if pid in found]
        if params.get("project") is not None:
            a = items[0] if items else Assessment(month, NO_DATA, NO_DATA, ["无数据"])
            out.append({"month": month, "subject": names.get(ids[0]) if ids else None, **_figures(a),
                        "profile": profile, **_no_counts(), "projects": 1})
            continue
        rolled = roll_up(items)
        gap = None if rolled["schedule_pct"] is None or rolled["completed_pct"] is None else \
            _r1(rolled["schedule_pct"] - rolled["completed_pct"])
        out.append({"month": month, "subject": rows[0]["goal"] if rows else None,
                    "planned_wan": rolled["planned_wan"], "completed_wan": rolled["completed_wan"],
                    "progress_pct": rolled["completed_pct"], "schedule_pct": rolled["schedule_pct"], "gap": gap,
                    "light": None, "reason": None, "profile": profile,
                    **{k: rolled[k] for k in ("projects", "red", "yellow", "green", "no_data", "red_pct",
                                              "red_invest_pct")}})
    return out


# -- goals-at-risk as_of ----------------------------------------------------------------------

GOAL_COLUMNS = ("as_of", "red", "yellow", "green", "no_data", "red_pct", "red_invest_pct", "planned_wan",
                "completed_wan", "completed_pct", "schedule_pct", "inherited_warnings")


def goals_prepare(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    _profile_param(params)  # refused even without as_of: a misspelt profile should not pass silently
    if params.get("as_of") is None:
        return {}
    year, month = _month_param(params)
    return {"as_of": month_text(year, month)}


def goals_finish(backend: Backend, rows: list[dict[str, Any]], params: dict[str, Any]) -> list[dict[str, Any]]:
    as_of = params.get("as_of")
    if as_of is None:
        return [{**row, **{c: None for c in GOAL_COLUMNS}} for row in rows]
    ids = sorted({pid for row in rows for pid in row["project_ids"]})
    found = lights_for(backend, ids, as_of, params.get("profile"), lenient=bool(params.get("lenient")))
    out = []
    threshold = params.get("threshold", 0.5)
    for row in rows:
        items = [found.assessments[pid] for pid in row["project_ids"] if pid in found.assessments]
        names = {pid: name for pid, name in zip(row["project_ids"], row["projects"])} if \
            len(row["project_ids"]) == len(row["projects"]) else {}
        rolled = roll_up(items)
        at_risk = sorted(found.histories[pid].name for pid in row["project_ids"]
                         if pid in found.assessments and found.assessments[pid].light in ("红", "黄"))
        risk = row["risk"]
        if risk not in ("无支撑", "无项目", "仅企业"):
            share = len(at_risk) / len(items) if items else 0.0
            risk = "无数据" if items and rolled["no_data"] == len(items) else (
                "高" if items and share >= threshold else "中" if at_risk else "低")
        inherited = sorted(f"{names.get(pid) or found.histories[pid].name}: {w.text()}"
                           for pid in row["project_ids"] if pid in found.histories
                           for w in found.warnings.get(pid, []))
        out.append({**row, "at_risk_projects": at_risk,
                    "at_risk_pct": round(1000.0 * len(at_risk) / len(items)) / 10.0 if items else None,
                    "risk": risk, "as_of": found.month,
                    **{k: rolled[k] for k in ("red", "yellow", "green", "no_data", "red_pct", "red_invest_pct",
                                              "planned_wan", "completed_wan", "completed_pct", "schedule_pct")},
                    "inherited_warnings": inherited})
    if params.get("at_risk_only"):
        out = [r for r in out if r["risk"] in ("无支撑", "高")]
    return out


Step = tuple[Callable[[Backend, dict[str, Any]], dict[str, Any]],
             Callable[[Backend, list[dict[str, Any]], dict[str, Any]], list[dict[str, Any]]]]
STEPS: dict[str, Step] = {
    "schedule": (schedule_prepare, schedule_finish),
    "trend": (trend_prepare, trend_finish),
    "goals-at-risk": (goals_prepare, goals_finish),
}

__all__ = ["STEPS"]

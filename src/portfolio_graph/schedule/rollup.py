"""Roll-up of lights over a set of projects (a goal, an area, a level): counts per light,
Σ completed ÷ Σ planned against the planned-weighted 序时, and the share of red projects by count
and by planned investment."""

from __future__ import annotations

from typing import Any, Iterable

from .lights import GREEN, NO_DATA, RED, YELLOW, Assessment


def _pct(part: float, whole: float) -> float | None:
    return round(1000.0 * part / whole) / 10.0 if whole else None


def roll_up(assessments: Iterable[Assessment]) -> dict[str, Any]:
    items = list(assessments)
    counts = {light: sum(1 for a in items if a.light == light) for light in (RED, YELLOW, GREEN, NO_DATA)}
    compared = [a for a in items if a.planned_wan and a.completed_wan is not None and a.schedule_pct is not None]
    planned = sum(a.planned_wan or 0.0 for a in compared)
    completed = sum(a.completed_wan or 0.0 for a in compared)
    weighted = sum((a.schedule_pct or 0.0) * (a.planned_wan or 0.0) for a in compared)
    all_planned = sum(a.planned_wan or 0.0 for a in items if a.planned_wan)
    red_planned = sum(a.planned_wan or 0.0 for a in items if a.light == RED and a.planned_wan)
    return {
        "projects": len(items), "red": counts[RED], "yellow": counts[YELLOW], "green": counts[GREEN],
        "no_data": counts[NO_DATA],
        "planned_wan": round(planned, 2) if compared else None,
        "completed_wan": round(completed, 2) if compared else None,
        "completed_pct": _pct(completed, planned),
        "schedule_pct": round(10.0 * weighted / planned) / 10.0 if planned else None,
        "red_pct": _pct(counts[RED], len(items)),
        "red_invest_pct": _pct(red_planned, all_planned),
    }


__all__ = ["roll_up"]

"""Months: how long a project takes, and date arithmetic in months.

A project's planned duration is, in this order:

1. ``duration_months`` where the data gives it;
2. derived from ``start`` → ``planned_end`` (days / 30.4375, one decimal);
3. otherwise unknown: the caller's assumption (0 months unless told otherwise) is used, and
   every analysis that does this lists the project and the assumed value.

Parcels and policies in the dependency network are readiness milestones: 0 months.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

DAYS_PER_MONTH = 365.25 / 12

SOURCE_FIELD = "duration_months"
SOURCE_DATES = "start→planned_end"
SOURCE_ASSUMED = "assumed"
SOURCE_MILESTONE = "milestone"


@dataclass(frozen=True)
class Duration:
    months: float
    source: str  # one of the SOURCE_* values
    note: str = ""

    @property
    def assumed(self) -> bool:
        return self.source == SOURCE_ASSUMED


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def months_between(start: dt.date, end: dt.date) -> float:
    return round((end - start).days / DAYS_PER_MONTH, 1)


def add_months(day: dt.date, months: float) -> dt.date:
    """Calendar months for the whole part (clamped to the month's last day), days for the rest."""
    whole = int(months)
    index = day.month - 1 + whole
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    # A month-end stays a month-end: 2023-12-31 + 6 months is 2024-06-30.
    is_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    moved = dt.date(year, month, last if is_month_end else min(day.day, last))
    return moved + dt.timedelta(days=round((months - whole) * DAYS_PER_MONTH))


def tidy(value: float) -> float | int:
    """Whole numbers as ints, others to one decimal: months read the same on every engine."""
    value = round(float(value), 1)
    return int(value) if value.is_integer() else value


def duration_of(data: dict[str, Any], assume_months: float = 0) -> Duration:
    """The planned duration of a node in the dependency network; see the module docstring."""
    if data.get("label") != "Project":
        return Duration(0, SOURCE_MILESTONE, f"{data.get('label')}: a readiness milestone, 0 months")
    value = data.get("duration_months")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return Duration(float(value), SOURCE_FIELD)
    start, end = parse_date(data.get("start")), parse_date(data.get("planned_end"))
    if start and end and end >= start:
        return Duration(months_between(start, end), SOURCE_DATES, f"{start} → {end}")
    missing = "no duration_months, start or planned_end" if not (start or end) else (
        "no duration_months, and only one of start/planned_end" if not (start and end)
        else "planned_end before start"
    )
    return Duration(float(assume_months), SOURCE_ASSUMED, f"{missing}; assumed {tidy(assume_months)} months")

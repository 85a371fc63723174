"""Lights for a set of projects and a month: the one code path the reports and the Python API share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..graph import Backend
from .facts import loaded_months, read_histories
from .inherited import Warning, waiting_on, warnings_for
from .lights import Assessment, History, assess
from .months import month_text, parse_month, shift
from .profiles import Profile, get_profile


class NoDataForMonth(ValueError):
    pass


@dataclass
class Lights:
    month: str
    profile: Profile
    histories: dict[str, History]
    assessments: dict[str, Assessment]
    warnings: dict[str, list[Warning]]
    loaded: list[str]


def lights_for(backend: Backend, ids: Iterable[str], as_of: str, profile: Profile | str | None = None,
               *, lenient: bool = False, with_warnings: bool = True) -> Lights:
    """Each project's light for ``as_of`` ('2023-05'), and the warnings it inherits."""
    from ..errors import InputError

    chosen = get_profile(profile)
    year, number = parse_month(as_of)
    month = month_text(year, number)
    loaded = loaded_months(backend)
    if month not in loaded:
        shown = f"{loaded[0]} … {loaded[-1]}" if loaded else "none"
        raise InputError(f"as_of {month}: the graph holds no progress reports for this month "
                         f"(months loaded: {shown}); load the month's 进度 report first")
    first = month_text(*shift(year, number, -(chosen.window - 1)))
    wanted = sorted(set(ids))
    histories = read_histories(backend, wanted, first, month, chosen)
    found = {pid: assess(h, month, chosen, set(loaded)) for pid, h in histories.items()}
    warnings: dict[str, list[Warning]] = {}
    if with_warnings and wanted:
        paths = waiting_on(backend, wanted, lenient)
        others = sorted({r["target"] for r in paths if not r["parcel"]} - set(found))
        if others:
            extra = read_histories(backend, others, first, month, chosen)
            found_extra = {pid: assess(h, month, chosen, set(loaded)) for pid, h in extra.items()}
        else:
            found_extra = {}

        def light_of(pid: str) -> str | None:
            hit = found.get(pid) or found_extra.get(pid)
            return hit.light if hit else None

        warnings = warnings_for(paths, light_of)
    return Lights(month, chosen, histories, found, warnings, loaded)





def assess_months(backend: Backend, ids: Iterable[str], months: list[str],
                  profile: Profile | str | None = None) -> dict[str, dict[str, Assessment]]:
    """{month: {project id: its light}} for several months, from one read of the histories."""
    chosen = get_profile(profile)
    if not months:
        return {}
    ordered = sorted(months)
    first = month_text(*shift(*parse_month(ordered[0]), -(chosen.window - 1)))
    histories = read_histories(backend, ids, first, ordered[-1], chosen)
    loaded = set(loaded_months(backend))
    return {m: {pid: assess(h, m, chosen, loaded) for pid, h in histories.items()} for m in ordered}
__all__ = ["Lights", "assess_months", "lights_for"]

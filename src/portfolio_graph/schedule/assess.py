"""Lights for a set of projects and a month: the one code path the reports and the Python API share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..graph import Backend
from .facts import loaded_months, months_present, read_histories, read_window
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
    window = [month_text(*shift(year, number, -k)) for k in range(chosen.window)]
    loaded = months_present(backend, window)
    if month not in loaded:
        every = loaded_months(backend)  # only on this error path: it reads every report
        shown = f"{every[0]} … {every[-1]}" if every else "none"
        raise InputError(f"as_of {month}: the graph holds no progress reports for this month "
                         f"(months loaded: {shown}); load the month's 进度 report first")
    wanted = sorted(set(ids))
    paths = waiting_on(backend, wanted, lenient) if with_warnings and wanted else []
    # The prerequisites' lights come from the same read as the projects' own.
    others = {r["target"] for r in paths if not r["parcel"]} - set(wanted)
    histories = read_window(backend, wanted + sorted(others), window, chosen)
    found = {pid: assess(h, month, chosen, loaded) for pid, h in histories.items()}

    def light_of(pid: str) -> str | None:
        hit = found.get(pid)
        return hit.light if hit else None

    warnings = warnings_for(paths, light_of) if paths else {}
    own = set(wanted)
    return Lights(month, chosen, {k: v for k, v in histories.items() if k in own},
                  {k: v for k, v in found.items() if k in own}, warnings, sorted(loaded))


def assess_months(backend: Backend, ids: Iterable[str], months: list[str] | None,
                  profile: Profile | str | None = None) -> dict[str, dict[str, Assessment]]:
    """{month: {project id: its light}} from one read of the histories; ``months`` None: every
    month any of the projects has a report for."""
    chosen = get_profile(profile)
    histories = read_histories(backend, ids, "0000-01", "9999-12", chosen)
    if months is None:
        months = sorted({m for h in histories.values() for m in h.rows})
    if not months:
        return {}
    ordered = sorted(months)
    candidates = {month_text(*shift(*parse_month(m), -k)) for m in ordered for k in range(chosen.window)}
    loaded = months_present(backend, candidates)
    return {m: {pid: assess(h, m, chosen, loaded) for pid, h in histories.items()} for m in ordered}


__all__ = ["Lights", "assess_months", "lights_for"]

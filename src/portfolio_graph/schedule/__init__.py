"""The monthly 调度: 序时进度, 红黄绿灯 lights by rule profiles, roll-ups, trends and changes.

    from portfolio_graph.schedule import lights_for
    found = lights_for(pf.backend, ["P-01"], "2023-05")          # default profile
    found.assessments["P-01"].light, found.assessments["P-01"].reason

Modules: ``months`` (month text and arithmetic), ``profiles`` (YAML rule profiles, built-in in
``profiles/``), ``lights`` (one project, one month: pure), ``facts`` (the graph read), ``assess``
(lights for many projects), ``inherited`` (warnings from prerequisites and parcels), ``rollup``,
``steps`` (the report steps), ``changes`` (field-level change records), ``synthetic`` (test data).
"""

from __future__ import annotations

from .assess import Lights, assess_months, lights_for
from .lights import GREEN, LIGHTS, NO_DATA, RED, YELLOW, Assessment
from .profiles import Profile, ProfileError, get_profile, list_profiles

__all__ = ["Assessment", "GREEN", "LIGHTS", "Lights", "NO_DATA", "Profile", "ProfileError", "RED", "YELLOW",
           "assess_months", "get_profile", "lights_for", "list_profiles"]

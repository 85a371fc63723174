"""Gather everything the page shows into one dict of plain values (the page's embedded data).

Every section comes from the report files where one answers its question (chain-completeness,
goal-tracker, goals-at-risk, investment-rollup and, once loaded, schedule), so the page and the
reports agree; the node and link tables add the names, links and provenance the reports leave out.
Parameters such as ``as_of`` go to every report that declares them.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..errors import InputError
from ..i18n import _
from ..reports import get_report, run_report
from ..reports.registry import UnknownReport
from .chains import chain_maps
from .goals import goal_rows, overview
from .nodes import NodeTable
from .projects import dependency_links, project_list

RISK_ORDER = {"无支撑": 0, "高": 1, "中": 2, "无数据": 3, "仅企业": 4, "无项目": 5, "低": 6}  # goals that need a look first
LIGHT_COLUMNS = ("light", "lamp", "signal")
LIGHT_ID_COLUMNS = ("project_id", "id")


class Reports:
    """Runs the page's reports with the parameters each declares; remembers which were used."""

    def __init__(self, portfolio: Any, params: dict[str, Any], lenient: bool, reports_dir: Any = None):
        self.portfolio, self.params, self.lenient, self.reports_dir = portfolio, dict(params), lenient, reports_dir
        self.used: dict[str, dict[str, Any]] = {}
        self.taken: set[str] = set()

    def available(self, name: str) -> bool:
        try:
            get_report(name, self.reports_dir)
        except UnknownReport:
            return False
        return True

    def run(self, name: str, lenient: bool | None = None, **fixed: Any) -> list[dict[str, Any]]:
        spec = get_report(name, self.reports_dir)
        declared = {p.name for p in spec.params}
        given = {k: v for k, v in self.params.items() if k in declared and k not in fixed}
        self.taken.update(given)
        values = {**given, **fixed, "lenient": self.lenient if lenient is None else lenient}
        result = run_report(self.portfolio.backend, spec, values)
        # The page's own run is recorded; a second, strict run for the headline does not replace it.
        self.used.setdefault(name, {k: v for k, v in result.params.items() if v is not None})
        return result.rows

    def check_all_taken(self) -> None:
        unknown = sorted(set(self.params) - self.taken)
        if unknown:
            takers = sorted({p.name for name in self.used for p in get_report(name, self.reports_dir).params} - {"lenient"})
            raise InputError(_("no report on the dashboard takes the parameter {names}; parameters the page's "
                               "reports ({reports}) declare: {takers}").format(
                names=", ".join(map(repr, unknown)), reports=", ".join(self.used), takers=", ".join(takers)))


def schedule_lights(reports: Reports) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Project id → {light, reason} from the schedule report, and what the page says about them."""
    if not reports.available("schedule"):
        return {}, {"source": "status", "note": "未加载调度数据：显示建设状态 / no schedule loaded: status words shown"}
    rows = reports.run("schedule")
    if not rows:
        return {}, {"source": "status", "note": "未加载调度数据（调度报告无数据）：显示建设状态 / no schedule loaded (the schedule report has no rows): status words shown"}
    columns = set(rows[0])
    light_col = next((c for c in LIGHT_COLUMNS if c in columns), None)
    id_col = next((c for c in LIGHT_ID_COLUMNS if c in columns), None)
    if light_col is None or id_col is None:
        return {}, {"source": "status", "note": "调度报告缺少灯号列：显示建设状态 / the schedule report gives no light: status words shown"}
    reason_col = next((c for c in ("reason", "light_reason", "why") if c in columns), None)
    project_rows = [r for r in rows if r.get(id_col) is not None and r.get("dimension", "project") == "project"]
    lights = {str(r[id_col]): {"light": r.get(light_col), "reason": r.get(reason_col) if reason_col else None,
                               "inherited": r.get("inherited") or []}
              for r in project_rows if r.get(light_col)}
    as_of = reports.used["schedule"].get("as_of") or next((r.get("as_of") for r in project_rows if r.get("as_of")), None)
    return lights, {"source": "schedule", "as_of": as_of, "profile": next((r.get("profile") for r in project_rows), None),
                    "note": "调度红黄绿灯 / schedule lights"}


def gather(portfolio: Any, *, params: dict[str, Any] | None = None, lenient: bool = False,
           reports_dir: Any = None) -> dict[str, Any]:
    """The page's data: plain dicts and lists, ready for JSON."""
    reports = Reports(portfolio, params or {}, lenient, reports_dir)
    table = NodeTable(portfolio.backend)
    backend = portfolio.backend
    chain_rows = reports.run("chain-completeness")
    templated = any(chain.get("template") for chain in table.all("Chain").values())
    template_rows = reports.run("chain-completeness", view="template") if templated else []
    chains = chain_maps(backend, table, chain_rows, template_rows, lenient)
    goal_nodes = list(table.all("Goal").values())
    risks = reports.run("goals-at-risk")
    goals = goal_rows(table, goal_nodes, reports.run("goal-tracker"), risks)
    goals.sort(key=lambda g: (RISK_ORDER.get(g.get("rk"), 9), g.get("yr") or 9999))
    # The headline names goals nothing is *stated* to support, as the demo does, on a lenient page too.
    strict_risks = reports.run("goals-at-risk", lenient=False) if lenient else risks
    lights, light_meta = schedule_lights(reports)
    projects = project_list(backend, table, lenient, lights)
    links, states = dependency_links(backend, table, lenient)
    rollup = reports.run("investment-rollup", by=None)
    reports.check_all_taken()
    summary = overview(portfolio.stats(), rollup, chain_rows, goals, strict_risks, template_rows)
    return {
        "meta": {"generated": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 "engine": backend.name, "lenient": lenient, "params": {k: str(v) for k, v in (params or {}).items()},
                 "reports": reports.used, "lights": light_meta,
                 "chain_view": "template" if template_rows else "district"},
        "strings": table.strings, "nodes": table.rows, "overview": summary, "chains": chains,
        "goals": goals, "projects": projects, "links": links,
        "states": {str(k): v for k, v in states.items()},
    }


"""The headline answers on the 东城 sample: what ``portfolio-graph demo`` shows, as DataFrames.

The demo counts inferred links (lenient): the report states 利扬芯片 is the chain's 链主 but only
implies its segment, and a planner expects to see it there. Every table still carries the strict
count beside the lenient one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .i18n import _
from .portfolio import Portfolio
from .replace_guard import check_replaceable, mark_demo
from .reports import get_report, run_report
from .sample import load_sample, load_schedule_sample


@dataclass
class DemoSection:
    title: str
    rows: list[dict[str, Any]]
    columns: list[str]
    note: str = ""
    report: str = ""  # the report the rows come from: its column titles head the table

    def frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=self.columns)


@dataclass
class DemoResult:
    load_summary: dict[str, Any]
    stats: dict[str, dict[str, int]]
    sections: list[DemoSection] = field(default_factory=list)


def _report(portfolio: Portfolio, name: str, columns: list[str], lenient: bool = True, **params: Any) -> list[dict[str, Any]]:
    result = run_report(portfolio.backend, get_report(name), {"lenient": lenient, **params})
    return [{c: row.get(c) for c in columns} for row in result.rows]


# The chains the demo compares with their templates (chain apply runs on every chain a template covers).
TEMPLATE_CHAINS = ("芯片封装检测", "储能电池")


def _chain_templates(portfolio: Portfolio) -> list[DemoSection]:
    """Apply the built-in chain templates to the sample's chains and show two against theirs."""
    from .chains.apply import apply_covered
    from .chains.registry import load_templates

    applied = {r.chain: r.template for r in apply_covered(portfolio.backend, load_templates())}
    columns = ["chain", "position", "stream", "template_segment", "segment", "enterprises", "status",
               "coverage_strict_pct", "coverage_lenient_pct"]
    return [DemoSection(_("{chain} against the template {template} (延链 = a template segment the district does "
                          "not name)").format(chain=chain, template=applied[chain]),
                        _report(portfolio, "chain-completeness", columns, view="template", chain=chain), columns,
                        _("portfolio-graph chain apply adds the template's segments (source=template); coverage "
                          "strict counts stated and reviewed links, lenient matched ones too."),
                        report="chain-completeness")
            for chain in TEMPLATE_CHAINS if chain in applied]


def run_demo(portfolio: Portfolio, *, replace: bool = False) -> DemoResult:
    """Load the sample and compute the headline answers.

    The graph must be empty or hold only an earlier demo; anything else raises ``GraphNotEmpty``
    unless ``replace`` (see ``replace_guard``). The demo marks the graph it leaves, so the next
    demo replaces it without asking.
    """
    check_replaceable(portfolio.backend, replace=replace, action="the demo", allow_demo=True,
                      how="run `portfolio-graph demo` without --db/--uri: it then uses a database of its own")
    loaded = load_sample(portfolio.backend, replace=True)
    stats = portfolio.stats()  # the sample as loaded, before chain apply adds template segments
    template_sections = _chain_templates(portfolio)
    load_schedule_sample(portfolio.backend)  # synthetic, marked so: the report states no monthly figures
    chain_columns = ["chain", "anchor", "position", "segment", "enterprises", "stated_count", "lenient_count",
                     "status", "coverage_pct"]
    goal_columns = ["goal", "year", "target_value", "unit", "contributors", "project_count", "at_risk_pct", "risk"]
    goals = _report(portfolio, "goals-at-risk", goal_columns)
    # Leniently every goal of the sample has a contributor; strictly some rest on inferences only,
    # and those are the ones a planner should look at.
    strict_goals = _report(portfolio, "goals-at-risk", goal_columns, lenient=False)
    unsupported = [row for row in strict_goals if row["risk"] == "无支撑"]
    profile_sections = _profile_sections(portfolio)
    schedule_sections = _schedule_sections(portfolio)
    mark_demo(portfolio.backend)  # last: every write the demo makes comes before its mark
    return DemoResult(
        load_summary=loaded.summary(),
        stats=stats,
        sections=[
            DemoSection(_("Chain completeness (补链 = gap, 强链 = one enterprise only)"),
                        _report(portfolio, "chain-completeness", chain_columns), chain_columns,
                        _("The stated count counts only links the report states; the count incl. inferred adds "
                          "inferred ones."), report="chain-completeness"),
            DemoSection(_("Goals and what contributes to each"),
                        [row for row in goals if row["risk"] != "无支撑"], goal_columns, report="goals-at-risk"),
            DemoSection(_("Goals that nothing is stated to contribute to"), unsupported,
                        ["goal", "year", "target_value", "unit"],
                        _("Strict: only links the report states count; these goals rest on inferred links alone."),
                        report="goals-at-risk"),
            *template_sections,
            *profile_sections,
            *schedule_sections,
        ],
    )


DEMO_MONTH = "2023-05"
DEMO_AREA = "黄旗南片区"


def _profile_sections(portfolio: Portfolio) -> list[DemoSection]:
    """One area's profile and what supports each goal, by kind: the questions a planner asks of a place
    and of the targets (strict, so each row is a fact the report states)."""
    area_columns = ["section", "item", "kind", "detail", "path"]
    coverage_columns = ["goal", "year", "support", "gap_chains", "project_count", "enterprise_count", "policy_count",
                        "chains"]
    return [
        DemoSection(_("Area profile: {area}").format(area=DEMO_AREA),
                    _report(portfolio, "area-profile", area_columns, lenient=False, area=DEMO_AREA), area_columns,
                    _("Its projects and parcels, the programmes that cover it or that it takes part in, and the goals "
                      "they feed; `report run area-profile -p area=NAME --with-sources` adds where the report says so."),
                    report="area-profile"),
        DemoSection(_("What supports each goal (industries without members first)"),
                    _report(portfolio, "goal-coverage", coverage_columns, lenient=False), coverage_columns,
                    _("Enterprises count directly or as members of a contributing chain; 产业链无成员 marks a target "
                      "whose industry has no member enterprise or project."),
                    report="goal-coverage"),
    ]


def _schedule_sections(portfolio: Portfolio) -> list[DemoSection]:
    """The lights of one month and the goals they put at risk, on the synthetic schedule."""
    light_columns = ["project", "planned_wan", "completed_wan", "schedule_pct", "gap", "light", "reason", "inherited"]
    lights = [row for row in _report(portfolio, "schedule", ["dimension", *light_columns], as_of=DEMO_MONTH)
              if row.pop("dimension") == "project" and row["light"] in ("红", "黄")]
    goal_columns = ["goal", "project_count", "red", "yellow", "green", "completed_pct", "schedule_pct", "red_pct",
                    "red_invest_pct", "risk", "at_risk_projects", "inherited_warnings"]
    goals = [row for row in _report(portfolio, "goals-at-risk", goal_columns, as_of=DEMO_MONTH, year=2023)
             if row["risk"] in ("高", "中")]
    synthetic = _("Synthetic figures (data/dongcheng/synthetic, not from the report); default rule profile.")
    return [
        DemoSection(_("Projects behind schedule, {month}").format(month=DEMO_MONTH), lights, light_columns, synthetic,
                    report="schedule"),
        DemoSection(_("2023 goals their lights put at risk, {month}").format(month=DEMO_MONTH), goals, goal_columns,
                    _("Risk from the projects' lights: red and yellow count as at risk; inherited warnings are "
                      "red/yellow prerequisites and unready parcels."), report="goals-at-risk"),
    ]

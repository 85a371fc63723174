"""红黄绿灯: one project's light for one month under a rule profile. Pure: facts in, a light out.

Gaps are rounded to 9 decimals before they meet a threshold, so a gap of exactly 10 points (480
of 1200 planned at mid-year) is 10, not 9.999999999999998, and the boundaries fall where the
profile says (amounts carry at most a few decimals; binary float error is ~1e-12).
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

from .months import month_text, months_between, parse_month, shift, zh_month
from .profiles import Profile

RED, YELLOW, GREEN, NO_DATA = "红", "黄", "绿", "无数据"
LIGHTS = (RED, YELLOW, GREEN, NO_DATA)
_RANK = {RED: 3, YELLOW: 2, GREEN: 1, NO_DATA: 0}


@dataclass(frozen=True)
class PlanFacts:
    planned_wan: float | None
    planned_start: str | None  # ISO date
    monthly: tuple[float | None, ...] = ()  # 12 phased amounts, or () when the plan is not phased


@dataclass(frozen=True)
class RowFacts:
    ytd_wan: float | None
    month_wan: float | None = None
    since_start_wan: float | None = None
    actual_start: str | None = None
    progress_text: str | None = None


@dataclass
class History:
    """What the graph knows of one project: its year plans and its monthly rows."""

    project_id: str
    name: str
    status: str | None = None
    plans: dict[int, PlanFacts] = field(default_factory=dict)
    rows: dict[str, RowFacts] = field(default_factory=dict)  # 'YYYY-MM' -> row
    earlier_start: str | None = None  # the first actual start reported before the rows held here
    earlier_done: bool = False  # a row before those held here said 竣工/投产/已完成


@dataclass
class Assessment:
    month: str
    light: str
    raw: str
    reasons: list[str]
    planned_wan: float | None = None
    completed_wan: float | None = None
    schedule_pct: float | None = None  # 序时进度, percent
    progress_pct: float | None = None  # 完成率, percent
    gap: float | None = None  # points (or percent of 序时 with measure: relative)
    escalated: bool = False

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _beyond(value: float, bound: float, inclusive: bool) -> bool:
    return value >= bound if inclusive else value > bound


def schedule_share(plan: PlanFacts | None, month: int, profile: Profile) -> float:
    """序时进度 as a share: the phased plan through the month ÷ the annual plan, or month ÷ 12."""
    if profile.basis == "phased" and plan and plan.planned_wan and plan.monthly:
        return sum(v for v in plan.monthly[:month] if v is not None) / plan.planned_wan
    return month / 12


def raw_light(history: History, month: str, profile: Profile) -> Assessment:
    year, number = parse_month(month)
    plan = history.plans.get(year)
    found = Assessment(month, NO_DATA, NO_DATA, [])
    lights: list[tuple[str, str]] = []
    row = history.rows.get(month)
    if plan is not None:
        found.planned_wan = plan.planned_wan
    if row is not None:
        found.completed_wan = row.ytd_wan
    rule = profile.investment
    if rule and plan and plan.planned_wan is not None and row is not None and row.ytd_wan is not None \
            and _beyond(plan.planned_wan, rule.min_plan_wan, rule.min_plan_inclusive) and plan.planned_wan > 0:
        s = schedule_share(plan, number, profile)
        c = row.ytd_wan / plan.planned_wan
        gap = round((s - c) * 100 if rule.measure == "points" else ((s - c) / s * 100 if s else 0.0), 9)
        found.schedule_pct, found.progress_pct, found.gap = s * 100, c * 100, gap
        light = RED if _beyond(gap, rule.red_from, rule.red_inclusive) else (
            YELLOW if _beyond(gap, rule.yellow_from, rule.yellow_inclusive) else GREEN)
        lights.append((light, _investment_reason(found, rule.measure)))
    start_rule = profile.start
    planned_start = plan.planned_start if plan else None
    if start_rule and planned_start and not _started(history, month):
        planned = parse_month(planned_start[:7])
        late = months_between(planned, (year, number))
        if late >= start_rule.yellow_from_months:
            light = RED if late >= start_rule.red_from_months else YELLOW
            when = zh_month(*planned)
            lights.append((light, f"计划 {when}开工，本月应开工，尚未开工" if late == 0
                           else f"计划 {when}开工，逾期 {late} 个月未开工"))
    done = _done(history, month, profile)
    if done:
        found.light = found.raw = GREEN
        found.reasons = [done]
        return found
    if lights:
        worst = max(lights, key=lambda item: _RANK[item[0]])[0]
        found.light = found.raw = worst
        found.reasons = [reason for light, reason in lights if light == worst] + \
                        [reason for light, reason in lights if light != worst]
    else:
        found.reasons = [_no_data_reason(history, plan, row, profile)]
    return found


def assess(history: History, month: str, profile: Profile, loaded: set[str]) -> Assessment:
    """The light with escalation: N raw yellows in a row (each of those months loaded) are red."""
    found = raw_light(history, month, profile)
    n = profile.yellow_months
    if n and found.raw == YELLOW:
        year, number = parse_month(month)
        before = [month_text(*shift(year, number, -k)) for k in range(1, n)]
        if all(m in loaded and raw_light(history, m, profile).raw == YELLOW for m in before):
            found.light, found.escalated = RED, True
            found.reasons.append(f"连续 {n} 个月黄灯，升级为红灯")
    return found


def _started(history: History, month: str) -> bool:
    starts = [history.earlier_start] + [r.actual_start for m, r in history.rows.items() if m <= month]
    known = [s for s in starts if s]
    return bool(known) and min(known)[:7] <= month


_CLAUSE = re.compile(r"[，,。；;、\n]")
# Words that turn 竣工 into "not yet" or "planned": 未竣工, 尚未投产, 计划年底竣工, 预计6月投产, 拟竣工.
NOT_YET = ("未", "没有", "不能", "拟", "计划", "预计", "将于", "争取")


def says_done(text: str | None, words: tuple[str, ...] | list[str]) -> bool:
    """True when a clause of the text reports a done word without a negation or a plan around it."""
    for clause in _CLAUSE.split(text or ""):
        if any(word in clause for word in words) and not any(marker in clause for marker in NOT_YET):
            return True
    return False


def _done(history: History, month: str, profile: Profile) -> str | None:
    if says_done(history.status, profile.done_words):
        return f"建设状态：{history.status}"
    # The project's 形象进度 is its latest report's, up to the month.
    reported = [m for m in history.rows if m <= month]
    if reported:
        m = max(reported)
        text = history.rows[m].progress_text or ""
        return f"形象进度（{m}）：{text}" if says_done(text, profile.done_words) else None
    return "此前月报已报竣工/投产" if history.earlier_done else None


def _investment_reason(found: Assessment, measure: str) -> str:
    gap = round(found.gap or 0.0, 1)
    if measure == "relative":
        return (f"完成率 {found.progress_pct:.1f}%，序时进度 {found.schedule_pct:.1f}%，"
                + (f"差距为序时的 {gap:.1f}%" if gap > 0 else "达到序时进度"))
    if gap > 0:
        return f"落后序时进度 {gap:.1f} 个百分点"
    if gap < 0:
        return f"超过序时进度 {-gap:.1f} 个百分点"
    return "与序时进度持平"


def _no_data_reason(history: History, plan: PlanFacts | None, row: RowFacts | None, profile: Profile) -> str:
    if plan is None:
        return "无本年度计划"
    if row is None:
        return "本月无进度报表"
    if profile.investment and not plan.planned_wan:
        return "无年度计划投资"
    rule = profile.investment
    if rule and plan.planned_wan and not _beyond(plan.planned_wan, rule.min_plan_wan, rule.min_plan_inclusive):
        return f"年度计划投资低于 {profile.investment.min_plan_wan:g} 万元，不适用"
    return "无适用规则"


def worst(lights: list[str]) -> str:
    return max(lights, key=lambda light: _RANK[light]) if lights else NO_DATA


__all__ = ["Assessment", "GREEN", "History", "LIGHTS", "NO_DATA", "PlanFacts", "RED", "RowFacts", "YELLOW",
           "assess", "raw_light", "schedule_share", "worst"]

"""The headers of plan tables (重点项目计划) and monthly progress reports (月度进度), as word tables.

They are merged into ``fields.LABEL_PROPERTY_WORDS`` and checked against the schema there. A few
headers carry a value in their own text (2023年计划投资, 5月完成投资): ``header_pattern`` reads them.
"""

from __future__ import annotations

import re

PLAN_WORDS: dict[str, tuple[str, ...]] = {
    "project_id": ("项目编号", "项目代码", "项目id"),
    "name": ("项目名称", "项目"),
    "owner": ("项目单位", "项目单位/投资主体", "投资主体", "项目业主单位"),
    "content": ("建设内容及规模", "建设内容", "建设规模", "主要建设内容"),
    "period": ("建设起止年限", "起止年限", "建设年限"),
    "total_wan": ("总投资", "项目总投资", "计划总投资", "估算总投资"),
    "prior_wan": ("至上年底累计完成投资", "上年底累计完成投资", "截至上年底累计完成投资", "至上年底累计完成"),
    "planned_wan": ("年度计划投资", "年计划投资", "本年计划投资", "计划投资"),
    "planned_start": ("计划开工时间", "计划开工", "计划开工日期"),
    "planned_progress": ("年计划形象进度", "年度计划形象进度", "计划形象进度", "年度形象进度目标"),
    **{f"m{m:02d}_wan": (f"{m}月计划投资", f"{m:02d}月计划投资", f"{m}月计划完成投资") for m in range(1, 13)},
}

PROGRESS_WORDS: dict[str, tuple[str, ...]] = {
    "project_id": ("项目编号", "项目代码", "项目id"),
    "name": ("项目名称", "项目"),
    "month": ("统计月份", "报告月份", "统计期", "月份"),
    "month_wan": ("本月完成投资", "当月完成投资", "月完成投资", "本月完成"),
    "ytd_wan": ("年度累计完成投资", "本年累计完成投资", "年累计完成投资", "年度累计完成"),
    "since_start_wan": ("自开工累计完成投资", "自开工累计", "开工累计完成投资"),
    "actual_start": ("实际开工时间", "实际开工", "实际开工日期", "开工时间"),
    "progress_text": ("形象进度", "本月形象进度", "当前形象进度"),
    "issues": ("存在问题", "问题", "存在困难和问题", "困难问题"),
}

SCHEDULE_LABEL_WORDS: dict[str, dict[str, tuple[str, ...]]] = {"Plan": PLAN_WORDS, "Progress": PROGRESS_WORDS}

# Sheet and file names of the two tables (a name that also says 项目 is decided by the headers).
SCHEDULE_TABLE_WORDS: dict[str, tuple[str, ...]] = {
    "Plan": ("计划", "项目计划", "重点项目计划", "年度计划", "投资计划", "plans"),
    "Progress": ("进度", "进度月报", "月报", "调度", "进展", "月度进度", "progress"),
}

# Words in these tables that name the project, not the row: they must not make a plan or progress
# table look like a project list, nor a project list look like one of these.
SHARED_WITH_PROJECT = frozenset({"项目编号", "项目代码", "项目id", "项目名称", "项目", "总投资", "计划开工时间",
                                 "计划开工", "计划开工日期", "开工时间", "项目总投资", "计划总投资"})

_PATTERNS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "Plan": (
        (re.compile(r"^(?P<year>\d{4})年(?:度)?计划(?:完成)?投资$"), "planned_wan"),
        (re.compile(r"^(?P<year>\d{4})年(?:度)?形象进度(?:目标)?$"), "planned_progress"),
    ),
    "Progress": (
        (re.compile(r"^(?P<month>\d{1,2})月(?:份)?完成投资$"), "month_wan"),
        (re.compile(r"^(?P<month>\d{1,2})月(?:份)?形象进度$"), "progress_text"),
        (re.compile(r"^(?P<year>\d{4})年(?:度)?累计完成投资$"), "ytd_wan"),
    ),
}


def header_pattern(label: str, base: str) -> tuple[str, dict[str, int]] | None:
    """(field, values the header states) for a header such as 2023年计划投资, else None."""
    for pattern, field in _PATTERNS.get(label, ()):
        match = pattern.match(base)
        if match:
            return field, {k: int(v) for k, v in match.groupdict().items() if v}
    return None


__all__ = ["PLAN_WORDS", "PROGRESS_WORDS", "SCHEDULE_LABEL_WORDS", "SCHEDULE_TABLE_WORDS", "SHARED_WITH_PROJECT",
           "header_pattern"]

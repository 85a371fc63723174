"""Synthetic plan tables and monthly progress reports, deterministic from a seed.

Used for the sample's clearly marked synthetic schedule (scripts/make-synthetic-schedule.py), the
benchmark scales (bench/generate.py) and the tests. The headers are the ones stewards write
(项目编号, 2023年计划投资(万元), 统计月份 …); every row says it is synthetic in 备注.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

MARK = "合成数据（非原文），仅供演示"
STAGES = ("前期手续办理", "基础施工", "主体施工", "主体封顶", "装修及设备安装")
ISSUES = ("", "", "", "用地手续待办", "资金到位慢", "施工许可待批", "征拆未完成")


@dataclass(frozen=True)
class SyntheticProject:
    id: str
    name: str
    owner: str = ""
    total_wan: float | None = None


def plan_header(year: int) -> list[str]:
    return (["项目编号", "项目名称", "项目单位", "建设内容及规模", "建设起止年限", "总投资(万元)",
             "至上年底累计完成投资(万元)", f"{year}年计划投资(万元)", "计划开工时间", "年计划形象进度"]
            + [f"{m}月计划投资(万元)" for m in range(1, 13)] + ["备注"])


PROGRESS_HEADER = ["项目编号", "项目名称", "统计月份", "本月完成投资(万元)", "年度累计完成投资(万元)",
                   "自开工累计完成投资(万元)", "实际开工时间", "形象进度", "存在问题", "备注"]


def _round(value: float) -> float:
    return round(value, 1)


def generate(projects: Iterable[SyntheticProject], year: int, months: list[int], seed: int = 14,
             mark: str = MARK) -> tuple[list[list[object]], dict[int, list[list[object]]]]:
    """(plan rows, {month: progress rows}) for the projects; rows follow plan_header / PROGRESS_HEADER."""
    rng = random.Random(seed)
    plan_rows: list[list[object]] = []
    progress: dict[int, list[list[object]]] = {m: [] for m in months}
    for project in projects:
        total = project.total_wan or float(rng.choice((3000, 8000, 15000, 30000, 60000, 120000)))
        started_before = rng.random() < 0.55
        prior = _round(total * rng.uniform(0.05, 0.5)) if started_before else 0.0
        planned = _round(max(200.0, (total - prior) * rng.uniform(0.2, 0.6)))
        start_month = 1 if started_before else rng.randint(1, 9)
        start_year = year - rng.randint(1, 2) if started_before else year
        # A project that starts during the year is planned from its start month on.
        phased = rng.random() < 0.35 or (not started_before and start_month > 2)
        weights = [0.0 if not started_before and m < start_month else rng.uniform(0.5, 1.5) for m in range(1, 13)]
        monthly = [_round(planned * w / sum(weights)) for w in weights] if phased else [None] * 12
        if phased:
            monthly[-1] = _round(planned - sum(monthly[:-1]))  # the months add up to the annual plan
        plan_rows.append([project.id, project.name, project.owner or "", "（合成）年度建设内容",
                          f"{start_year}-{year + rng.randint(0, 2)}", total, prior, planned,
                          f"{start_year}-{start_month:02d}-01", rng.choice(STAGES), *[v for v in monthly], mark])
        pace = rng.choice((0.4, 0.7, 0.85, 0.95, 1.0, 1.0, 1.1, 1.2))
        delay = 0 if started_before else rng.choice((0, 0, 0, 1, 2, 4, 99))
        actual = None if started_before is False and delay == 99 else (
            f"{start_year}-{start_month:02d}-15" if started_before else
            f"{year}-{min(12, start_month + delay):02d}-10")
        done = rng.random() < 0.05
        ytd = 0.0
        for m in range(1, max(months) + 1):
            started = actual is not None and actual[:7] <= f"{year}-{m:02d}"
            share = (monthly[m - 1] or 0.0) if phased else planned / 12
            step = _round(share * pace * rng.uniform(0.7, 1.3)) if started else 0.0
            ytd = _round(ytd + step)
            if m not in months:
                continue
            text = "已竣工" if done and m == max(months) else (
                rng.choice(STAGES[1:]) if started else "前期手续办理")
            progress[m].append([project.id, project.name, f"{year}-{m:02d}", step, ytd, _round(prior + ytd),
                                actual if started else "", text, rng.choice(ISSUES), mark])
    return plan_rows, progress


def write_files(projects: Iterable[SyntheticProject], folder: Path, year: int, months: list[int],
                seed: int = 14, mark: str = MARK, suffix: str = "（合成）") -> list[Path]:
    """Write the plan and one progress file per month as UTF-8 CSV (with BOM, as Excel writes it)."""
    folder.mkdir(parents=True, exist_ok=True)
    plan_rows, progress = generate(projects, year, months, seed, mark)
    written = [folder / f"{year}年重点项目计划{suffix}.csv"]
    _write(written[0], plan_header(year), plan_rows)
    for month, rows in progress.items():
        path = folder / f"{year}年{month}月重点项目进度{suffix}.csv"
        _write(path, PROGRESS_HEADER, rows)
        written.append(path)
    return written


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


__all__ = ["MARK", "PROGRESS_HEADER", "SyntheticProject", "generate", "plan_header", "write_files"]

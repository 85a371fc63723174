"""The schedule, trend and goals-at-risk reports on generated plan and progress files, on both
engines, against an independent computation of the default profile from the files themselves."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from portfolio_graph.loaders import load_files
from portfolio_graph.reports import get_report, run_report
from portfolio_graph.schedule.synthetic import SyntheticProject, write_files

MONTHS = [3, 4, 5]
AREAS = ["东片", "西片", "南片"]


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)], scope="module")
def loaded(request, tmp_path_factory):
    backend = request.getfixturevalue(f"_{request.param}_backend")
    backend.clear()
    folder = tmp_path_factory.mktemp(f"schedule-{request.param}")
    projects = [SyntheticProject(f"P-{i:03d}", f"项目{i:03d}") for i in range(90)]
    with (folder / "项目.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["项目编号", "项目名称", "建设状态", "所属片区", "项目级别"])
        writer.writerows([[p.id, p.name, "在建", AREAS[i % 3], "市重大" if i % 4 == 0 else "街道"]
                          for i, p in enumerate(projects)])
    with (folder / "目标.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["目标编号", "目标名称", "指标", "年度"], ["G-1", "投资目标", "投资", 2023]])
    with (folder / "关系.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["起点编号", "终点编号", "关系类型"])
        writer.writerows([[p.id, "G-1", "CONTRIBUTES_TO"] for p in projects[:30]])
        writer.writerow(["P-001", "P-002", "DEPENDS_ON"])
    load_files(backend, [folder / "项目.csv", folder / "目标.csv"], create_missing=True)
    load_files(backend, [folder / "关系.csv"])
    files = write_files(projects, folder / "schedule", 2023, MONTHS, seed=3)
    load_files(backend, files)
    yield backend, files
    backend.clear()  # the session's backend: later tests expect it as they would find it


def run(backend, name, **params):
    return run_report(backend, get_report(name), params).rows


# -- the default profile, computed again from the files, without the package's code -----------

def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def expected_lights(files: list[Path], month: int) -> dict[str, str]:
    plan = {r["项目编号"]: r for r in read_csv(files[0])}
    reports = {m: {r["项目编号"]: r for r in read_csv(f)} for m, f in zip(MONTHS, files[1:])}

    def raw(pid: str, m: int) -> str:
        p, lights = plan[pid], []
        row = reports.get(m, {}).get(pid)
        planned = Decimal(p["2023年计划投资(万元)"])
        phased = [p[f"{k}月计划投资(万元)"] for k in range(1, 13)]
        if any(phased):
            s = sum(Decimal(v or "0") for v in phased[:m]) / planned
        else:
            s = Decimal(m) / 12
        if planned > 0 and row is not None:
            gap = (s - Decimal(row["年度累计完成投资(万元)"]) / planned) * 100
            lights.append("红" if gap > 30 else "黄" if gap >= 10 else "绿")
        starts = [r[pid]["实际开工时间"] for k, r in reports.items() if k <= m and pid in r and r[pid]["实际开工时间"]]
        year, planned_month = int(p["计划开工时间"][:4]), int(p["计划开工时间"][5:7])
        if not starts:
            late = (2023 - year) * 12 + m - planned_month
            if late >= 3:
                lights.append("红")
            elif late >= 0:
                lights.append("黄")
        latest = max((k for k, r in reports.items() if k <= m and pid in r), default=None)
        if latest is not None and any(w in reports[latest][pid]["形象进度"] for w in ("竣工", "投产", "已完成")):
            return "绿"  # the project's 形象进度 is its latest report's
        for light in ("红", "黄", "绿"):
            if light in lights:
                return light
        return "无数据"

    found = {}
    for pid in plan:
        light = raw(pid, month)
        if light == "黄" and month - 1 in reports and raw(pid, month - 1) == "黄":
            light = "红"
        found[pid] = light
    return found


@pytest.mark.parametrize("month", MONTHS)
def test_lights_match_an_independent_computation_of_the_default_profile(loaded, month):
    backend, files = loaded
    rows = run(backend, "schedule", as_of=f"2023-{month:02d}")
    projects = [r for r in rows if r["dimension"] == "project"]
    assert {r["project_id"]: r["light"] for r in projects} == expected_lights(files, month)
    total = next(r for r in rows if r["dimension"] == "total")
    assert total["projects"] == 90 == total["red"] + total["yellow"] + total["green"] + total["no_data"]
    if month == 5:  # by May the generated data exercises every rule
        assert {"红", "黄", "绿"} <= {r["light"] for r in projects}
        assert any("连续 2 个月黄灯" in r["reason"] for r in projects)
        assert any("未开工" in r["reason"] for r in projects)


def test_every_light_carries_its_reason(loaded):
    backend, _ = loaded
    for row in run(backend, "schedule", as_of="2023-05"):
        if row["dimension"] == "project":
            assert row["reason"], row
            if row["light"] != "无数据" and "形象进度" not in row["reason"] and row["gap"] is not None:
                assert "序时进度" in row["reason"] or "开工" in row["reason"]


def test_counts_by_area_and_level_add_up(loaded):
    backend, _ = loaded
    rows = run(backend, "schedule", as_of="2023-05", by="all")
    assert {r["dimension"] for r in rows} == {"total", "area", "level"}
    areas = {r["group"]: r["projects"] for r in rows if r["dimension"] == "area"}
    assert areas == {"东片": 30, "西片": 30, "南片": 30}
    levels = {r["group"]: r["projects"] for r in rows if r["dimension"] == "level"}
    assert levels == {"市重大": 23, "街道": 67}
    focused = run(backend, "schedule", as_of="2023-05", area="东片")
    assert {r["project_id"] for r in focused if r["dimension"] == "project"} == {f"P-{i:03d}" for i in range(0, 90, 3)}


def test_trend_of_a_project_and_of_a_goal_month_by_month(loaded):
    backend, files = loaded
    rows = run(backend, "trend", project="P-004")
    assert [r["month"] for r in rows] == ["2023-03", "2023-04", "2023-05"]
    assert [r["light"] for r in rows] == [expected_lights(files, m)["P-004"] for m in MONTHS]
    ytd = {m: Decimal(r["年度累计完成投资(万元)"]) for m, f in zip(MONTHS, files[1:])
           for r in read_csv(f) if r["项目编号"] == "P-004"}
    assert [Decimal(str(r["completed_wan"])) for r in rows] == [ytd[m] for m in MONTHS]
    goal = run(backend, "trend", goal="G-1")
    assert [r["projects"] for r in goal] == [30, 30, 30]
    for r, m in zip(goal, MONTHS):
        lights = [expected_lights(files, m)[f"P-{i:03d}"] for i in range(30)]
        assert (r["red"], r["yellow"], r["green"]) == (lights.count("红"), lights.count("黄"), lights.count("绿"))


def test_goals_at_risk_as_of_takes_risk_from_the_lights(loaded):
    backend, files = loaded
    plain = run(backend, "goals-at-risk", year=2023)
    assert plain[0]["risk"] == "低" and plain[0]["red"] is None  # by status words every 在建 project is under way
    rows = run(backend, "goals-at-risk", year=2023, as_of="2023-05")
    lights = [expected_lights(files, 5)[f"P-{i:03d}"] for i in range(30)]
    row = rows[0]
    assert (row["red"], row["yellow"], row["green"], row["no_data"]) == tuple(lights.count(x) for x in ("红", "黄", "绿", "无数据"))
    assert row["red_pct"] == round(1000 * lights.count("红") / 30) / 10
    share = (lights.count("红") + lights.count("黄")) / 30
    assert row["risk"] == ("高" if share >= 0.5 else "中" if share else "低")
    light_002 = expected_lights(files, 5)["P-002"]
    inherited = [w for w in row["inherited_warnings"] if w.startswith("项目001")]
    assert bool(inherited) == (light_002 in ("红", "黄"))
    if inherited:
        assert inherited == [f"项目001: 前置项目{light_002}灯：项目001 → 项目002"]


def test_a_month_without_reports_is_a_clear_error(loaded):
    backend, _ = loaded
    from portfolio_graph.errors import InputError

    with pytest.raises(InputError, match="no progress reports for this month"):
        run(backend, "schedule", as_of="2023-09")

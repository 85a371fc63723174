"""The default profile's rules, one by one, at their boundaries (pure: no database)."""

from __future__ import annotations

import pytest

from portfolio_graph.schedule import get_profile, list_profiles
from portfolio_graph.schedule.lights import History, PlanFacts, RowFacts, assess, raw_light
from portfolio_graph.schedule.profiles import ProfileError, read_profile

DEFAULT = get_profile("default")


def history(planned=1200.0, ytd=None, month="2023-06", start=None, actual=None, text=None, status=None,
            monthly=(), rows=None):
    plan = PlanFacts(planned, start, tuple(monthly))
    found = dict(rows or {})
    if ytd is not None or actual or text:
        found[month] = RowFacts(ytd, actual_start=actual, progress_text=text)
    return History("P", "项目", status, {2023: plan}, found)


@pytest.mark.parametrize("ytd, light", [
    (480.0, "黄"),   # s = 6/12 = 50%, c = 40%: gap exactly 10 points is yellow
    (481.2, "绿"),   # gap 9.9
    (240.0, "黄"),   # c = 20%: gap exactly 30 points is still yellow
    (238.8, "红"),   # gap 30.1
    (600.0, "绿"),   # on 序时
    (900.0, "绿"),   # ahead
])
def test_investment_light_boundaries(ytd, light):
    found = raw_light(history(ytd=ytd), "2023-06", DEFAULT)
    assert found.light == light, found.reason


def test_the_reason_says_the_gap_in_points():
    found = raw_light(history(ytd=380.0), "2023-06", DEFAULT)  # c = 31.67%: 18.3 points behind
    assert found.reason == "落后序时进度 18.3 个百分点"
    assert raw_light(history(ytd=700.0), "2023-06", DEFAULT).reason == "超过序时进度 8.3 个百分点"


def test_a_phased_plan_is_the_base_where_there_is_one():
    monthly = [100.0] * 6 + [0.0] * 5 + [600.0]  # 600 of 1200 planned through June: s = 50%
    assert raw_light(history(ytd=480.0, monthly=monthly), "2023-06", DEFAULT).schedule_pct == 50.0
    late = [0.0] * 11 + [1200.0]  # nothing planned before December: s = 0, nothing is behind
    assert raw_light(history(ytd=0.0, monthly=late), "2023-06", DEFAULT).light == "绿"
    linear = get_profile("sanya-2022")
    assert raw_light(history(ytd=480.0, monthly=late), "2023-06", linear).schedule_pct == 50.0


@pytest.mark.parametrize("planned_start, light, reason", [
    ("2023-07-01", "无数据", None),  # before the planned month: no light from this rule
    ("2023-06-01", "黄", "计划 2023年6月开工，本月应开工，尚未开工"),
    ("2023-04-01", "黄", "计划 2023年4月开工，逾期 2 个月未开工"),
    ("2023-03-01", "红", "计划 2023年3月开工，逾期 3 个月未开工"),  # exactly 3 months late
    ("2022-11-01", "红", "计划 2022年11月开工，逾期 7 个月未开工"),
])
def test_start_light_months_late(planned_start, light, reason):
    found = raw_light(history(planned=None, start=planned_start), "2023-06", DEFAULT)
    assert found.light == light
    if reason:
        assert found.reason == reason


def test_a_start_reported_on_or_before_the_month_ends_the_start_rule():
    rows = {"2023-05": RowFacts(0.0, actual_start="2023-05-20")}
    assert raw_light(history(planned=None, start="2023-03-01", rows=rows), "2023-06", DEFAULT).light == "无数据"
    assert raw_light(history(planned=None, start="2023-03-01", rows=rows), "2023-04", DEFAULT).light == "黄"


def test_the_worst_light_wins_and_done_is_green():
    both = history(ytd=500.0, start="2023-02-01")  # investment green, start red (4 months late)
    assert raw_light(both, "2023-06", DEFAULT).light == "红"
    done = history(ytd=0.0, start="2023-02-01", text="主体已竣工")
    assert raw_light(done, "2023-06", DEFAULT).light == "绿"
    assert raw_light(history(ytd=0.0, status="投产"), "2023-06", DEFAULT).light == "绿"


@pytest.mark.parametrize("text", ["主体未竣工", "尚未投产", "计划年底竣工", "预计6月投产", "主体施工，拟10月竣工"])
def test_a_done_word_that_is_negated_or_planned_is_not_done(text):
    not_done = history(ytd=0.0, start="2023-02-01", text=text)  # 4 months late, nothing spent
    assert raw_light(not_done, "2023-06", DEFAULT).light == "红"


def test_a_done_clause_beside_another_clause_is_done():
    done = history(ytd=0.0, start="2023-02-01", text="主体已竣工，待验收")
    assert raw_light(done, "2023-06", DEFAULT).light == "绿"


def test_no_rule_applies_no_data():
    assert raw_light(history(planned=0.0, ytd=100.0), "2023-06", DEFAULT).light == "无数据"
    assert raw_light(history(ytd=None), "2023-06", DEFAULT).reason == "本月无进度报表"


def test_escalation_looks_at_raw_lights_of_loaded_months():
    rows = {"2023-05": RowFacts(300.0), "2023-06": RowFacts(400.0)}  # gaps 16.7 and 16.7: yellow twice
    h = History("P", "项目", None, {2023: PlanFacts(1200.0, None)}, rows)
    assert assess(h, "2023-06", DEFAULT, {"2023-05", "2023-06"}).light == "红"
    assert assess(h, "2023-06", DEFAULT, {"2023-05", "2023-06"}).reasons[-1] == "连续 2 个月黄灯，升级为红灯"
    assert assess(h, "2023-06", DEFAULT, {"2023-06"}).light == "黄"  # May not loaded: no escalation
    # An escalated red in July does not make August red: escalation reads raw lights only.
    rows["2023-07"] = RowFacts(450.0)  # gap 20.8: raw yellow, escalated red
    rows["2023-08"] = RowFacts(700.0)  # gap 8.3: green
    loaded = {"2023-05", "2023-06", "2023-07", "2023-08"}
    assert assess(h, "2023-07", DEFAULT, loaded).light == "红"
    assert assess(h, "2023-08", DEFAULT, loaded).light == "绿"


def test_sanya_profile_thresholds_are_relative_and_need_1000_wan():
    sanya = get_profile("sanya-2022")
    assert raw_light(history(ytd=300.0), "2023-06", sanya).light == "黄"   # c = 25%: short by exactly 50% of 序时
    assert raw_light(history(ytd=299.4), "2023-06", sanya).light == "红"   # more than 50% short
    assert raw_light(history(ytd=599.4), "2023-06", sanya).light == "黄"   # any shortfall is yellow
    assert raw_light(history(ytd=600.0), "2023-06", sanya).light == "绿"   # at 序时
    assert raw_light(history(planned=1000.0, ytd=500.0), "2023-06", sanya).light == "绿"  # 1000万 counts
    assert raw_light(history(planned=999.0, ytd=0.0), "2023-06", sanya).light == "无数据"
    assert raw_light(history(planned=None, start="2023-01-01"), "2023-06", sanya).light == "无数据"  # no start rule


def test_built_in_profiles_and_a_user_folder_that_overrides(tmp_path, monkeypatch):
    assert [p.name for p in list_profiles()][:1] == ["default"]
    assert {"default", "sanya-2022"} <= {p.name for p in list_profiles()}
    (tmp_path / "default.yaml").write_text("name: default\ninvestment: {yellow_from: 5}\n", encoding="utf-8")
    monkeypatch.setenv("PORTFOLIO_GRAPH_PROFILES", str(tmp_path))
    assert get_profile("default").investment.yellow_from == 5
    assert raw_light(history(ytd=540.0), "2023-06", get_profile("default")).light == "黄"  # gap 5


@pytest.mark.parametrize("text, message", [
    ("investment: {yellow_form: 5}\n", "unknown keys yellow_form"),
    ("basis: quarterly\n", "basis must be phased or linear"),
    ("escalation: {yellow_months: 1}\n", "from 2 to 12"),
    ("investment: {yellow_from: ten}\n", "investment.yellow_from must be float"),
    ("- a list\n", "a profile is a YAML mapping"),
])
def test_a_bad_profile_file_names_the_file_and_the_key(tmp_path, text, message):
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=message) as info:
        read_profile(path)
    assert str(path) in str(info.value)

"""The schedule from the command line: report run schedule/trend with a user profile, on both engines."""

from __future__ import annotations

import json

from click.testing import CliRunner

from schedule_support import backend, backend_location  # noqa: F401  (clear the graph after each test)
from portfolio_graph.cli import main
from portfolio_graph.loaders import load_files

from test_schedule_load import PROGRESS, write


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_schedule_and_trend_with_a_profile_file(backend_location, tmp_path):
    backend, location = backend_location
    load_files(backend, [write(tmp_path / "项目.csv", ["项目编号", "项目名称"], [["P-01", "一号"], ["P-02", "二号"]])])
    load_files(backend, [write(tmp_path / "2023年计划.csv", ["项目编号", "2023年计划投资(万元)"], [["P-01", 1200], ["P-02", 1200]])])
    for month, ytd in ((5, (300, 500)), (6, (420, 560))):
        load_files(backend, [write(tmp_path / f"2023年{month}月进度.csv", PROGRESS,
                                   [["P-01", "一号", f"2023-{month:02d}", 0, ytd[0], 0, "", "", ""],
                                    ["P-02", "二号", f"2023-{month:02d}", 0, ytd[1], 0, "", "", ""]])])
    result = invoke(*location, "report", "run", "schedule", "-p", "as_of=2023年6月", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["project_id"]: r for r in json.loads(result.output) if r["dimension"] == "project"}
    # June: s = 50%; P-01 at 35% is 15 points behind (yellow, and yellow in May: red), P-02 at 46.7% green.
    assert rows["P-01"]["light"] == "红" and rows["P-01"]["gap"] == 15.0
    assert rows["P-01"]["reason"] == "落后序时进度 15.0 个百分点；连续 2 个月黄灯，升级为红灯"
    assert rows["P-02"]["light"] == "绿"
    strict = tmp_path / "strict.yaml"
    strict.write_text("name: strict\ninvestment: {yellow_from: 2, red_from: 12}\nescalation: {yellow_months: null}\n",
                      encoding="utf-8")
    mine = invoke(*location, "report", "run", "schedule", "-p", "as_of=2023-06", "--profile", str(strict), "--format", "json")
    assert mine.exit_code == 0, mine.output
    lights = {r["project_id"]: (r["light"], r["profile"]) for r in json.loads(mine.output) if r["dimension"] == "project"}
    assert lights == {"P-01": ("红", "strict"), "P-02": ("黄", "strict")}
    trend = invoke(*location, "report", "run", "trend", "-p", "project=一号", "--format", "json")
    assert [(r["month"], r["light"]) for r in json.loads(trend.output)] == [("2023-05", "黄"), ("2023-06", "红")]
    refused = invoke(*location, "report", "run", "chain-completeness", "--profile", str(strict))
    assert refused.exit_code == 2 and "--profile" in refused.output and "chain-completeness" in refused.output
    missing = invoke(*location, "report", "run", "schedule", "-p", "as_of=2023-06", "-p", "profile=nosuch")
    assert missing.exit_code == 2 and "no rule profile named 'nosuch'" in missing.output

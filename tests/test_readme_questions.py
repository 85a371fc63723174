"""Every row of the README's question → command table, run on the 东城 sample with its answer
asserted (issue 12): the table is a promise that each command answers its question."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_graph.cli import main
from portfolio_graph.sample import load_sample, load_schedule_sample

README = Path(__file__).resolve().parents[1] / "README.md"


def question_rows() -> list[tuple[str, list[str]]]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| Question | Command |"):]
    table = table[:table.index("\n\n")]
    rows = []
    for line in table.splitlines()[2:]:
        question, command = line.strip("|").split(" | ", 1)
        args = shlex.split(re.search(r"`portfolio-graph ([^`]+)`", command).group(1))
        if "-o" in args:  # a file the row writes; the test reads the rows as json instead
            i = args.index("-o")
            del args[i:i + 2]
        rows.append((question.strip(), args))
    return rows


def names(rows, column):
    return [r[column] for r in rows]


# What each question's answer must hold, on the sample (data/dongcheng, its README).
ANSWERS = {
    "Which segments of the 芯片封装检测 chain have no enterprise?":
        lambda rows: names(rows, "segment") == ["芯片设计", "芯片软件", "封装技术", "相关装备生产"],
    "What blocks project X?": lambda rows: names(rows, "blocker") == ["火炼树商住类更新单元项目"],
    "An area: its projects, parcels, programmes, what it waits on and the goals it feeds":
        lambda rows: {"镇村联动拓空间", "黄旗南片区绿轴建设", "黄旗南片区存量产业空间"} <= set(names(rows, "item")),
    "What must happen before 黄旗南核心区 gets its new space?":
        lambda rows: names(rows, "blocker") == ["八一路、旗同大街沿线部分旧厂、旧村拆除或微改造", "黄旗南片区存量产业空间",
                                                "黄旗南片区存量产业空间统筹规划"],
    "What depends on an area or a chain?": lambda rows: "黄旗南片区绿轴建设" in names(rows, "affected"),
    "Everything about one project: status, operator, area, parcels, chain, policies and programmes, goals, dependencies":
        lambda rows: rows[0]["item"] == "生益电子四期" and ("运营", "生益电子") in [(r["section"], r["item"]) for r in rows],
    "How big is a counted set, which members are named (with operators), how many are unnamed?":
        lambda rows: [(r["set_size"], r["named"], r["unnamed"]) for r in rows] == [(10, 5, 5)],
    "Which industries carry an output target but have no member enterprise or project?":
        lambda rows: [r["gap_chains"] for r in rows[:3]] == [["电子信息"], ["装备制造"], ["食品"]],
    "What supports each 2025 goal, and where does the report say so?":
        lambda rows: all(r["sources"] for r in rows) and rows[0]["goal_id"] == "G-2025-electronics-output",
    "The plan's strategies, programmes and measures as the report nests them":
        lambda rows: rows[0]["policy"] == "新兴产业拓展战略" and "着力扶持新项目" in names(rows, "policy"),
    "Which policies back the 储能电池 chain, and who takes part?":
        lambda rows: rows[0]["supports"] == ["储能电池"] and ["凯格精机", "博力威电池", "立迪科技", "鸿宝锂电"] in names(rows, "participants"),
    "Which 2025 goals are at risk?":
        lambda rows: names(rows, "goal_id") == ["G-2025-business-district-consumption", "G-2025-electronics-output"],
}


@pytest.fixture(scope="module")
def location(request):
    backend = request.getfixturevalue("_falkordb_backend")
    load_sample(backend, replace=True)  # the session graph belongs to the tests
    load_schedule_sample(backend)
    return ["--db", str(request.getfixturevalue("falkordb_path"))]


def test_the_table_has_the_questions_this_test_answers():
    asked = [q for q, _ in question_rows()]
    assert set(ANSWERS) <= set(asked), set(ANSWERS) - set(asked)


@pytest.mark.parametrize("question, args", question_rows(), ids=[q for q, _ in question_rows()])
def test_each_row_answers_its_question(location, question, args):
    if args[:2] != ["report", "run"]:  # another command's row: it must at least run on the sample
        out = CliRunner().invoke(main, [*location, *args], catch_exceptions=False)
        assert out.exit_code == 0, out.output
        return
    out = CliRunner().invoke(main, [*location, *args, "--format", "json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows, f"{question}: no rows"
    check = ANSWERS.get(question)
    if check is not None:
        assert check(rows), f"{question}: {rows[:3]}"

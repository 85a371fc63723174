"""The README's examples of a rejected file, in Chinese and in English, are what `load` prints;
its Chinese report table is what `report run` prints. On both engines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from portfolio_graph.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
FIXTURES = REPO / "tests" / "fixtures"


def block_after(marker: str) -> list[str]:
    """The lines of the first ``` block after ``marker`` in the README."""
    start = README.index(marker)
    match = re.search(r"```\n(.*?)```", README[start:], re.S)
    assert match, f"no code block after {marker!r} in README.md"
    return match.group(1).splitlines()


def shown(expected: str, output: list[str]) -> bool:
    """``expected`` is one of the output lines; a "…" in it stands for any text."""
    pattern = ".*".join(re.escape(part) for part in expected.split(" … "))
    return any(re.fullmatch(pattern, line) for line in output)


@pytest.mark.parametrize("language, marker", [("zh", "A rejected file (exit code 2), in Chinese:"),
                                              ("en", "The same file with `--lang en`:")])
def test_the_documented_rejected_file_in_both_languages(backend_location, language, marker):
    _, location = backend_location
    result = CliRunner().invoke(main, [*location, "--lang", language, "load", str(FIXTURES / "bad_projects.csv")])
    assert result.exit_code == 2
    output = result.stderr.splitlines()
    expected = block_after(marker)
    assert len(expected) >= 5
    missing = [line for line in expected if not shown(line, output)]
    assert not missing, f"README lines not printed under --lang {language}: {missing}\noutput:\n" + "\n".join(output)


def test_the_language_comes_from_the_environment_when_not_given(backend_location, monkeypatch):
    _, location = backend_location
    monkeypatch.setenv("PORTFOLIO_GRAPH_LANG", "zh")
    result = CliRunner().invoke(main, [*location, "load", str(FIXTURES / "bad_projects.csv")])
    assert result.stderr.splitlines()[-1] == "错误：发现 7 个问题，未写入任何内容"
    monkeypatch.delenv("PORTFOLIO_GRAPH_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = CliRunner().invoke(main, [*location, "load", str(FIXTURES / "bad_projects.csv")])
    assert result.stderr.splitlines()[-1] == "Error: 7 problems found; nothing was written"


def test_a_load_summary_in_chinese(backend_location):
    _, location = backend_location
    result = CliRunner().invoke(main, [*location, "--lang", "zh", "load", str(FIXTURES / "projects_v1.csv"), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "试运行：未写入任何内容。"
    assert lines[2].startswith("  新增 4，变更 0，未变 0，缺失 0，删除 0")
    assert re.fullmatch(r"已检查 4 行，用时 [\d.]+ 秒（[\d,]+ 行/秒）", lines[-1])


def test_the_documented_report_table(backend_location):
    from portfolio_graph.sample import load_sample

    backend, location = backend_location
    load_sample(backend, replace=True)
    command = block_after("A report table as a planner sees it")
    result = CliRunner().invoke(main, [*location, "--lang", "zh", "report", "run", "goals-at-risk", "-p", "year=2025",
                                       "--lenient", "-p", "at_risk_only=true", "-c",
                                       "goal,year,project_count,not_started,at_risk_pct,risk"])
    assert result.exit_code == 0, result.output
    printed = [line.rstrip() for line in result.output.splitlines()]
    assert [line.rstrip() for line in command[1:]] == printed[1:len(command)]


def test_the_demo_speaks_chinese_with_titled_tables(backend_location):
    _, location = backend_location
    result = CliRunner().invoke(main, [*location, "--lang", "zh", "demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("正在把东城街道示例数据载入 ") and "已载入 101 Project" in out
    assert "目标与支撑" in out and "风险等级" in out and "企业数(含推断)" in out
    assert "lenient_count" not in out and "Goals and what contributes" not in out
    assert "演示数据在 " in out

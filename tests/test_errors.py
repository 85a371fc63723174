"""One exception tree: every error the library raises on purpose is a PortfolioGraphError with
its exit code; the CLI shows those as one line and anything else as an internal error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import click
from click.testing import CliRunner

import portfolio_graph as pg
from portfolio_graph.cli import main
from portfolio_graph.cli.app import PortfolioGroup

EXPECTED_EXIT = {
    "BackendError": 1, "DatabaseBusy": 1, "ReadOnlyViolation": 1, "EmbeddedServerError": 1,
    "InsecureConfig": 1, "PortfolioGraphError": 1,
    "InputError": 2, "SchemaError": 2, "ConfigError": 2, "LoadRejected": 2, "ReportError": 2,
    "ReportFileError": 2, "UnknownReport": 2, "ParameterError": 2, "DependencyCycleError": 2,
}


def test_every_public_error_derives_from_the_one_base_with_its_exit_code():
    exported = {name for name in pg.__all__
                if isinstance(getattr(pg, name), type) and issubclass(getattr(pg, name), BaseException)}
    assert exported == set(EXPECTED_EXIT)
    for name, code in EXPECTED_EXIT.items():
        cls = getattr(pg, name)
        assert issubclass(cls, pg.PortfolioGraphError), name
        assert cls.exit_code == code, name


def test_builtin_bases_are_kept_for_existing_callers():
    assert issubclass(pg.BackendError, RuntimeError)
    assert issubclass(pg.EmbeddedServerError, pg.BackendError)
    assert issubclass(pg.InputError, ValueError) and issubclass(pg.LoadRejected, ValueError)
    assert issubclass(pg.InsecureConfig, PermissionError)


def _group_with_a_bug():
    """A real group of the CLI's class whose one command has a bug (an internal ValueError)."""

    @click.group(cls=PortfolioGroup)
    @click.option("--debug", is_flag=True)
    def cli(debug: bool) -> None:
        pass

    @cli.command()
    def buggy() -> None:
        int("not a number")  # a ValueError that no user input caused

    @cli.command()
    def refuses() -> None:
        raise pg.InputError("the file 项目.csv, row 3, column 投资: not a number")

    return cli


def test_an_internal_value_error_is_not_shown_as_bad_input():
    result = CliRunner().invoke(_group_with_a_bug(), ["buggy"])
    assert result.exit_code == 1  # not 2, the exit code of bad input
    assert "internal error" in result.stderr and "please report" in result.stderr
    assert "ValueError: invalid literal for int()" in result.stderr and "--debug" in result.stderr
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback():
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, {tests!r})
        from test_errors import _group_with_a_bug
        _group_with_a_bug()(["--debug", "buggy"], prog_name="pg")
    """).format(tests=str(Path(__file__).parent))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert "ValueError: invalid literal for int()" in done.stderr
    assert "内部错误" not in done.stderr and "internal error" not in done.stderr


def test_a_library_error_is_one_line_with_its_exit_code():
    result = CliRunner().invoke(_group_with_a_bug(), ["refuses"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: the file 项目.csv, row 3, column 投资: not a number"


def test_the_real_cli_maps_library_errors(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "db"), "report", "show", "no-such-report"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no report named 'no-such-report'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unwritable_output_file_is_an_error_not_a_bug(tmp_path):
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "db"), "query", "RETURN 1 AS n",
                                       "-o", str(tmp_path / "no-such-folder" / "out.csv")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write ") and "internal error" not in result.stderr


def test_the_internal_error_notice_in_chinese(monkeypatch):
    from portfolio_graph.i18n import set_language

    monkeypatch.setenv("PORTFOLIO_GRAPH_LANG", "zh")
    set_language(None)
    result = CliRunner().invoke(_group_with_a_bug(), ["buggy"])
    assert "内部错误（ValueError: invalid literal" in result.stderr
    assert "请报告" in result.stderr and "PORTFOLIO_GRAPH_DEBUG=1" in result.stderr


def test_debug_is_a_global_option():
    result = CliRunner().invoke(main, ["--help"])
    assert "--debug" in result.output

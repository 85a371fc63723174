"""The smaller findings of issue 19: a diff that cannot hide a change, atomic -o, validated
environment settings, query -o's format from the suffix, unknown -p names counted."""

from __future__ import annotations

import json
import resource
import signal
import subprocess

import pytest
from click.testing import CliRunner

from portfolio_graph.cli import main
from portfolio_graph.graph import open_backend
from test_hostile_support import CLI, child_env


def run(args, location=(), **kwargs):
    return CliRunner().invoke(main, ["--lang", "en", *location, *args], **kwargs)


def test_the_load_diff_shows_controls_instead_of_obeying_them(backend_location, tmp_path):
    backend, location = backend_location
    first = tmp_path / "p.csv"
    first.write_text("项目编号,项目名称,备注\nP-1,一号,旧\n", encoding="utf-8")
    assert run(["load", str(first)], location).exit_code == 0
    first.write_text('项目编号,项目名称,备注\nP-1,一号,"新\r\u202e值\n伪造的行"\n', encoding="utf-8")
    result = run(["load", str(first), "--dry-run"], location)
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if "notes" in line]
    assert "\\r\\u202e值\\n伪造的行" in line
    assert "\r" not in result.output and "\u202e" not in result.output


def test_query_output_format_follows_the_suffix(backend_location, tmp_path):
    _, location = backend_location
    target = tmp_path / "x.xlsx"
    result = run(["query", "RETURN 1 AS n", "-o", str(target)], location)
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"  # a workbook, not a text table
    html = tmp_path / "x.html"
    assert run(["query", "RETURN 1 AS n", "-o", str(html)], location).exit_code == 0
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    forced = tmp_path / "y.xlsx"
    assert run(["query", "RETURN 1 AS n", "-o", str(forced), "--format", "csv"], location).exit_code == 0
    assert forced.read_text(encoding="utf-8-sig").splitlines()[0] == "n"


def test_a_write_that_fails_midway_leaves_the_old_file_whole(tmp_path):
    db = tmp_path / "p.db"
    old = tmp_path / "out.csv"
    old.write_text("the old report\n", encoding="utf-8")

    def small_files() -> None:  # a full disk, as far as this process can tell
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    with open_backend(db=db):  # the server runs already: the limited process only attaches to it
        result = subprocess.run(
            [CLI, "--db", str(db), "query", "UNWIND range(1, 2000) AS i RETURN i, 'xxxxxxxxxxxx' AS s",
             "--format", "csv", "-o", str(old)],
            capture_output=True, env=child_env(), preexec_fn=small_files, timeout=300)
    assert result.returncode == 1, result.stderr
    assert b"cannot write" in result.stderr and b"Traceback" not in result.stderr
    assert old.read_text(encoding="utf-8") == "the old report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")] == []


@pytest.mark.parametrize("name", ["PORTFOLIO_GRAPH_LOCK_TIMEOUT", "PORTFOLIO_GRAPH_SERVER_LINGER"])
@pytest.mark.parametrize("value", ["nan", "inf", "-1", "soon"])
def test_environment_seconds_are_validated(tmp_path, name, value):
    csv = tmp_path / "p.csv"
    csv.write_text("项目编号,项目名称\nP-1,一号\n", encoding="utf-8")
    result = subprocess.run([CLI, "--db", str(tmp_path / "p.db"), "load", str(csv)], capture_output=True,
                            env=child_env(**{name: value}), timeout=300)
    assert result.returncode == 2, result.stderr
    assert name.encode() in result.stderr and b"Traceback" not in result.stderr


def test_thousands_of_unknown_parameters_are_named_a_few_and_counted(backend_location):
    _, location = backend_location
    args = [arg for i in range(3000) for arg in ("-p", f"nope{i}=1")]
    result = run(["report", "run", "integrity", *args], location)
    assert result.exit_code == 2
    assert len(result.output) < 1000, len(result.output)
    assert "and 2,995 more" in result.output

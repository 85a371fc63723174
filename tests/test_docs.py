"""Documentation that cannot drift: every CLI command is in the README, and the README opens with
the two commands a new user runs."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from portfolio_graph.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
        else:
            paths.append(" ".join(path))
    return paths


@pytest.mark.parametrize("path", command_paths(main))
def test_every_command_is_documented_in_the_readme(path):
    assert f"portfolio-graph {path}" in README.read_text(encoding="utf-8"), (
        f"`portfolio-graph {path}` is not documented in README.md"
    )


def test_the_readme_opens_with_make_demo_and_make_test():
    text = README.read_text(encoding="utf-8")
    first_block = text[: text.index("```", text.index("```") + 3)]
    assert "make demo" in first_block and "make test" in first_block


def test_schema_doc_is_generated_from_the_schema_module():
    from click.testing import CliRunner

    generated = CliRunner().invoke(main, ["schema", "--format", "md"]).output
    committed = (README.parent / "docs" / "SCHEMA.md").read_text(encoding="utf-8")
    assert committed == generated, "docs/SCHEMA.md is stale: run `portfolio-graph schema --format md > docs/SCHEMA.md`"


def group_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    paths = [" ".join(prefix)] if prefix else []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths.extend(group_paths(command, (*prefix, name)))
    return paths


@pytest.mark.parametrize("path", command_paths(main) + group_paths(main))
def test_every_command_has_help_that_exits_cleanly(path):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output and "Error" not in result.output

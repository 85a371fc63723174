"""The command line in this process, through click's CliRunner."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner, Result

from portfolio_graph.cli import main


def run(args: list[str], location: list[str] | tuple[str, ...] = (), **kwargs: Any) -> Result:
    """``portfolio-graph [location] args``; an exception escaping the CLI fails the test."""
    return CliRunner().invoke(main, [*location, *map(str, args)], catch_exceptions=False, **kwargs)

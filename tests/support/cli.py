"""The command line in this process, through click's CliRunner."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner, Result

from portfolio_graph.cli import main


def run(args: list[str], location: list[str] | tuple[str, ...] = (), **kwargs: Any) -> Result:
    """``portfolio-graph [location] args``; an exception escaping the CLI fails the test."""
    return CliRunner().invoke(main, [*location, *map(str, args)], catch_exceptions=False, **kwargs)


def child_env(**extra: str) -> dict[str, str]:
    """The environment for CLI subprocesses: nothing from the caller picks the database, and the
    child speaks the language the tests read (English unless the caller chose one)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "PORTFOLIO_GRAPH_"))}
    env["PORTFOLIO_GRAPH_LANG"] = os.environ.get("PORTFOLIO_GRAPH_LANG", "en")
    env.update(extra)
    return env

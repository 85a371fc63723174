"""The root click group, its global options, and how errors become exit codes."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..graph.backend import BackendError
from ..graph.schema import SchemaError
from ..portfolio import Portfolio

EXIT_INPUT = 2  # bad input: a file, a parameter, a name the schema does not know
EXIT_RUNTIME = 1  # the database failed or refused


class InputError(click.ClickException):
    """Bad user input, reported with exit code 2 like click's own usage errors."""

    exit_code = EXIT_INPUT


class AppContext:
    def __init__(self, db: str | None, uri: str | None, database: str | None, username: str | None):
        self.db, self.uri, self.database, self.username = db, uri, database, username
        self._portfolio: Portfolio | None = None

    @property
    def portfolio(self) -> Portfolio:
        if self._portfolio is None:
            settings: dict[str, Any] = {}
            if self.database:
                settings["database"] = self.database
            if self.username:
                settings["username"] = self.username
            self._portfolio = Portfolio.open(db=self.db, uri=self.uri, **settings)
        return self._portfolio

    def close(self) -> None:
        if self._portfolio is not None:
            self._portfolio.close()
            self._portfolio = None


class PortfolioGroup(click.Group):
    """Turns library errors into one clear line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader (`| head`) went away: stop quietly, as Unix tools do.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except (SchemaError, ValueError) as exc:
            raise InputError(str(exc)) from None
        except BackendError as exc:
            raise click.ClickException(str(exc)) from None
        except (OSError, RuntimeError) as exc:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from None


@click.group(cls=PortfolioGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=True, file_okay=False), envvar="PORTFOLIO_GRAPH_DB",
              help="Embedded database folder (default: $PORTFOLIO_GRAPH_DB or ~/.local/share/portfolio-graph/portfolio.db).")
@click.option("--uri", envvar="NEO4J_URI", help="Neo4j URI (bolt://, neo4j://, neo4j+s://); default $NEO4J_URI.")
@click.option("--database", envvar="NEO4J_DATABASE", help="Neo4j database name; default $NEO4J_DATABASE.")
@click.option("--username", envvar="NEO4J_USERNAME", help="Neo4j user; default $NEO4J_USERNAME. The password comes only from $NEO4J_PASSWORD or a 0600 config file.")
@click.version_option(package_name="portfolio-graph")
@click.pass_context
def main(ctx: click.Context, db: str | None, uri: str | None, database: str | None, username: str | None) -> None:
    """Load a district's development portfolio into a graph and ask it planning questions."""
    if db and uri and ctx.get_parameter_source("uri") == click.core.ParameterSource.COMMANDLINE \
            and ctx.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("give either --db or --uri, not both")
    if db and ctx.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE:
        uri = None  # an explicit --db wins over NEO4J_URI from the environment
    app = AppContext(db, uri, database, username)
    ctx.obj = app
    ctx.call_on_close(app.close)


def parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    """``-p key=value`` pairs; values that read as JSON numbers, booleans or null are typed."""
    import json

    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"parameter {pair!r:.80} is not key=value")
        try:
            value = json.loads(raw)
            if not isinstance(value, (int, float, bool)) and value is not None:
                value = raw
        except ValueError:
            value = raw
        params[key.strip()] = value
    return params


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def run() -> None:  # pragma: no cover - console entry for python -m
    main(prog_name="portfolio-graph")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())

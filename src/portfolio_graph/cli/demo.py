"""``portfolio-graph demo``: the sample portfolio and its headline answers, in a database of its own."""

from __future__ import annotations

import shlex

import click
from click.core import ParameterSource

from ..demo import run_demo
from ..graph.backend import demo_db_path
from ..i18n import _
from ..output import write
from ..output.columns import readers_meta
from ..reports import get_report
from ..portfolio import Portfolio
from .app import AppContext, InputError, main


@main.command()
@click.option("--replace", is_flag=True,
              help="Replace a database that holds other data than an earlier demo (it is emptied first).")
@click.option("--yes", is_flag=True, help="With --replace on Neo4j: do not ask to type the database name.")
@click.option("--dashboard", "dashboard_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the sample's HTML dashboard (default: beside the embedded database, "
                   "or in the per-user data folder for Neo4j).")
@click.pass_context
def demo(ctx: click.Context, replace: bool, yes: bool, dashboard_path: str | None) -> None:
    """Load the 东城街道 sample portfolio and show chain completeness and goals.

    The demo uses a database of its own (demo.db beside the default database) unless --db or
    --uri is given on the command line; $PORTFOLIO_GRAPH_DB and $NEO4J_URI are never used. A
    database that holds anything but an earlier demo is refused unless --replace.
    """
    app: AppContext = ctx.obj
    root = ctx.find_root()
    explicit_db = root.get_parameter_source("db") == ParameterSource.COMMANDLINE
    explicit_uri = root.get_parameter_source("uri") == ParameterSource.COMMANDLINE
    if explicit_uri and not explicit_db:
        portfolio, point = app.portfolio, ["--uri", app.uri]
        if replace and not yes:
            _confirm_neo4j_database(portfolio)
    elif explicit_db:
        portfolio, point = app.portfolio, ["--db", app.db]
    else:
        db = str(demo_db_path())
        portfolio, point = Portfolio.open(db=db), ["--db", db]
        ctx.call_on_close(portfolio.close)
    backend = portfolio.backend
    click.echo(_("Loading the 东城街道 sample portfolio into {engine}: {location}").format(
        engine=backend.name, location=backend.location))
    result = run_demo(portfolio, replace=replace)
    labels = result.stats["labels"]
    click.echo(_("Loaded {nodes}; {relationships} relationships.").format(
        nodes=", ".join(f"{count} {label}" for label, count in labels.items()),
        relationships=sum(result.stats["relationships"].values())))
    for section in result.sections:
        click.echo()
        meta = readers_meta({}, get_report(section.report)) if section.report else None
        write(section.rows, "table", columns=section.columns, title=section.title, meta=meta)
        if section.note:
            click.echo(section.note)
    from ..dashboard import demo_dashboard_path, write_dashboard

    from ..demo import DEMO_MONTH

    # The page shows what the tables above show: lenient counts and the lights of the demo's month.
    written = write_dashboard(portfolio, dashboard_path or demo_dashboard_path(backend), lenient=True,
                              params={"as_of": DEMO_MONTH})
    click.echo("\n" + _("Dashboard of the sample (open it in a browser): {path}").format(path=written.resolve()))
    where = " ".join(shlex.quote(part) for part in point)
    click.echo("\n" + _("The demo's data is in {engine} {location}. Point the other commands at it with {option}:").format(
        engine=backend.name, location=backend.location, option=point[0]))
    click.echo(f"  portfolio-graph {where} report list\n  portfolio-graph {where} report run "
               f"chain-completeness -p chain=芯片封装检测 --lenient\n  portfolio-graph {where} analyze health")


def _confirm_neo4j_database(portfolio: Portfolio) -> None:
    """--replace on a Neo4j server empties a whole database: the user types its name, or says --yes."""
    name = portfolio.backend.database
    typed = click.prompt(f"--replace empties the Neo4j database {name!r} at {portfolio.backend.location}. "
                         f"Type its name to go on", default="", show_default=False, err=True)
    if typed.strip() != name:
        raise InputError(f"not confirmed (typed {typed.strip()!r:.40}, expected {name!r}); nothing was changed. "
                         f"Give --yes with --replace to skip the question.")

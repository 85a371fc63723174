"""Commands that talk to the graph directly: query, stats, schema, info."""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..graph.schema import SCHEMA
from ..graph.schema_tables import schema_tables
from ..i18n import _
from ..output import FORMATS, TEXT_FORMATS, format_for_path, write
from .app import AppContext, main, parse_params



@main.command()
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A Cypher parameter; repeat for more.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of standard output; with no --format, the format is taken "
                   "from its suffix (.xlsx, .html, .csv, .json, .md).")
@click.option("--write", "allow_write", is_flag=True, help="Allow the query to change the graph.")
@click.pass_context
def query(ctx: click.Context, cypher: str, params: tuple[str, ...], fmt: str, output: str | None,
          allow_write: bool) -> None:
    """Run a Cypher query. Read-only unless --write is given."""
    app: AppContext = ctx.obj
    if output and ctx.get_parameter_source("fmt") != click.core.ParameterSource.COMMANDLINE:
        fmt = format_for_path(output, fmt)  # as report run does: `-o x.xlsx` wrote a text table
    rows = app.portfolio.rows(cypher, parse_params(params), write=allow_write)
    write(rows, fmt, output)


@main.command()
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True)
@click.pass_obj
def stats(app: AppContext, fmt: str) -> None:
    """Count nodes per label and relationships per type."""
    counts = app.portfolio.stats()
    if fmt == "json":
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    rows = [{"kind": "label", "name": k, "count": v} for k, v in counts["labels"].items()]
    rows += [{"kind": "relationship", "name": k, "count": v} for k, v in counts["relationships"].items()]
    write(rows, fmt, title=f"{app.portfolio.backend.name}: {app.portfolio.backend.location}")


@main.command()
@click.option("--format", "fmt", type=click.Choice([f for f in TEXT_FORMATS if f != "csv"]), default="table", show_default=True)
def schema(fmt: str) -> None:
    """Show the graph schema: labels, properties, relationship types and their endpoints."""
    if fmt == "json":
        click.echo(json.dumps(SCHEMA.to_dict(), ensure_ascii=False, indent=2))
        return
    for title, rows in schema_tables(SCHEMA):
        write(rows, fmt, title=title)


@main.command()
@click.pass_obj
def info(app: AppContext) -> None:
    """Say which database the commands use."""
    backend = app.portfolio.backend
    click.echo(f"backend: {backend.name}\nlocation: {backend.location}")


@main.command()
@click.pass_obj
def compact(app: AppContext) -> None:
    """Shrink the embedded database's files to the graph's size (after big loads and deletes)."""
    backend = app.portfolio.backend
    if not hasattr(backend, "compact"):
        raise InputError(_("compact is for the embedded database; Neo4j manages its own files"))
    before, after = backend.compact()
    click.echo(_("append-only files of {location}: {before:,} -> {after:,} bytes").format(
        location=backend.location, before=before, after=after))

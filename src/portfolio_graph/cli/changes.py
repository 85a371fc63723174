"""``portfolio-graph changes``: every field that changed since a date, with the load that changed it."""

from __future__ import annotations

import click

from ..output import TEXT_FORMATS, write
from ..schedule.changes import COLUMNS, changes as find_changes
from .app import AppContext, main


@main.command()
@click.option("--since", required=True, metavar="DATE", help="Changes made by loads on or after this date (2023-04-01) or time.")
@click.option("--label", help="Only this label or relationship type (Project, Progress, LOCATED_IN…).")
@click.option("--id", "node_id", help="Only this node (its id), and the links that start or end at it.")
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@click.pass_obj
def changes(app: AppContext, since: str, label: str | None, node_id: str | None, fmt: str, output: str | None) -> None:
    """Every field that changed since DATE: old value, new value and the load that changed it.

    Added nodes and links are listed once each (their values are on the node); a month of progress
    reports loaded again shows its changed figures and the rows it dropped."""
    rows = find_changes(app.portfolio.backend, since, label, node_id)
    write(rows, fmt, output, columns=COLUMNS, title=f"Changes since {since}")

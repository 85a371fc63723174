"""``portfolio-graph demo``: the sample portfolio and its headline answers."""

from __future__ import annotations

import click

from ..demo import run_demo
from ..output import write
from .app import AppContext, main


@main.command()
@click.pass_obj
def demo(app: AppContext) -> None:
    """Load the 东城街道 sample portfolio and show chain completeness and goals.

    Replaces what the database holds with the sample; point --db at a scratch folder to keep
    your own data.
    """
    portfolio = app.portfolio
    click.echo(f"Loading the 东城街道 sample portfolio into {portfolio.backend.name}: {portfolio.backend.location}")
    result = run_demo(portfolio)
    labels = result.stats["labels"]
    click.echo("Loaded " + ", ".join(f"{count} {label}" for label, count in labels.items())
               + f"; {sum(result.stats['relationships'].values())} relationships.")
    for section in result.sections:
        click.echo()
        write(section.rows, "table", columns=section.columns, title=section.title)
        if section.note:
            click.echo(section.note)
    click.echo("\nNext: portfolio-graph report list · portfolio-graph report run chain-completeness "
               "-p chain=芯片封装检测 --lenient · portfolio-graph analyze health")

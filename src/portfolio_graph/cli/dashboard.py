"""``portfolio-graph dashboard``: the whole portfolio as one offline HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import _
from .app import AppContext, main
from .report import REPORTS_DIR_HELP, raw_params

DEFAULT_OUTPUT = "portfolio-dashboard.html"


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=DEFAULT_OUTPUT,
              show_default=True, help="The HTML file to write (replaced whole).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter for the reports behind the page that declare it, e.g. -p as_of=2023-05 (repeatable).")
@click.option("--lenient", is_flag=True, help="Count inferred links too (strict by default; inferred links are listed either way).")
@click.option("--reports-dir", "reports_dirs", multiple=True, type=click.Path(file_okay=False), help=REPORTS_DIR_HELP)
@click.pass_obj
def dashboard(app: AppContext, output: str, params: tuple[str, ...], lenient: bool, reports_dirs: tuple[str, ...]) -> None:
    """Write one self-contained HTML dashboard: chain maps, goals, project lights, dependencies and sources.

    The file needs no network and no installation: send it by mail or chat and open it in a browser.
    """
    from ..dashboard import write_dashboard

    path = write_dashboard(app.portfolio, output, params=raw_params(params), lenient=lenient,
                           reports_dir=list(reports_dirs) or None)
    size = path.stat().st_size
    click.echo(_("Dashboard written: {path} ({size} KiB)").format(path=path.resolve(), size=f"{size / 1024:.0f}"))

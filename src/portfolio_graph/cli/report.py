"""``portfolio-graph report list | show | run``: canned Cypher reports from the command line."""

from __future__ import annotations

import json
from typing import Any

import click

from ..output import FORMATS, TEXT_FORMATS, format_for_path, write
from ..output.columns import HUMAN_FORMATS, readers_meta, shown_columns
from ..reports import Registry, run_report
from ..reports.describe import describe, describe_text
from ..reports.params import check_params
from ..reports.spec import ReportSpec
from ..errors import InputError
from ..i18n import _
from .app import AppContext, language_option, main

REPORTS_DIR_HELP = "Also read reports from this folder (repeatable; also $PORTFOLIO_GRAPH_REPORTS)."


def _registry(reports_dirs: tuple[str, ...]) -> Registry:
    return Registry(list(reports_dirs))


def raw_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-p key=value`` pairs as text; the report's declared types do the converting."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"parameter {pair!r:.80} is not key=value")
        params[key.strip()] = raw
    return params


@main.group()
def report() -> None:
    """Canned reports: list them, show one, run one."""


@report.command("list")
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True)
@click.option("--reports-dir", "reports_dirs", multiple=True, type=click.Path(file_okay=False), help=REPORTS_DIR_HELP)
def list_command(fmt: str, reports_dirs: tuple[str, ...]) -> None:
    """List the reports with their titles and parameters."""
    registry = _registry(reports_dirs)
    rows = [
        {
            "name": spec.name,
            "title": spec.title_zh,
            "title_en": spec.title_en,
            "params": ", ".join(p.name for p in spec.params),
            "origin": spec.origin,
        }
        for spec in registry
    ]
    write(rows, fmt, title="Reports: portfolio-graph report run NAME [-p key=value ...]")
    for stem, problem in sorted(registry.problems.items()):
        click.echo(f"warning: report {stem!r} cannot be used: {problem}", err=True)


@report.command("show")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--reports-dir", "reports_dirs", multiple=True, type=click.Path(file_okay=False), help=REPORTS_DIR_HELP)
def show_command(name: str, fmt: str, reports_dirs: tuple[str, ...]) -> None:
    """Show a report's metadata, parameters, columns and Cypher."""
    spec = _registry(reports_dirs).get(name)
    if fmt == "json":
        click.echo(json.dumps(describe(spec), ensure_ascii=False, indent=2))
        return
    click.echo(describe_text(spec))


@report.command("run")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A report parameter; repeat for more.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True,
              help="Output format; with -o and no --format, taken from the file's suffix.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@click.option("--lenient", is_flag=True, help="Count inferred links too (strict, stated links only, by default).")
@click.option("-c", "--columns", "columns_text", metavar="COL,COL,...|all",
              help="Only these columns, in this order; 'all' for every column (the table format "
                   "otherwise shows the report's usual subset).")
@click.option("--with-ids", is_flag=True,
              help="Keep the technical columns (ids, raw keys) that table, csv, md, xlsx and html leave out.")
@click.option("--keys", is_flag=True,
              help="Head the columns with their keys (goal_id, at_risk_pct) instead of titles, and keep "
                   "every column: output for programs. json always uses the keys.")
@click.option("--with-sources", is_flag=True,
              help="Add to each row the section and quote (or file, sheet and row) of the facts it rests on.")
@click.option("--reports-dir", "reports_dirs", multiple=True, type=click.Path(file_okay=False), help=REPORTS_DIR_HELP)
@click.option("--profile", "profile", type=click.Path(dir_okay=False), metavar="FILE",
              help="A rule profile (YAML) for the reports that compute lights (schedule, trend, goals-at-risk); "
                   "the same as -p profile=FILE.")
@language_option
@click.pass_context
def run_command(ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, output: str | None,
                lenient: bool, columns_text: str | None, with_ids: bool, keys: bool, with_sources: bool,
                reports_dirs: tuple[str, ...], profile: str | None) -> None:
    """Run a report read-only and print or save its rows.

    Table, csv, md, xlsx and html head each column with its title in the chosen language (--lang)
    and leave out ids unless -c all or --with-ids; json and --keys keep the keys."""
    app: AppContext = ctx.obj
    if output and ctx.get_parameter_source("fmt") != click.core.ParameterSource.COMMANDLINE:
        fmt = format_for_path(output, fmt)
    spec = _registry(reports_dirs).get(name)  # before opening the database: a typo fails fast
    columns = _columns(spec, fmt, columns_text)
    human = fmt in HUMAN_FORMATS and not keys
    if human and columns_text is None:
        columns = shown_columns(spec.columns, columns, with_ids)
    given: dict[str, Any] = raw_params(params)
    if lenient:
        given["lenient"] = True
    if profile is not None:
        if spec.param("profile") is None:
            raise InputError(_("--profile: report {name!r} takes no rule profile").format(name=spec.name))
        given["profile"] = profile
    check_params(spec, given)  # bad values fail before the database is opened
    result = run_report(app.portfolio.backend, spec, given, with_sources=with_sources)
    spec = result.spec  # with --with-sources it carries the sources column
    if with_sources and "sources" not in columns:
        columns = [*columns, "sources"]
    rows = result.rows
    if columns != spec.column_names:
        rows = [{c: row[c] for c in columns} for row in rows]
    meta = readers_meta(result.meta, spec) if human else result.meta
    write(rows, fmt, output, columns=columns, title=meta["title"], meta=meta)


def _columns(spec: ReportSpec, fmt: str, text: str | None) -> list[str]:
    if text is None:
        return list(spec.table_columns) if fmt == "table" and spec.table_columns else spec.column_names
    if text.strip().lower() == "all":
        return spec.column_names
    wanted = [c.strip() for c in text.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in spec.column_names]
    if unknown or not wanted:
        raise InputError(
            f"--columns: {', '.join(unknown) or 'no column'} not in report {spec.name!r}; "
            f"its columns: {', '.join(spec.column_names)}"
        )
    return wanted

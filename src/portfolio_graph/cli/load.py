"""The ``load`` and ``history`` commands: stewards' files into the graph, and what went in when."""

from __future__ import annotations

import json
import signal
from typing import Any

import click

from ..i18n import _, ngettext
from ..errors import InputError
from ..loaders import LoadRejected, history as load_history
from ..loaders.interrupts import nothing_written, terminate_as_interrupt
from ..output import TEXT_FORMATS, write
from ..output.safety import escape_json_controls
from .app import AppContext, Failure, main


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--label", help="Label (or relationship type) of every table: Project, 企业, LOCATED_IN… "
                               "Default: from the sheet name, the file name or the headers.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
              help="YAML file mapping columns to fields, units, labels and links.")
@click.option("--dry-run", is_flag=True, help="Check and print the diff; write nothing.")
@click.option("--source", help="Source name recorded on every node (default: the file or folder name). "
                                "'missing' and --prune only look at nodes of this source.")
@click.option("--encoding", help="Encoding of CSV/JSON files (default: detected: UTF-8, UTF-8 with BOM, GB18030/GBK).")
@click.option("--sheet", help="Read only this sheet of a workbook (default: every sheet).")
@click.option("--strict", is_flag=True, help="Unknown columns are errors, not warnings.")
@click.option("--create-missing", is_flag=True,
              help="Create stub nodes (marked inferred) for names that exist neither in the graph nor in the load.")
@click.option("--prune", is_flag=True, help="Delete nodes of the same source that this load no longer lists.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show", "show", type=click.IntRange(min=0), default=100, show_default=True,
              help="List at most this many changes per kind (0: counts only), in text and json alike; "
                   "the counts are always complete, and json's changes_not_shown says how many of each "
                   "kind were left out.")
@click.pass_obj
def load(app: AppContext, files: tuple[str, ...], label: str | None, mapping: str | None, dry_run: bool,
         source: str | None, encoding: str | None, sheet: str | None, strict: bool, create_missing: bool,
         prune: bool, fmt: str, show: int) -> None:
    """Load project lists, enterprise directories and relationship tables (CSV, xlsx, JSON, JSONL,
    or folders of them) in one all-or-nothing write, and print what changed.

    Every problem in the files is listed with its file, sheet, row and column; then nothing is
    written and the exit code is 2.
    """
    if label and mapping:
        raise click.UsageError("give either --label or --mapping, not both (a mapping file can name the label)")
    try:
        with terminate_as_interrupt():
            result = app.portfolio.load(
                list(files), label=label, mapping=mapping, dry_run=dry_run, source=source, encoding=encoding,
                sheet=sheet, strict=strict, create_missing=create_missing, prune=prune, progress=fmt == "text",
            )
    except KeyboardInterrupt as exc:
        # The write holds interrupts until it ends (loaders/interrupts.py): one that gets here came before it.
        raise Failure(nothing_written(getattr(exc, "signum", signal.SIGINT))) from None
    except LoadRejected as exc:
        if fmt == "json":
            click.echo(escape_json_controls(json.dumps(
                {"ok": False, "problems": [p.to_dict() for p in exc.problems]}, ensure_ascii=False, indent=2)))
        else:
            for problem in exc.problems:
                line = _("error: {problem}") if problem.is_error else _("warning: {problem}")
                click.echo(line.format(problem=problem), err=True)
        count = len(exc.errors)
        raise InputError(ngettext("{count} problem found; nothing was written",
                                  "{count} problems found; nothing was written", count).format(count=count)) from None
    if fmt == "json":
        click.echo(result.render_json(show))
        return
    click.echo(result.render_text(show))


@main.command()
@click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="Show only the latest N loads.")
@click.pass_obj
def history(app: AppContext, fmt: str, limit: int | None) -> None:
    """List past loads, newest first: file, source, rows, added/changed/unchanged/missing/pruned."""
    rows: list[dict[str, Any]] = load_history(app.portfolio.backend, limit)
    write(rows, fmt, title="Loads")

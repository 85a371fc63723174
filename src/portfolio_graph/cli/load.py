"""The ``load`` and ``history`` commands: stewards' files into the graph, and what went in when."""

from __future__ import annotations

import json
from typing import Any

import click

from ..loaders import LoadRejected, LoadResult, history as load_history
from ..loaders.diff import Change
from ..output import write
from .app import AppContext, InputError, main

MARKS = {"added": "+", "changed": "~", "missing": "?", "pruned": "-", "removed": "-"}


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
@click.option("--show", "show", type=int, default=100, show_default=True,
              help="List at most this many changes per kind (0: counts only).")
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
        result = app.portfolio.load(
            list(files), label=label, mapping=mapping, dry_run=dry_run, source=source, encoding=encoding,
            sheet=sheet, strict=strict, create_missing=create_missing, prune=prune, progress=fmt == "text",
        )
    except LoadRejected as exc:
        if fmt == "json":
            click.echo(json.dumps({"ok": False, "problems": [p.to_dict() for p in exc.problems]},
                                  ensure_ascii=False, indent=2))
        else:
            for problem in exc.problems:
                click.echo(f"{'error' if problem.is_error else 'warning'}: {problem}", err=True)
        raise InputError(f"{len(exc.errors)} problem(s) found; nothing was written") from None
    if fmt == "json":
        click.echo(json.dumps({"ok": True, **result.summary(), "changes": result.to_rows()},
                              ensure_ascii=False, indent=2, default=str))
        return
    click.echo(render_result(result, show))


def render_result(result: LoadResult, show: int = 100) -> str:
    counts = result.counts
    lines = []
    if result.dry_run:
        lines.append("Dry run: nothing was written.")
    lines.append(f"{', '.join(result.files)} (source: {', '.join(result.sources)})")
    lines.append(f"  added {counts.added}, changed {counts.changed}, unchanged {counts.unchanged}, "
                 f"missing {counts.missing}, pruned {counts.pruned}"
                 + (f", links replaced {counts.removed}" if counts.removed else ""))
    by_status: dict[str, list[Change]] = {}
    for change in result.changes:
        by_status.setdefault(change.status, []).append(change)
    for status in ("added", "changed", "removed", "missing", "pruned"):
        items = by_status.get(status, [])
        for change in items[:show]:
            note = ""
            if status == "missing":
                note = " (not in this list; kept, --prune deletes it)"
            lines.append(f"  {MARKS[status]} {change.describe()}{note}")
        if len(items) > show:
            lines.append(f"  … and {len(items) - show} more {status}")
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    verb = "Checked" if result.dry_run else "Loaded"
    lines.append(f"{verb} {result.rows:,} rows in {result.seconds:.2f} s "
                 f"({result.rows_per_second:,.0f} rows/s)" + ("" if result.dry_run else f"; load id {result.load_id}"))
    return "\n".join(lines)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="Show only the latest N loads.")
@click.pass_obj
def history(app: AppContext, fmt: str, limit: int | None) -> None:
    """List past loads, newest first: file, source, rows, added/changed/unchanged/missing/pruned."""
    rows: list[dict[str, Any]] = load_history(app.portfolio.backend, limit)
    write(rows, fmt, title="Loads")

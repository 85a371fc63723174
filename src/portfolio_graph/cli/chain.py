"""``portfolio-graph chain templates | template NAME | apply | match | review``: chain templates,
applying one to a district chain, matching enterprises to segments, and reviewing the matches."""

from __future__ import annotations

import json
from typing import Any

import click

from ..chains import api
from ..i18n import _
from ..output import write
from .app import AppContext, main

TEMPLATES_DIR_HELP = "Also read chain templates from this folder (repeatable; also $PORTFOLIO_GRAPH_TEMPLATES)."
MARKS = {"added": "+", "changed": "~", "removed": "-"}


def templates_dir_option(func: Any) -> Any:
    return click.option("--templates-dir", "templates_dirs", multiple=True, type=click.Path(file_okay=False),
                        help=TEMPLATES_DIR_HELP)(func)


@main.group()
def chain() -> None:
    """Chain templates: list and show them, apply one to a chain, match enterprises, review matches."""


@chain.command("templates")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md", "csv"]), default="table", show_default=True)
@templates_dir_option
def templates_command(fmt: str, templates_dirs: tuple[str, ...]) -> None:
    """List the chain templates: name, version, segments, origin."""
    write(api.template_rows(templates_dirs), fmt, title="Chain templates: portfolio-graph chain template NAME")


@chain.command("template")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md", "csv"]), default="table", show_default=True)
@templates_dir_option
def template_command(name: str, fmt: str, templates_dirs: tuple[str, ...]) -> None:
    """Show one template's segments: stream, order, codes, keywords, products, source."""
    template = api.get_template(name, templates_dirs)
    rows = api.segment_rows(template)
    if fmt == "table":
        click.echo(f"{template.name} v{template.version} ({template.origin}: {template.path})")
        if template.description:
            click.echo(template.description)
        click.echo("gate: " + "、".join(template.gate))
    write(rows, fmt, title=f"{template.name}: segments, upstream first")


@chain.command("apply")
@click.argument("template_name", metavar="TEMPLATE")
@click.option("--chain", "chain_ref", required=True, help="The district chain: name, alias or id.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False),
              help="YAML lines `district segment: template segment` for segments whose names differ.")
@click.option("--dry-run", is_flag=True, help="Show the diff; write nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@templates_dir_option
@click.pass_obj
def apply_command(app: AppContext, template_name: str, chain_ref: str, mapping: str | None, dry_run: bool,
                  fmt: str, templates_dirs: tuple[str, ...]) -> None:
    """Map a chain's segments onto a template and add the template segments it lacks (source=template),
    in one all-or-nothing write; the diff is shown first."""
    result = api.apply(app.portfolio, template_name, chain_ref, mapping=mapping, dry_run=dry_run,
                       templates_dir=templates_dirs)
    if fmt == "json":
        click.echo(json.dumps({"chain": result.chain, "template": result.template, "dry_run": dry_run,
                               "mapped": result.mapped, "unmapped": result.unmapped, "changes": result.to_rows()},
                              ensure_ascii=False, indent=2, default=str))
        return
    click.echo(_("{chain} against template {template}").format(chain=result.chain, template=result.template))
    for district, target in result.mapped.items():
        click.echo(f"  = {district} -> {target}")
    for change in result.changes:
        click.echo(f"  {MARKS.get(change.status, '?')} {change.describe()}")
    for name in result.unmapped:
        click.echo(_("warning: segment {name!r} matches no template segment; it stays as it is "
                     "(map it with --mapping, e.g. `{name}: {example}`)").format(
                         name=name, example=result.template_segments[0]), err=True)
    if not result.changes:
        click.echo(_("Nothing to change: the template is applied already."))
    elif dry_run:
        click.echo(_("Dry run: nothing was written."))
    else:
        click.echo(_("Written in one batch: {count} change(s).").format(count=len(result.changes)))


@chain.command("match")
@click.option("--chain", "chain_ref", help="Only this chain (name, alias or id); default every chain with a template applied.")
@click.option("--dry-run", is_flag=True, help="Show the proposals; write nothing.")
@click.option("--show", type=click.IntRange(min=0), default=30, show_default=True,
              help="List at most this many proposals (matched and confirmed first).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@templates_dir_option
@click.pass_obj
def match_command(app: AppContext, chain_ref: str | None, dry_run: bool, show: int, fmt: str,
                  templates_dirs: tuple[str, ...]) -> None:
    """Place enterprises in template segments with evidence (IN_SEGMENT links marked inferred, with
    decision, score, rule_version and evidence); stated and reviewed links are never overwritten."""
    result = api.match(app.portfolio, chain=chain_ref, dry_run=dry_run, templates_dir=templates_dirs)
    order = {"confirmed": 0, "matched": 1, "candidate": 2}
    rows = sorted(result.to_rows(), key=lambda r: (order[r["decision"]], -r["score"], r["enterprise"]))
    if fmt == "json":
        click.echo(json.dumps({"dry_run": dry_run, "enterprises": result.enterprises, "counts": result.counts,
                               "kept": result.kept, "removed": [list(k) for k in result.removed],
                               "proposals": rows}, ensure_ascii=False, indent=2))
        return
    if rows and show:
        write(rows[:show], "table", columns=["enterprise", "chain", "segment", "decision", "score", "evidence"],
              title="Proposals (confirmed, matched, candidate)")
    counts = ", ".join(f"{d} {result.counts.get(d, 0)}" for d in ("confirmed", "matched", "candidate"))
    click.echo(_("{enterprises} enterprises: {counts}; {kept} stated or reviewed link(s) kept; "
                 "{removed} earlier proposal(s) no longer match").format(
                     enterprises=f"{result.enterprises:,}", counts=counts, kept=result.kept,
                     removed=len(result.removed)) + ("" if dry_run else _(" (removed)")))
    click.echo(_("Dry run: nothing was written.") if dry_run
               else _("Written in one batch in {seconds} s.").format(seconds=f"{result.seconds:.1f}"))


@chain.command("review")
@click.option("--export", "export_path", type=click.Path(dir_okay=False), help="Write the proposals to this .xlsx file.")
@click.option("--import", "import_path", type=click.Path(exists=True, dir_okay=False),
              help="Read a reviewed file back: 接受 makes a link stated, 拒绝 removes it and remembers the rejection.")
@click.option("--chain", "chain_ref", help="Export only this chain's proposals.")
@click.option("--no-candidates", is_flag=True, help="Export only matched and confirmed proposals.")
@click.option("--reviewer", envvar="USER", help="Who reviewed (default $USER); a 审核人 cell wins for its row.")
@click.option("--partial", is_flag=True, help="Apply the rows that still match a proposal even when others do not.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would change; write nothing.")
@click.pass_obj
def review_command(app: AppContext, export_path: str | None, import_path: str | None, chain_ref: str | None,
                   no_candidates: bool, reviewer: str | None, partial: bool, dry_run: bool) -> None:
    """Export the matcher's proposals for review, or import the reviewed file (接受/拒绝)."""
    if bool(export_path) == bool(import_path):
        raise click.UsageError(_("give either --export FILE.xlsx or --import FILE.xlsx"))
    if export_path:
        count = api.review_export(app.portfolio, export_path, chain=chain_ref, candidates=not no_candidates)
        click.echo(_("Wrote {count} proposal(s) to {path}; fill the 审核 column with 接受 or 拒绝 and "
                     "load it back with `portfolio-graph chain review --import {path}`.").format(
                         count=count, path=export_path))
        return
    result = api.review_import(app.portfolio, import_path, reviewer=reviewer or "reviewer", partial=partial,
                               dry_run=dry_run)
    for problem in result.problems:
        click.echo(_("warning: {problem} (skipped)").format(problem=problem), err=True)
    click.echo(_("接受 {accepted}, 拒绝 {rejected}, not reviewed {unreviewed}").format(
        accepted=len(result.accepted), rejected=len(result.rejected), unreviewed=result.unreviewed)
        + (_("; dry run: nothing was written.") if dry_run else _("; written in one batch.")))

"""``portfolio-graph analyze …``: the networkx analyses from the command line.

Each command exports the graph once, runs one function of ``portfolio_graph.analysis`` and
writes its tables. table/md show every table plus notes; json writes one object holding every
table and the notes; csv holds one table (``--view`` picks which).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from ..output import TEXT_FORMATS, render, write

if TYPE_CHECKING:
    import pandas as pd

from ..errors import InputError, PortfolioGraphError
from ..i18n import _
from .app import AppContext, main, parse_params




def _analysis() -> Any:
    # Imported when a command runs: networkx and pandas take about a second to import, which
    # every other command (and --help) would otherwise pay.
    from .. import analysis

    return analysis


def _records(data: "pd.DataFrame", columns: list[str] | None) -> list[dict[str, Any]]:
    from ..analysis.frames import records

    return records(data, columns)

def _format_options(views: list[str] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option("-o", "--output", type=click.Path(dir_okay=False),
                            help="Write to this file instead of standard output.")(func)
        func = click.option("--format", "fmt", type=click.Choice(TEXT_FORMATS), default="table",
                            show_default=True)(func)
        func = click.option("--stated-only", is_flag=True,
                            help="Leave out relationships marked inferred (the strict reading).")(func)
        if views:
            func = click.option("--view", type=click.Choice(views), default=None,
                                help=f"Show one table only (csv shows {views[0]} unless told).")(func)
        return func

    return decorate


def _emit(sections: list[tuple[str, str, pd.DataFrame, list[str] | None]], notes: list[str], fmt: str,
          output: str | None, view: str | None = None) -> None:
    """Write the (name, title, frame, columns) sections in ``fmt``; see the module docstring."""
    if view:
        sections = [s for s in sections if s[0] == view]
    if fmt == "json":
        payload: dict[str, Any] = {name: _records(data, columns) for name, _, data, columns in sections}
        payload["notes"] = notes
        text = json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n"
        _write_text(text, output)
        return
    if fmt == "csv":
        name, title, data, columns = sections[0]
        write(_records(data, columns), "csv", output, columns=columns)
        for line in notes:
            click.echo(line, err=True)
        return
    parts = []
    for _key, title, data, columns in sections:
        parts.append(str(render(_records(data, columns), fmt, columns=columns or list(data.columns), title=title)))
    if notes:
        parts.append("\n".join(f"- {line}" if fmt == "md" else line for line in notes) + "\n")
    _write_text(("\n" if fmt == "md" else "").join(parts), output)


def _write_text(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise PortfolioGraphError(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror or exc)) from None


def _graph(app: AppContext, stated_only: bool) -> Any:
    return app.portfolio.to_networkx(stated_only=stated_only)


@main.group()
def analyze() -> None:
    """Structural analyses with networkx: dependencies, critical path, delays, chains, health, export."""


@analyze.command("cycles")
@_format_options(["cycles", "order"])
@click.pass_obj
def cycles_command(app: AppContext, fmt: str, output: str | None, stated_only: bool, view: str | None) -> None:
    """Cycles in DEPENDS_ON (which nodes, in order), and the dependency order."""
    result = _analysis().dependency_order(_graph(app, stated_only))
    notes = [f"DEPENDS_ON 有 {len(result.cycles)} 个循环依赖 (cycles)." if result.cycles
             else "DEPENDS_ON 没有循环依赖 (no cycles)."]
    _emit([
        ("cycles", "循环依赖 / DEPENDS_ON cycles", result.cycles_table, None),
        ("order", "依赖顺序 / dependency order (level 0 first)", result.frame,
         ["level", "name", "label", "id", "status", "depends_on", "needed_by", "in_cycle"]),
    ], notes, fmt, output, view)


@analyze.command("critical-path")
@click.option("--assume-months", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Duration assumed for projects that have none (listed in the output).")
@_format_options(["path", "assumptions", "schedule"])
@click.pass_obj
def critical_path_command(app: AppContext, assume_months: float, fmt: str, output: str | None, stated_only: bool,
                          view: str | None) -> None:
    """The critical path through DEPENDS_ON, and what was assumed for missing durations."""
    result = _analysis().critical_path(_graph(app, stated_only), assume_months=assume_months)
    notes = [f"关键路径 {result.length_months} 个月: {' → '.join(result.names) or '(无)'}", *result.notes]
    _emit([
        ("path", "关键路径 / critical path", result.to_frame(),
         ["step", "name", "label", "id", "duration_months", "duration_source", "earliest_start", "earliest_finish"]),
        ("assumptions", "缺少工期的项目 / assumed durations", result.assumptions,
         ["name", "id", "assumed_months", "reason", "on_critical_path"]),
        ("schedule", "全部节点 / schedule", result.schedule,
         ["name", "label", "duration_months", "duration_source", "earliest_start", "earliest_finish",
          "latest_start", "latest_finish", "slack_months", "on_critical_path"]),
    ], notes, fmt, output, view)


@analyze.command("delay")
@click.argument("target")
@click.option("--months", type=click.FloatRange(min=0, min_open=True), required=True, help="How many months late.")
@_format_options(["slips", "goals"])
@click.pass_obj
def delay_command(app: AppContext, target: str, months: float, fmt: str, output: str | None, stated_only: bool,
                  view: str | None) -> None:
    """What if TARGET (a project, parcel or policy: id, name or alias) is MONTHS late?"""
    result = _analysis().delay(_graph(app, stated_only), target, months)
    first = result.slips.iloc[0]
    _emit([
        ("slips", f"延误推演: {first['name']} 推迟 {first['slip_months']} 个月 / who slips", result.slips,
         ["name", "label", "status", "slip_months", "via", "link", "buffer_months", "basis", "planned_end",
          "new_planned_end"]),
        ("goals", "受影响的目标 / goals at risk", result.goals,
         ["goal", "metric", "target", "year", "max_slip_months", "past_goal_year", "via"]),
    ], result.notes, fmt, output, view)


@analyze.command("health")
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True,
              help="Items listed per check in table/md (json and csv list all).")
@_format_options(["checks", "counts"])
@click.pass_obj
def health_command(app: AppContext, limit: int, fmt: str, output: str | None, stated_only: bool,
                   view: str | None) -> None:
    """Portfolio health: counts, cycles, orphans, projects without goals, missing durations …"""
    result = _analysis().health(_graph(app, stated_only))
    checks = result.checks.copy()
    if fmt in ("table", "md"):
        checks["items"] = [items[:limit] + (["…"] if len(items) > limit else []) for items in checks["items"]]
    _emit([
        ("checks", "数据健康检查 / health checks", checks, ["check", "count", "out_of", "items"]),
        ("counts", "节点与关系数量 / counts", result.counts, None),
    ], [], fmt, output, view)


@analyze.command("chain-metrics")
@click.option("--chain", help="One chain (id, name or alias); all chains when omitted.")
@_format_options(["chains", "segments", "enterprises"])
@click.pass_obj
def chain_metrics_command(app: AppContext, chain: str | None, fmt: str, output: str | None, stated_only: bool,
                          view: str | None) -> None:
    """Chain structure: segment coverage, upstream/downstream reach, enterprise centrality."""
    result = _analysis().chain_metrics(_graph(app, stated_only), chain)
    _emit([
        ("chains", "产业链 / chains", result.chains,
         ["chain", "segments", "covered_segments", "coverage", "gaps", "anchors", "enterprises", "projects"]),
        ("segments", "环节 / segments", result.segments,
         ["chain", "segment", "position", "enterprise_count", "enterprises", "covered", "upstream_reach",
          "downstream_reach", "projects"]),
        ("enterprises", "企业中心度 / enterprise centrality", result.enterprises,
         ["chain", "enterprise", "is_anchor", "segments", "segment_count", "segment_share", "betweenness"]),
    ], ["--stated-only: inferred links left out."] if stated_only else [], fmt, output, view)


@analyze.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "json"]), default=None,
              help="graphml (Gephi, yEd) or json (node-link); default from the file suffix, else graphml.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="File to write.")
@click.option("--query", "cypher", help="Cypher selecting nodes; the export is the subgraph they induce.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of --query.")
@click.option("--stated-only", is_flag=True, help="Leave out relationships marked inferred.")
@click.pass_obj
def export_command(app: AppContext, fmt: str | None, output: str, cypher: str | None, params: tuple[str, ...],
                   stated_only: bool) -> None:
    """Export the graph (or a query's subgraph) as GraphML or node-link JSON."""
    if params and not cypher:
        raise InputError("-p/--param needs --query")
    graph = app.portfolio.to_networkx(cypher, parse_params(params), stated_only=stated_only)
    path = _analysis().write_graph(graph, output, fmt)
    click.echo(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} relationships to {path}")

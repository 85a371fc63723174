"""Commands that talk to the graph directly: query, stats, schema, info."""

from __future__ import annotations

import json

import click

from ..graph.schema import SCHEMA
from ..output import FORMATS, write
from .app import AppContext, main, parse_params

TEXT_FORMATS = ["table", "json", "csv", "md"]


@main.command()
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A Cypher parameter; repeat for more.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@click.option("--write", "allow_write", is_flag=True, help="Allow the query to change the graph.")
@click.pass_obj
def query(app: AppContext, cypher: str, params: tuple[str, ...], fmt: str, output: str | None, allow_write: bool) -> None:
    """Run a Cypher query. Read-only unless --write is given."""
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
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True)
def schema(fmt: str) -> None:
    """Show the graph schema: labels, properties, relationship types and their endpoints."""
    described = SCHEMA.to_dict()
    if fmt == "json":
        click.echo(json.dumps(described, ensure_ascii=False, indent=2))
        return
    label_rows = [
        {
            "label": label["name"],
            "property": prop["name"],
            "type": prop["type"],
            "required": prop["required"],
            "indexed": prop["indexed"] or prop["name"] == described["key"],
            "description": prop["description"],
        }
        for label in described["labels"]
        for prop in label["properties"]
        if prop["name"] not in _PROVENANCE_NAMES
    ]
    rel_rows = [
        {"relationship": rel["name"], "from": " | ".join(rel["sources"]), "to": " | ".join(rel["targets"]),
         "only": ", ".join(f"{s}->{t}" for s, t in rel["pairs"]), "description": rel["description"]}
        for rel in described["relationships"]
    ]
    write(label_rows, fmt, title="Labels (every node also carries provenance: " + ", ".join(sorted(_PROVENANCE_NAMES)) + ")")
    write(rel_rows, fmt, title="Relationship types")
    vocab = described["vocabularies"]
    vocab_rows = [{"field": "Project.status", "word": w, "means": m} for w, m in vocab["project_status_phase"].items()]
    vocab_rows += [{"field": "Goal.comparator", "word": w, "means": m} for w, m in vocab["goal_comparators"].items()]
    vocab_rows += [{"field": "Parcel.land_status", "word": w, "means": ""} for w in vocab["land_statuses"]]
    vocab_rows += [{"field": "Policy.kind", "word": w, "means": ""} for w in vocab["policy_kinds"]]
    write(vocab_rows, fmt, title="Vocabularies")


from ..graph.schema import PROVENANCE as _PROVENANCE  # noqa: E402

_PROVENANCE_NAMES = {p.name for p in _PROVENANCE}


@main.command()
@click.pass_obj
def info(app: AppContext) -> None:
    """Say which database the commands use."""
    backend = app.portfolio.backend
    click.echo(f"backend: {backend.name}\nlocation: {backend.location}")

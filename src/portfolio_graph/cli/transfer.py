"""``dump``, ``restore`` and ``copy``: a whole portfolio out of an engine, back in, or across."""

from __future__ import annotations

import click

from ..i18n import _
from ..portfolio import Portfolio
from .app import AppContext, main


def _counts(digest: dict) -> str:
    return _("{nodes} nodes and {rels} relationships (digest {sha})").format(
        nodes=sum(digest["labels"].values()), rels=sum(digest["types"].values()), sha=digest["sha256"][:16])


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.pass_obj
def dump(app: AppContext, folder: str) -> None:
    """Write the whole graph (provenance and load history included) to FOLDER: nodes/<Label>.csv,
    rels/<TYPE>.csv and dump.json. FOLDER must be new or empty. `restore FOLDER` rebuilds it."""
    from ..transfer import dump as dump_graph

    manifest = dump_graph(app.portfolio.backend, folder)
    click.echo(_("Dumped {what} to {folder}").format(what=_counts(manifest["digest"]), folder=folder))


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--replace", is_flag=True, help="Replace what the database holds (refused otherwise when it is not empty).")
@click.pass_obj
def restore(app: AppContext, folder: str, replace: bool) -> None:
    """Rebuild the graph a `dump` wrote to FOLDER, exactly, in one all-or-nothing write; the
    result is compared with the dump's counts and digest."""
    from ..transfer import restore as restore_graph

    backend = app.portfolio.backend
    digest = restore_graph(backend, folder, replace=replace)
    click.echo(_("Restored {what} into {engine} {location}").format(
        what=_counts(digest), engine=backend.name, location=backend.location))


@main.command()
@click.option("--to", "to_uri", metavar="URI", default=None,
              help="A Neo4j server or cluster (neo4j://, neo4j+s://, bolt://); NEO4J_USERNAME, NEO4J_PASSWORD "
                   "and NEO4J_DATABASE as for --uri.")
@click.option("--to-db", "to_db", type=click.Path(file_okay=False), default=None,
              help="An embedded database folder.")
@click.option("--replace", is_flag=True, help="Replace what the target holds (refused otherwise when it is not empty).")
@click.pass_obj
def copy(app: AppContext, to_uri: str | None, to_db: str | None, replace: bool) -> None:
    """Copy the whole portfolio (from --db or --uri) to another engine: --to neo4j://HOST or
    --to-db PATH. All or nothing; counts and a digest are compared at the end."""
    from ..errors import InputError
    from ..transfer import copy_graph

    if (to_uri is None) == (to_db is None):
        raise InputError(_("copy needs exactly one target: --to URI or --to-db PATH"))
    source = app.portfolio.backend
    with Portfolio.open(db=to_db, uri=to_uri) as target:
        digest = copy_graph(source, target.backend, replace=replace)
        click.echo(_("Copied {what} from {source} to {engine} {location}").format(
            what=_counts(digest), source=f"{source.name} {source.location}",
            engine=target.backend.name, location=target.backend.location))

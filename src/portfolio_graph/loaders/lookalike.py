"""A warning when a new node's name is an existing node's name or alias in another spelling:
the same enterprise typed with another id (full-width digits, a zero-width space, a typo) would
otherwise be "added" beside the original without a word."""

from __future__ import annotations

from ..graph import Backend
from ..graph.schema import KEY, SCHEMA
from .keys import name_form
from .problems import Problem
from .records import NodeRecord


def lookalike_warnings(backend: Backend, label: str, added: list[NodeRecord], problems: list[Problem]) -> None:
    """Warn for each record of ``added`` whose name, compared by ``name_form``, names a node of
    ``label`` the graph already holds under another id."""
    wanted: dict[str, list[NodeRecord]] = {}
    for record in added:
        name = record.props.get("name")
        if isinstance(name, str) and name:
            wanted.setdefault(name_form(name), []).append(record)
    if not wanted:
        return
    has_aliases = any(p.name == "aliases" for p in SCHEMA.label(label).all_properties)
    rows = backend.read(
        f"MATCH (n:`{label}`) RETURN n.{KEY} AS id, n.name AS name"
        + (", n.aliases AS aliases" if has_aliases else ""))
    for row in rows:
        for known in [row.get("name"), *(row.get("aliases") or ())]:
            if not isinstance(known, str):
                continue
            for record in wanted.get(name_form(known), ()):
                if record.props[KEY] == row["id"]:
                    continue
                problems.append(record.pos.problem(
                    f"new {label} {record.props[KEY]!r:.40} is named {record.props['name']!r:.40}, as is "
                    f"{label} {row['id']!r:.40} already in the graph ({'alias' if known != row.get('name') else 'name'} "
                    f"{known!r:.40}, compared ignoring width, case, spaces and invisible characters)",
                    f"if they are the same, write the id {row['id']!r:.40}; otherwise ignore this warning",
                    severity="warning"))

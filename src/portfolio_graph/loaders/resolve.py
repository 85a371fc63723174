"""References to other nodes (an area's name, an operator, a relationship's ends) found by id or
name in this load first, then in the graph, with parameterised queries in chunks.

What is found nowhere is an error, or with ``create_missing`` a stub node marked inferred.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Any, NamedTuple

from ..graph import Backend
from ..graph.schema import KEY, SCHEMA
from ..graph.statements import DEFAULT_CHUNK as CHUNK  # rows per query, as the writes use
from .fields import fold, fold_once
from .keys import look_alikes
from ..i18n import _
from .problems import Problem
from .records import NodeRecord, Pos, RelRecord



class ResolvedRel(NamedTuple):
    """A relationship with both ends found: ready for the diff and the batch."""

    rel_type: str
    from_label: str
    from_id: str
    to_label: str
    to_id: str
    props: dict[str, Any]
    pos: Pos


@dataclass
class Resolved:
    """What the references name: relationships with their ends, stubs, and replaced link scopes."""

    rels: list[ResolvedRel] = field(default_factory=list)
    stubs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # What a node row's link column says now: (type, from_label, from_id, to_label) -> target ids.
    # Links of that scope to other targets are replaced, the way a changed cell replaces a value.
    # A scope with no targets (an empty cell) holds the shared NO_TARGETS: the sets are only read.
    link_scopes: dict[tuple[str, str, str, str], AbstractSet[str]] = field(default_factory=dict)


NO_TARGETS: frozenset[str] = frozenset()


class LoadIndex:
    """Ids and names of the nodes this load brings, per label."""

    def __init__(self, records: list[NodeRecord]):
        self.ids: dict[str, set[str]] = {}
        self.names: dict[str, dict[str, set[str]]] = {}
        for record in records:
            props = record.props
            node_id = props.get(KEY)
            if not node_id:
                continue
            label = record.label
            ids = self.ids.get(label)
            if ids is None:
                ids = self.ids[label] = set()
                self.names[label] = {}
            ids.add(node_id)
            names = self.names[label]
            for name in [props.get("name"), *(props.get("aliases") or ())]:
                if name:
                    # fold_once: each name is folded once here, and would only evict the cached words.
                    folded = fold_once(name)
                    found = names.get(folded)
                    if found is None:
                        names[folded] = {node_id}
                    else:
                        found.add(node_id)
        self._found: dict[tuple[str, str], set[str]] = {}

    def find(self, label: str, ref: str) -> set[str]:
        """Ids a reference names; the same set each time it is asked (callers only read it)."""
        key = (label, ref)
        found = self._found.get(key)
        if found is None:
            if ref in self.ids.get(label, ()):
                found = {ref}
            else:
                found = set(self.names.get(label, {}).get(fold(ref), ()))
            self._found[key] = found
        return found


class GraphIndex:
    """The same lookups against the graph, asked once per label for all references at a time."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self.found: dict[tuple[str, str], set[str]] = {}

    def prefetch(self, label: str, refs: set[str]) -> None:
        todo = sorted(r for r in refs if (label, r) not in self.found)
        if not todo:
            return
        for ref in todo:
            self.found[(label, ref)] = set()
        for cypher in (
            f"UNWIND $refs AS ref MATCH (n:`{label}` {{{KEY}: ref}}) RETURN ref, n.{KEY} AS id",
            f"UNWIND $refs AS ref MATCH (n:`{label}` {{name: ref}}) RETURN ref, n.{KEY} AS id",
        ):
            todo = [r for r in todo if not self.found[(label, r)]]
            for start in range(0, len(todo), CHUNK):
                for row in self.backend.read(cypher, {"refs": todo[start : start + CHUNK]}):
                    self.found[(label, row["ref"])].add(row["id"])
        left = [r for r in todo if not self.found[(label, r)]]
        if left:
            rows = self.backend.read(
                f"MATCH (n:`{label}`) WHERE any(a IN coalesce(n.aliases, []) WHERE a IN $refs) "
                f"RETURN n.{KEY} AS id, n.aliases AS aliases", {"refs": left})
            wanted = set(left)
            for row in rows:
                for alias in row["aliases"] or ():
                    if alias in wanted:
                        self.found[(label, alias)].add(row["id"])

    def find(self, label: str, ref: str) -> set[str]:
        return self.found.get((label, ref), set())


def resolve(nodes: list[NodeRecord], rels: list[RelRecord], backend: Backend, create_missing: bool,
            problems: list[Problem], load_source: str) -> Resolved:
    """Every reference of the node rows' link columns and of the relationship rows' ends, found
    in this load or the graph (asked once, up front), or a problem (or a stub)."""
    resolver = _Resolver(LoadIndex(nodes), GraphIndex(backend), create_missing, problems, load_source)
    resolver.prefetch(nodes, rels)
    resolver.node_links(nodes)
    resolver.rel_ends(rels)
    return resolver.result


class _Resolver:
    def __init__(self, load: LoadIndex, graph: GraphIndex, create_missing: bool, problems: list[Problem],
                 load_source: str):
        self.load, self.graph = load, graph
        self.create_missing, self.problems, self.load_source = create_missing, problems, load_source
        self.result = Resolved()

    def prefetch(self, nodes: list[NodeRecord], rels: list[RelRecord]) -> None:
        """Ask the graph, per label, for every reference this load does not answer itself."""
        load = self.load
        wanted: dict[str, set[str]] = {}

        def want(label: str, ref: str) -> None:
            if not load.find(label, ref):
                refs = wanted.setdefault(label, set())
                refs.add(ref)
                refs.update(a for a in look_alikes(ref) if not load.find(label, a))

        for record in nodes:
            for link in record.links:
                for ref in link.refs:
                    want(link.target, ref)
        for rel in rels:
            if not rel.ok:
                continue
            for label_, ref in ((rel.from_label, rel.from_ref), (rel.to_label, rel.to_ref)):
                # Without a label every label is asked, so a wrong endpoint can be named as such.
                for label in [label_] if label_ else SCHEMA.portfolio_labels:
                    want(label, ref)
        for label, refs in wanted.items():
            self.graph.prefetch(label, refs)

    def lookup(self, label: str, ref: str, pos: Pos, column: str | None, what: str) -> str | None:
        """The one id ``ref`` names, else a problem (or with create_missing a stub) and None."""
        ids = self.load.find(label, ref) or self.graph.find(label, ref)
        for alias in () if ids else look_alikes(ref):  # another spelling of an id or a name
            ids = self.load.find(label, alias) or self.graph.find(label, alias)
            if ids:
                break
        if len(ids) == 1:
            return next(iter(ids))
        if len(ids) > 1:
            self.problems.append(pos.problem(
                _("{what} {ref!r:.60} matches {count} {label} nodes ({ids})").format(
                    what=what, ref=ref, count=len(ids), label=label, ids=", ".join(sorted(ids)[:5])),
                _("write the {label} id instead of its name").format(label=label), column))
            return None
        if self.create_missing:
            stub = self.result.stubs.setdefault((label, ref), {
                KEY: ref, "name": ref, "inferred": True, "source": self.load_source,
                "inferred_reason": f"named in {pos.file.name} {pos.row_word} {pos.row}"
                                   f"{' column ' + column if column else ''} but found neither in the graph "
                                   "nor in the same load; created by --create-missing",
            })
            return stub[KEY]
        self.problems.append(pos.problem(
            _("{what} {ref!r:.60}: no {label} with this id or name in the graph or in this load").format(
                what=what, ref=ref, label=label),
            _("add the {label} to this load, correct the name or id, or pass --create-missing").format(label=label),
            column))
        return None

    def node_links(self, nodes: list[NodeRecord]) -> None:
        """A node row's link columns as relationships, and the scope each cell now states."""
        load, link_scopes, result_rels = self.load, self.result.link_scopes, self.result.rels
        for record in nodes:
            # A row with a bad cell still has its references checked: every problem is reported at once.
            label, props, pos, ok = record.label, record.props, record.pos, record.ok
            for link in record.links:
                rel_type = link.rel_type
                if rel_type is None:
                    continue
                target = link.target
                scope_key = (rel_type, label, props.get(KEY, ""), target)
                scope = link_scopes.get(scope_key)
                if scope is None:
                    scope = link_scopes[scope_key] = NO_TARGETS
                for ref in link.refs:
                    ids = load.find(target, ref)
                    if len(ids) == 1:  # found in this load, the usual case: no problem to word
                        (target_id,) = ids
                    else:
                        column = link.column
                        target_id = self.lookup(target, ref, pos, column.where, column.shown)
                    if target_id is not None and ok:
                        if scope is NO_TARGETS:
                            scope = link_scopes[scope_key] = set()
                        scope.add(target_id)  # type: ignore[attr-defined]
                        result_rels.append(ResolvedRel(rel_type, label, props[KEY], target, target_id, {}, pos))

    def rel_ends(self, rels: list[RelRecord]) -> None:
        """A relationship row's two ends, each found (its label guessed where none is given)."""
        for rel in rels:
            if not rel.ok or rel.rel_type is None:
                continue
            ends = [self._end(rel, label, ref, side, column)
                    for label, ref, side, column in ((rel.from_label, rel.from_ref, "sources", "from_id"),
                                                     (rel.to_label, rel.to_ref, "targets", "to_id"))]
            if any(end is None or end[1] is None for end in ends):
                continue
            (from_label, from_id), (to_label, to_id) = ends  # type: ignore[misc]
            self.result.rels.append(ResolvedRel(rel.rel_type, from_label, from_id, to_label, to_id, rel.props, rel.pos))

    def _end(self, rel: RelRecord, label: str | None, ref: str, side: str,
             column: str) -> tuple[str, str | None] | None:
        where = rel.columns[column].where if column in rel.columns else None
        if label is None:
            label = _guess_label(rel.rel_type, side, ref, self.load, self.graph)
            if label is None:
                allowed = "/".join(_candidate_labels(rel.rel_type, side))
                elsewhere = [other for other in SCHEMA.portfolio_labels
                             if self.load.find(other, ref) or self.graph.find(other, ref)]
                if elsewhere and rel.rel_type:
                    found = (_("{column} {ref!r:.60} is a {labels}, but {type} starts at {allowed}")
                             if side == "sources" else
                             _("{column} {ref!r:.60} is a {labels}, but {type} points at {allowed}"))
                    message = found.format(column=column, ref=ref, labels="/".join(elsewhere),
                                           type=rel.rel_type, allowed=allowed)
                    fix = _("check the relationship type and the direction of the row")
                else:
                    message = _("{column} {ref!r:.60}: no {allowed} with this id or name, or more than one").format(
                        column=column, ref=ref, allowed=allowed)
                    fix = _("correct the id, or add a {side}_label column").format(side=column.split("_")[0])
                self.problems.append(rel.pos.problem(message, fix, where))
                return None
        return label, self.lookup(label, ref, rel.pos, where, column)


def _candidate_labels(rel_type: str | None, side: str) -> tuple[str, ...]:
    if rel_type is None:
        return tuple(SCHEMA.portfolio_labels)
    return getattr(SCHEMA.rel_type(rel_type), side)


def _guess_label(rel_type: str | None, side: str, ref: str, load: LoadIndex, graph: GraphIndex) -> str | None:
    hits = [label for label in _candidate_labels(rel_type, side) if load.find(label, ref) or graph.find(label, ref)]
    return hits[0] if len(hits) == 1 else None

"""What one all-or-nothing write carries: nodes per label, relationships per type, deletions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .schema import KEY, SCHEMA, Schema, SchemaError


@dataclass(frozen=True)
class RelRow:
    """One relationship, identified by its type and its two endpoints' labels and keys."""

    from_label: str
    from_id: str
    to_label: str
    to_id: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class GraphBatch:
    """Nodes to upsert (MERGE on the key, then set the given properties), relationships to
    upsert (MERGE between existing endpoints, then set properties), and nodes to delete.

    A property given as None is removed from the node or relationship.
    """

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[str, list[RelRow]] = field(default_factory=dict)
    delete_nodes: dict[str, list[str]] = field(default_factory=dict)
    delete_rels: dict[str, list[RelRow]] = field(default_factory=dict)
    # Known to be new: created, not merged (cheaper for both engines; a fifth of FalkorDB's write).
    created_nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    created_rels: dict[str, list[RelRow]] = field(default_factory=dict)

    def add_node(self, label: str, properties: dict[str, Any], *, new: bool = False) -> None:
        """``new=True``: the caller knows no node of the label has this key (a load's diff found
        none). If one exists after all, because another write came first, the key's unique
        constraint fails the whole batch instead of making a second node."""
        (self.created_nodes if new else self.nodes).setdefault(label, []).append(properties)

    def add_rel(self, rel_type: str, row: RelRow, *, new: bool = False) -> None:
        """``new=True`` only where the relationship cannot exist yet: an endpoint is a node this
        batch creates with ``new=True`` (were that node there already, the batch fails anyway)."""
        (self.created_rels if new else self.rels).setdefault(rel_type, []).append(row)

    def delete_node(self, label: str, node_id: str) -> None:
        self.delete_nodes.setdefault(label, []).append(node_id)

    def delete_rel(self, rel_type: str, row: RelRow) -> None:
        self.delete_rels.setdefault(rel_type, []).append(row)

    def extend(self, other: "GraphBatch") -> None:
        for mine, theirs in ((self.nodes, other.nodes), (self.rels, other.rels),
                             (self.created_nodes, other.created_nodes), (self.created_rels, other.created_rels),
                             (self.delete_nodes, other.delete_nodes), (self.delete_rels, other.delete_rels)):
            for key, rows in theirs.items():
                mine.setdefault(key, []).extend(rows)

    @property
    def node_count(self) -> int:
        return sum(len(rows) for rows in [*self.nodes.values(), *self.created_nodes.values()])

    @property
    def rel_count(self) -> int:
        return sum(len(rows) for rows in [*self.rels.values(), *self.created_rels.values()])

    def is_empty(self) -> bool:
        return not (self.nodes or self.rels or self.created_nodes or self.created_rels
                    or self.delete_nodes or self.delete_rels)

    def check(self, schema: Schema = SCHEMA) -> None:
        """Reject labels, types and endpoints the schema does not allow, before any write.

        This guards the backends; the loaders report data problems with file positions earlier.
        """
        for label, rows in [*self.nodes.items(), *self.created_nodes.items()]:
            schema.label(label)
            for row in rows:
                if not isinstance(row.get(KEY), str) or not row[KEY]:
                    raise SchemaError(f"{label} node without a string {KEY!r}: {row!r:.120}")
        for label in self.delete_nodes:
            schema.label(label)
        for rel_type, rows in [*self.rels.items(), *self.created_rels.items(), *self.delete_rels.items()]:
            rel = schema.rel_type(rel_type)
            for row in rows:
                if not rel.allows(row.from_label, row.to_label):
                    raise SchemaError(
                        f"{rel_type} does not allow {row.from_label} -> {row.to_label}; "
                        f"it allows {rel.describe_ends()}"
                    )


@dataclass(frozen=True)
class WriteSummary:
    nodes_written: int
    rels_written: int
    nodes_deleted: int
    seconds: float
    rels_deleted: int = 0

"""The schema as tables for people: what the ``schema`` command prints and docs/SCHEMA.md holds."""

from __future__ import annotations

from typing import Any

from .schema import PROVENANCE, SCHEMA, Schema

PROVENANCE_NAMES = frozenset(p.name for p in PROVENANCE)

Rows = list[dict[str, Any]]


def schema_tables(schema: Schema = SCHEMA) -> list[tuple[str, Rows]]:
    """(title, rows) for the labels and their properties, the relationship types and the
    vocabularies. Provenance properties, which every node carries, are named in the title only."""
    described = schema.to_dict()
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
        if prop["name"] not in PROVENANCE_NAMES
    ]
    rel_rows = [
        {"relationship": rel["name"], "from": " | ".join(rel["sources"]), "to": " | ".join(rel["targets"]),
         "only": ", ".join(f"{s}->{t}" for s, t in rel["pairs"]), "description": rel["description"]}
        for rel in described["relationships"]
    ]
    vocab = described["vocabularies"]
    vocab_rows = [{"field": "Project.status", "word": w, "means": m} for w, m in vocab["project_status_phase"].items()]
    vocab_rows += [{"field": "Goal.comparator", "word": w, "means": m} for w, m in vocab["goal_comparators"].items()]
    vocab_rows += [{"field": "Parcel.land_status", "word": w, "means": ""} for w in vocab["land_statuses"]]
    vocab_rows += [{"field": "Policy.kind", "word": w, "means": ""} for w in vocab["policy_kinds"]]
    return [
        ("Labels (every node also carries provenance: " + ", ".join(sorted(PROVENANCE_NAMES)) + ")", label_rows),
        ("Relationship types", rel_rows),
        ("Vocabularies", vocab_rows),
    ]

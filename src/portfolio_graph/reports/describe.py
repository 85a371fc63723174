"""A report described for people and programs: what ``report show`` prints."""

from __future__ import annotations

import json
from typing import Any

from ..output.columns import column_title
from .spec import ReportSpec


def describe(spec: ReportSpec) -> dict[str, Any]:
    """The report's metadata, parameters, columns and Cypher as plain data (``--format json``)."""
    return {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "origin": spec.origin,
        "path": str(spec.path) if spec.path else None,
        "params": [
            {"name": p.name, "type": p.type, "default": p.default, "required": p.required,
             "choices": list(p.choices), "labels": list(p.labels), "help": p.help}
            for p in spec.params
        ],
        "columns": [{"name": c.name, "zh": c.zh, "en": c.en, "help": c.help, "ordered": c.ordered,
                     "technical": c.technical, "format": c.format, "unit": c.unit} for c in spec.columns],
        "cypher": {engine: text for engine, text in spec.queries.items()} if spec.has_variants else spec.cypher_text,
    }


def describe_text(spec: ReportSpec) -> str:
    """The same as text for a terminal."""
    lines = [f"{spec.name}: {spec.title}", f"  origin: {spec.origin} ({spec.path})", "", spec.description, "", "Parameters:"]
    for p in spec.params:
        default = "none" if p.default is None else json.dumps(p.default, ensure_ascii=False)
        required = ", required" if p.required else ""
        lines.append(f"  {p.name} ({p.describe()}, default {default}{required}): {p.help}")
    if spec.param("lenient") is None:
        lines.append("  lenient (bool, default false): count inferred links too (--lenient)")
    lines += ["", "Columns:"]
    lines += [f"  {c.name} ({column_title(c)}{', technical' if c.technical else ''}): {c.help}" for c in spec.columns]
    lines += ["", "Cypher:", spec.cypher_text]
    return "\n".join(lines)

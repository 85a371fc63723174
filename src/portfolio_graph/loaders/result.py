"""What one load did: the diff, its counts, the warnings, and how it is shown to people and programs."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from ..graph import WriteSummary
from ..output.safety import escape_json_controls
from .diff import Change, DiffCounts
from .problems import Problem
from ..i18n import _

MARKS = {"added": "+", "changed": "~", "missing": "?", "pruned": "-", "removed": "-"}
ORDER = ("added", "changed", "removed", "missing", "pruned")


@dataclass
class LoadResult:
    load_id: str
    files: list[str]
    sha256: str
    sources: list[str]
    rows: int
    changes: list[Change]  # added, changed, missing and pruned; unchanged ones are only counted
    unchanged: int
    warnings: list[Problem]
    dry_run: bool
    seconds: float
    written: WriteSummary | None = None
    unchanged_by_label: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)  # text file -> the encoding it was read in

    @property
    def counts(self) -> DiffCounts:
        counts = DiffCounts.of(self.changes)
        counts.unchanged = self.unchanged
        return counts

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float(self.rows)

    def summary(self) -> dict[str, Any]:
        counts = self.counts
        return {
            "load_id": self.load_id, "files": self.files, "sha256": self.sha256, "sources": self.sources,
            "rows": self.rows, "added": counts.added, "changed": counts.changed, "unchanged": counts.unchanged,
            "missing": counts.missing, "pruned": counts.pruned, "removed": counts.removed,
            "dry_run": self.dry_run, "encodings": self.encodings,
            "seconds": round(self.seconds, 3), "rows_per_second": round(self.rows_per_second, 1),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per changed field (or per node/relationship without field changes)."""
        rows = []
        for change in self.changes:
            base = {"status": change.status, "kind": change.kind, "label": change.label, "id": change.id,
                    "name": change.name}
            if change.fields:
                rows += [{**base, "field": f, "old": old, "new": new} for f, old, new in change.fields]
            else:
                rows.append({**base, "field": None, "old": None, "new": None})
        return rows

    def frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_rows(), columns=["status", "kind", "label", "id", "name", "field", "old", "new"])

    def render_text(self, show: int = 100) -> str:
        """What ``load`` prints: counts, then at most ``show`` changes of each kind, then warnings."""
        return render_text(self, show)

    def render_json(self, show: int = 100) -> str:
        """What ``load --format json`` prints; the counts are complete, the listing limited."""
        return render_json(self, show)


def limit_changes(changes: list[Change], show: int) -> tuple[list[Change], dict[str, int]]:
    """The first ``show`` changes of each kind, in their original order, and how many of each
    kind that leaves out (kinds with none left out are not listed)."""
    seen: dict[str, int] = {}
    kept = []
    for change in changes:
        seen[change.status] = seen.get(change.status, 0) + 1
        if seen[change.status] <= show:
            kept.append(change)
    return kept, {status: count - show for status, count in seen.items() if count > show}


def render_json(result: LoadResult, show: int = 100) -> str:
    kept, left_out = limit_changes(result.changes, show)
    # The summary's counts come from the whole result; only the listing is limited.
    listed = dataclasses.replace(result, changes=kept)
    return escape_json_controls(json.dumps({"ok": True, **result.summary(), "changes": listed.to_rows(),
                                            "changes_not_shown": left_out},
                                           ensure_ascii=False, indent=2, default=str))


def _status_word(status: str) -> str:
    return {"added": _("added"), "changed": _("changed"), "removed": _("removed"), "missing": _("missing"),
            "pruned": _("pruned")}.get(status, status)


def render_text(result: LoadResult, show: int = 100) -> str:
    counts = result.counts
    lines = []
    if result.dry_run:
        lines.append(_("Dry run: nothing was written."))
    lines.append(_("{files} (source: {sources})").format(files=", ".join(result.files), sources=", ".join(result.sources)))
    summary = _("added {added}, changed {changed}, unchanged {unchanged}, missing {missing}, pruned {pruned}").format(
        added=counts.added, changed=counts.changed, unchanged=counts.unchanged, missing=counts.missing,
        pruned=counts.pruned)
    if counts.removed:
        summary += _(", links replaced {removed}").format(removed=counts.removed)
    lines.append("  " + summary)
    encodings = ", ".join(dict.fromkeys(result.encodings.values()))
    if set(result.encodings.values()) - {"utf-8", "utf-8-sig"}:  # worth a line where it is not UTF-8
        lines.append("  " + _("encoding: {encodings}").format(encodings=encodings))
    kept, left_out = limit_changes(result.changes, show)
    by_status: dict[str, list[Change]] = {}
    for change in kept:
        by_status.setdefault(change.status, []).append(change)
    for status in ORDER:
        for change in by_status.get(status, []):
            note = ""
            if status == "missing":
                note = _(" (not in this list; kept, --prune deletes it)")
            lines.append(f"  {MARKS[status]} {change.describe()}{note}")
        if status in left_out:
            lines.append("  " + _("… and {count} more {status}").format(count=left_out[status], status=_status_word(status)))
    for warning in result.warnings:
        lines.append(_("warning: {problem}").format(problem=warning))
    done = (_("Checked {rows:,} rows in {seconds:.2f} s ({speed:,.0f} rows/s)") if result.dry_run else
            _("Loaded {rows:,} rows in {seconds:.2f} s ({speed:,.0f} rows/s); load id {load_id}"))
    lines.append(done.format(rows=result.rows, seconds=result.seconds, speed=result.rows_per_second,
                             load_id=result.load_id))
    return "\n".join(lines)

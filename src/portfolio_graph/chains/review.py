"""``chain review``: the matcher's proposals to a workbook, and the reviewer's verdicts back.

``export_review`` writes one row per proposal (an inferred IN_SEGMENT link the matcher made and
nobody reviewed) with its evidence and an empty 审核 column. ``import_review`` reads the file back:
接受 turns a link into a stated one (``inferred`` false, ``reviewed_by``, ``reviewed_at``), 拒绝 removes
it and remembers the segment on the enterprise (``rejected_segments``), so the next match does not
propose it again. A row that no longer matches a proposal (the link is gone, was reviewed already
or was made by other rules) is refused; the rest is applied only with ``partial``. One write.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..graph import Backend, GraphBatch, RelRow, WriteSummary
from ..output.safety import neutralise_formula

COLUMNS = ["企业编号", "企业名称", "产业链", "环节", "模板环节", "环节编号", "判定", "得分", "依据", "规则版本", "审核", "审核人", "备注"]
ACCEPT = {"接受", "accept", "accepted", "是", "同意", "通过", "y", "yes"}
REJECT = {"拒绝", "reject", "rejected", "否", "不同意", "驳回", "n", "no"}


class ReviewRejected(InputError):
    """Rows of a review file that match no proposal; nothing was written (see ``partial``)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} row(s) of the review file match no proposal; nothing was written:\n"
                         + "\n".join(f"  {p}" for p in problems)
                         + "\n— run `chain match` and export a new file, or pass --partial to apply the other rows")


@dataclass
class ReviewResult:
    accepted: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unreviewed: int = 0
    dry_run: bool = False
    written: WriteSummary | None = None


def proposals(backend: Backend, chain: str | None = None, candidates: bool = True) -> list[dict[str, Any]]:
    rows = backend.read(
        "MATCH (e:Enterprise)-[r:IN_SEGMENT]->(s:ChainSegment)-[:PART_OF]->(c:Chain) "
        "WHERE r.rule_version IS NOT NULL AND r.inferred = true AND r.reviewed_by IS NULL "
        "AND ($chain IS NULL OR c.id = $chain OR c.name = $chain) AND ($candidates OR r.decision <> 'candidate') "
        "RETURN e.id AS eid, e.name AS ename, c.name AS chain, s.name AS segment, s.template_segment AS ts, s.id AS sid, "
        "r.decision AS decision, r.score AS score, r.evidence AS evidence, r.rule_version AS rule_version "
        "ORDER BY chain, segment, score DESC, eid", {"chain": chain, "candidates": candidates})
    return rows


def export_review(backend: Backend, path: str | Path, chain: str | None = None, candidates: bool = True) -> int:
    """Write the proposals to an xlsx workbook; returns how many rows it holds."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = proposals(backend, chain, candidates)
    book = Workbook()
    sheet = book.active
    sheet.title = "审核"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        values = [r["eid"], r["ename"], r["chain"], r["segment"], r["ts"], r["sid"], r["decision"], r["score"],
                  "；".join(r["evidence"] or []), r["rule_version"], None, None, None]
        sheet.append([neutralise_formula(v) if isinstance(v, str) else v for v in values])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLM", (22, 24, 14, 16, 16, 30, 10, 8, 60, 16, 8, 10, 20)):
        sheet.column_dimensions[letter].width = width
    book.save(str(path))
    return len(rows)


def _text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return text[1:] if text.startswith("'") else text


def read_review(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{path}: cannot read the review workbook ({type(exc).__name__}: {exc}) — "
                         "give the .xlsx file `chain review --export` wrote") from None
    sheet = book["审核"] if "审核" in book.sheetnames else book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(lines, ())]
    missing = [c for c in ("企业编号", "环节编号", "规则版本", "审核") if c not in header]
    if missing:
        raise InputError(f"{path}: the review file has no column {', '.join(missing)} — "
                         "give the file `chain review --export` wrote, with its header row")
    rows = [(number, {h: _text(v) for h, v in zip(header, values) if h})
            for number, values in enumerate(lines, start=2)]
    book.close()
    return rows


def import_review(backend: Backend, path: str | Path, reviewer: str, partial: bool = False,
                  dry_run: bool = False) -> ReviewResult:
    rows = read_review(path)
    name = Path(path).name
    current = {(p["eid"], p["sid"]): p for p in proposals(backend)}
    result = ReviewResult(dry_run=dry_run)
    verdicts: list[tuple[str, str, str, str]] = []
    for number, row in rows:
        verdict = row.get("审核", "").lower()
        if not verdict:
            result.unreviewed += 1
            continue
        where = f"{name}, row {number}"
        if verdict not in ACCEPT and verdict not in REJECT:
            result.problems.append(f"{where}, column 审核: {row['审核']!r:.20} is neither 接受 nor 拒绝 — write 接受 or 拒绝")
            continue
        key = (row.get("企业编号", ""), row.get("环节编号", ""))
        proposal = current.get(key)
        if proposal is None or proposal["rule_version"] != row.get("规则版本"):
            result.problems.append(f"{where}: {key[0]} in {key[1]} is no longer a proposal (removed, reviewed "
                                   "already, or made by other rules)")
            continue
        verdicts.append((key[0], key[1], "accept" if verdict in ACCEPT else "reject", row.get("审核人") or reviewer))
    if result.problems and not partial:
        raise ReviewRejected(result.problems)
    batch = GraphBatch()
    today = _dt.date.today().isoformat()
    rejected_by_enterprise: dict[str, list[str]] = {}
    for eid, sid, verdict, who in verdicts:
        if verdict == "accept":
            result.accepted.append((eid, sid))
            batch.add_rel("IN_SEGMENT", RelRow("Enterprise", eid, "ChainSegment", sid, {
                "inferred": False, "reviewed_by": who, "reviewed_at": today, "inferred_reason": None}))
        else:
            result.rejected.append((eid, sid))
            batch.delete_rel("IN_SEGMENT", RelRow("Enterprise", eid, "ChainSegment", sid))
            rejected_by_enterprise.setdefault(eid, []).append(sid)
    if rejected_by_enterprise:
        old = {r["id"]: r["rejected"] or [] for r in backend.read(
            "MATCH (e:Enterprise) WHERE e.id IN $ids RETURN e.id AS id, e.rejected_segments AS rejected",
            {"ids": sorted(rejected_by_enterprise)})}
        for eid, sids in rejected_by_enterprise.items():
            batch.add_node("Enterprise", {"id": eid, "rejected_segments": sorted(set(old.get(eid, [])) | set(sids))})
    if not dry_run and not batch.is_empty():
        result.written = backend.upsert(batch)
    return result

"""Goals with target, actual and progress (goal-tracker) and risk with its reason (goals-at-risk),
joined by goal id, and the overview's counts and headline answers."""

from __future__ import annotations

from typing import Any

from .nodes import NodeTable

RISK_REASON = {
    "无支撑": "没有任何事物被声明为支撑此目标 / nothing is stated to contribute",
    "无项目": "支撑方没有可跟踪的项目 / the contributors carry no project to track",
    "仅企业": "只有企业支撑，没有可跟踪的项目 / only enterprises contribute, no project to track",
    "无数据": "支撑项目本月都没有灯号 / none of its projects has a light this month",
}


def risk_reason(row: dict[str, Any]) -> str:
    """Why a goal has its risk, in words: the report's own reason where it gives one."""
    if row.get("reason"):
        return str(row["reason"])
    risk = row.get("risk")
    if risk in RISK_REASON:
        return RISK_REASON[risk]
    count, at_risk = row.get("project_count") or 0, row.get("at_risk_projects") or []
    lights = row.get("as_of") is not None  # with as_of the risk comes from the month's lights
    what = f"{row['as_of']} 红灯或黄灯" if lights else "受阻、延期或未开工"
    parts = [f"{len(at_risk)}/{count} 个项目{what}"]
    if row.get("at_risk_pct") is not None:
        parts.append(f"（{row['at_risk_pct']}%）")
    words = (("red", "红灯"), ("yellow", "黄灯")) if lights else (("blocked", "受阻"), ("delayed", "延期"), ("not_started", "未开工"))
    details = [f"{word} {row[key]}" for key, word in words if row.get(key)]
    if details:
        parts.append("：" + "、".join(details))
    return "".join(parts)


def goal_rows(table: NodeTable, goals: list[dict[str, Any]], tracker: list[dict[str, Any]],
              risks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``goals`` are the Goal nodes (provenance); tracker and risk rows are joined by goal id."""
    by_id = {row["id"]: row for row in goals}
    risk_by_id = {row["goal_id"]: row for row in risks}
    out = []
    for row in tracker:
        node = by_id.get(row["goal_id"])
        if node is None:
            continue
        risk = risk_by_id.get(row["goal_id"], {})
        entry = {"node": table.add("Goal", node), "yr": row.get("year"), "m": row.get("metric"),
                 "cmp": row.get("comparator"), "tv": row.get("target_value"), "et": row.get("effective_target"),
                 "u": row.get("unit"), "av": row.get("actual_value"), "ay": row.get("actual_year"),
                 "pg": row.get("progress_pct"), "gs": row.get("status"), "rk": risk.get("risk"),
                 "why": risk_reason(risk) if risk else None, "basis": risk.get("risk_basis"), "pc": risk.get("project_count"),
                 "arp": risk.get("at_risk_pct"), "atr": (risk.get("at_risk_projects") or [])[:30],
                 "con": (risk.get("contributors") or [])[:30]}
        out.append({k: v for k, v in entry.items() if v not in (None, [], "")})
    return out


def overview(stats: dict[str, dict[str, int]], rollup: list[dict[str, Any]], chain_rows: list[dict[str, Any]],
             goals: list[dict[str, Any]], strict_risks: list[dict[str, Any]],
             template_rows: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """Counts by label, investment by status and area, and the demo's headline answers."""
    def group(dimension: str) -> list[list[Any]]:
        return [[r["group"], r.get("investment_yi"), r.get("projects")] for r in rollup if r["dimension"] == dimension]

    total = next((r for r in rollup if r["dimension"] == "total"), {})
    segments = [r for r in chain_rows if r.get("segment")]
    return {
        "labels": stats["labels"], "rels": stats["relationships"],
        "total_yi": total.get("investment_yi"), "total_projects": total.get("projects"),
        "by_status": group("status"), "by_area": group("area")[:30], "by_phase": group("phase"),
        "headline": {
            "segments": len(segments),
            "gaps": [[r["chain"], r["segment"]] for r in segments if r.get("status") == "补链"][:50],
            "gap_count": sum(1 for r in segments if r.get("status") == "补链"),
            "weak_count": sum(1 for r in segments if r.get("status") == "强链"),
            "extension_count": sum(1 for r in template_rows if r.get("status") == "延链"),
            "goals": len(goals),
            "high_risk": sum(1 for g in goals if g.get("rk") == "高"),
            "unsupported": [r["goal"] for r in strict_risks if r.get("risk") == "无支撑"][:50],
            "unsupported_count": sum(1 for r in strict_risks if r.get("risk") == "无支撑"),
        },
    }

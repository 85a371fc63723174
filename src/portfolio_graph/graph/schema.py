"""The one source of truth for the portfolio graph's shape.

Labels, their key and typed properties, relationship types and the endpoint labels each allows
are declared here once. Constraints and indexes on both backends, loader validation, the
``schema`` command and the checks on user-named labels all read this module; nothing else
spells the schema out by hand.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..errors import InputError

KEY = "id"

# Property types a value may take. Dates are stored as ISO 'YYYY-MM-DD' strings on both engines,
# because FalkorDB and Neo4j disagree on temporal types and a string sorts and compares the same.
PROPERTY_TYPES = ("string", "int", "float", "bool", "date", "list[string]")


class SchemaError(InputError):
    """A label, relationship type or property that the schema does not know."""


@dataclass(frozen=True)
class Property:
    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    indexed: bool = False
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in PROPERTY_TYPES:
            raise SchemaError(f"property {self.name!r}: unknown type {self.type!r}")

    def check(self, value: Any) -> str | None:
        """Return a problem description if ``value`` does not fit this property, else None."""
        if value is None:
            return "a value is required" if self.required else None
        expected = {
            "string": (str,),
            "int": (int,),
            "float": (int, float),
            "bool": (bool,),
            "date": (str,),
            "list[string]": (list, tuple),
        }[self.type]
        if isinstance(value, bool) and self.type in ("int", "float"):
            return f"expected {self.type}, got a boolean"
        if not isinstance(value, expected):
            return f"expected {self.type}, got {type(value).__name__} {value!r:.60}"
        if self.type == "date":
            try:
                _dt.date.fromisoformat(value)
            except ValueError:
                return f"expected a date as YYYY-MM-DD, got {value!r:.60}"
        if self.type == "list[string]" and not all(isinstance(v, str) for v in value):
            return "expected a list of strings"
        if self.choices and value not in self.choices:
            return f"{value!r:.60} is not one of: {', '.join(self.choices)}"
        return None


# Provenance every node and relationship may carry: where a fact came from and whether it was
# stated or inferred.
PROVENANCE = (
    Property("source", description="where the fact came from: a dataset name or file"),
    Property("section", description="section of the source report, e.g. 一(三)五"),
    Property("quote", description="shortest exact quote from the source that supports the fact"),
    Property("source_file", description="file a loaded fact came from"),
    Property("source_sha256", description="sha256 of that file"),
    Property("source_sheet", description="sheet of that file"),
    Property("source_row", "int", "row of that file (1-based, as a spreadsheet shows it)"),
    Property("load_id", "string", "the load that last wrote this fact", indexed=True),
    Property("inferred", "bool", "true where the link is an inference, not the source's words"),
    Property("inferred_reason", description="why the inference was made"),
    Property("quote_basis", description="for a stated link whose quote cannot name both ends: what in "
             "the source states it (e.g. the report's numbering nests a measure under its programme)"),
    Property("approx_fields", "list[string]", "fields whose value the source gave as approximate (约…)"),
)

NODE_COMMON = (
    Property(KEY, "string", "unique key within the label", required=True),
    Property("name", "string", "name as the source writes it", required=True, indexed=True),
    Property("aliases", "list[string]", "other names and spellings of the same thing"),
    Property("notes", description="free text"),
) + PROVENANCE


# Project status words as data stewards write them, and the phase each one means. Reports and
# analysis reason about phases; the data keeps the steward's word.
PROJECT_STATUS_PHASE: dict[str, str] = {
    "谋划": "not_started",
    "洽谈": "not_started",
    "签约": "not_started",
    "储备": "not_started",
    "预备": "not_started",
    "前期": "not_started",
    "招商": "not_started",
    "在建": "in_progress",
    "推进": "in_progress",
    "延期": "delayed",
    "受阻": "blocked",
    "建成": "done",
    "投产": "done",
    "完成": "done",
    "已出让": "done",
}
PROJECT_PHASES = ("not_started", "in_progress", "delayed", "blocked", "done")

# How a goal's comparator word compares an actual value with the target.
GOAL_COMPARATORS: dict[str, str] = {
    "超": ">",
    "超过": ">",
    "突破": ">",
    "以上": ">=",
    "不少于": ">=",
    "不低于": ">=",
    "达": ">=",
    "完成": ">=",
    "翻番": "x2",
    "翻一番": "x2",
    "近": "~",
    "约": "~",
}

# What a Policy node is, as the 2023 plan names its own parts: a development direction (立足"新城市"
# 发展方向), a strategy (…战略), a programme (实施…工程, or a 举措/路径 item such as 镇村联动拓空间), a plan
# or scheme (…计划/方案/规划), a special action (…专项行动), or a policy instrument (奖补, 补贴, 措施,
# 管理办法…; the instrument's own word goes in Policy.instrument). Money is a Fund, not a Policy kind.
POLICY_KINDS = ("方向", "战略", "工程", "举措", "计划", "专项行动", "政策")
# Policy kinds that organise other policies (a policy-tree's upper levels), outermost first.
POLICY_FRAME_KINDS = ("方向", "战略", "工程", "举措")

LAND_STATUSES = ("收储", "储备", "出让", "已出让", "历史遗留", "征收", "更新", "在用")

# Land statuses under which a parcel is ready for the project built on it. Every other status
# (收储, 储备, 历史遗留, 征收, 更新, or none) means the land still has to be made available.
LAND_READY_STATUSES = ("出让", "已出让", "在用")
assert set(LAND_READY_STATUSES) <= set(LAND_STATUSES)


# Labels a DEPENDS_ON may start from: what can wait on something else.
DEPENDABLE_SOURCES = ("Project", "Area", "Chain", "Goal")

# Where a segment sits in its chain (chain templates).
STREAMS = ("上游", "中游", "下游")

# How sure the chain matcher is of an IN_SEGMENT link it inferred (see chains/matcher.py).
MATCH_DECISIONS = ("candidate", "matched", "confirmed")
# Decisions that reports count; candidates only when asked.
COUNTED_DECISIONS = ("matched", "confirmed")
# Enterprise tags that are qualifications (gap-candidates ranks by them).
QUALIFICATION_TAGS = ("专精特新", "专精特新小巨人", "高新技术企业", "高企", "上市", "独角兽")

IN_SEGMENT_PROPERTIES = (
    Property("decision", description="the matcher's decision: candidate, matched or confirmed", choices=MATCH_DECISIONS),
    Property("score", "float", "the matcher's score: the sum of its evidence weights"),
    Property("rule_version", description="version of the matching rules that made the link"),
    Property("evidence", "list[string]", "the matcher's evidence, one 'field:term:weight' per item"),
    Property("reviewed_by", description="who accepted the link in a review (chain review)"),
    Property("reviewed_at", "date", "when the link was accepted"),
)


@dataclass(frozen=True)
class NodeLabel:
    name: str
    description: str
    properties: tuple[Property, ...] = ()
    system: bool = False  # bookkeeping labels (load history) that are not part of the portfolio

    @property
    def all_properties(self) -> tuple[Property, ...]:
        return NODE_COMMON + self.properties

    def property(self, name: str) -> Property | None:
        for prop in self.all_properties:
            if prop.name == name:
                return prop
        return None


@dataclass(frozen=True)
class RelType:
    name: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: tuple[Property, ...] = ()
    # Where only some source/target combinations make sense (a segment is PART_OF a chain, a
    # measure PART_OF a policy, never a segment PART_OF a policy): the allowed pairs. Empty means
    # every source with every target.
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def all_properties(self) -> tuple[Property, ...]:
        return self.properties + PROVENANCE

    @property
    def endpoint_pairs(self) -> tuple[tuple[str, str], ...]:
        return self.pairs or tuple((s, t) for s in self.sources for t in self.targets)

    def property(self, name: str) -> Property | None:
        for prop in self.all_properties:
            if prop.name == name:
                return prop
        return None

    def describe_ends(self, arrow: str = " -> ") -> str:
        """The allowed endpoints as a person reads them: 'A/B -> C', or each pair where restricted."""
        if self.pairs:
            return ", ".join(f"{s}{arrow}{t}" for s, t in self.pairs)
        return f"{'/'.join(self.sources)}{arrow}{'/'.join(self.targets)}"

    def allows(self, source_label: str, target_label: str) -> bool:
        return (source_label, target_label) in self.endpoint_pairs


@dataclass(frozen=True)
class Schema:
    labels: dict[str, NodeLabel] = field(default_factory=dict)
    rel_types: dict[str, RelType] = field(default_factory=dict)

    def label(self, name: str) -> NodeLabel:
        try:
            return self.labels[name]
        except KeyError:  # the name is user input (a report parameter): shown cut, never 10 MB of it
            raise SchemaError(
                f"unknown label {name!r:.60}; known labels: {', '.join(self.labels)}"
            ) from None

    def rel_type(self, name: str) -> RelType:
        try:
            return self.rel_types[name]
        except KeyError:
            raise SchemaError(
                f"unknown relationship type {name!r:.60}; known types: {', '.join(self.rel_types)}"
            ) from None

    @property
    def portfolio_labels(self) -> list[str]:
        return [name for name, label in self.labels.items() if not label.system]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description, used by the ``schema`` command and the docs."""

        def props(items: Iterable[Property]) -> list[dict[str, Any]]:
            return [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "indexed": p.indexed,
                    "choices": list(p.choices),
                    "description": p.description,
                }
                for p in items
            ]

        return {
            "key": KEY,
            "vocabularies": {
                "project_status_phase": dict(PROJECT_STATUS_PHASE),
                "goal_comparators": dict(GOAL_COMPARATORS),
                "land_statuses": list(LAND_STATUSES),
                "land_ready_statuses": list(LAND_READY_STATUSES),
                "policy_kinds": list(POLICY_KINDS),
            },
            "labels": [
                {
                    "name": label.name,
                    "description": label.description,
                    "system": label.system,
                    "properties": props(label.all_properties),
                }
                for label in self.labels.values()
            ],
            "relationships": [
                {
                    "name": rel.name,
                    "description": rel.description,
                    "sources": list(rel.sources),
                    "targets": list(rel.targets),
                    "pairs": [list(pair) for pair in rel.endpoint_pairs] if rel.pairs else [],
                    "properties": props(rel.all_properties),
                }
                for rel in self.rel_types.values()
            ],
        }


def _labels(*items: NodeLabel) -> dict[str, NodeLabel]:
    return {item.name: item for item in items}


def _rels(*items: RelType) -> dict[str, RelType]:
    return {item.name: item for item in items}


SCHEMA = Schema(
    labels=_labels(
        NodeLabel(
            "Project",
            "A construction, industrial, commercial, renewal or public-service project, or a "
            "counted set of projects (kind=set) such as 10个市级重大工业项目.",
            (
                Property("kind", description="产业/商业/城市更新/TOD/公园绿道/学校/医院/消防/民生/集合(set)…"),
                Property("status", description="建设状态 as written; see PROJECT_STATUS_PHASE", indexed=True),
                Property("investment_yi", "float", "total investment in 亿元"),
                Property("level", description="项目级别: 省重点/市重大/市重点/街道…", indexed=True),
                Property("start", "date", "planned or actual start"),
                Property("planned_end", "date", "planned completion"),
                Property("duration_months", "int", "planned duration in months"),
                Property("year", "int", "the plan year the project is listed under"),
                Property("set_size", "int", "for kind=set: how many projects the source counts"),
                Property("area_mu", "float", "land area in 亩"),
                Property("length_km", "float", "length in 公里, for greenways and roads"),
            ),
        ),
        NodeLabel(
            "Enterprise",
            "A company: operator of projects, member of chain segments, possibly a 链主.",
            (
                Property("uscc", description="统一社会信用代码", indexed=True),
                Property("tags", "list[string]", "专精特新, 高企, 上市, 链主, 龙头…"),
                Property("industry", description="industry as the source names it"),
                Property("industry_code", description="GB/T 4754 class code (行业代码), four digits; 2011 or 2017 edition",
                         indexed=True),
                Property("industry_name", description="行业名称 as the registry writes it"),
                Property("business_scope", description="经营范围 as registered"),
                Property("products", "list[string]", "主营产品"),
                Property("address", description="注册地址"),
                Property("founded", "date", "成立日期"),
                Property("rejected_segments", "list[string]",
                         "ids of chain segments a reviewer refused for this enterprise; the matcher "
                         "does not propose them again"),
            ),
        ),
        NodeLabel(
            "Parcel",
            "A land parcel or land item: a 收储 plot, a reserve plot, a renewal unit's land.",
            (
                Property("area_mu", "float", "area in 亩"),
                Property("land_status", description="收储/储备/出让/历史遗留…", indexed=True),
                Property("set_size", "int", "for a counted set of parcels: how many the source counts"),
            ),
        ),
        NodeLabel(
            "Area",
            "A place: 片区, 社区, 商圈, 工业园, 轴带.",
            (
                Property("kind", description="片区/社区/商圈/工业园/轴带/水系", indexed=True),
                Property("area_ha", "float", "area in 公顷"),
            ),
        ),
        NodeLabel(
            "Policy",
            "A direction, strategy, programme, measure, plan or policy instrument of the plan; "
            "nested by PART_OF as the source nests them.",
            (
                Property("kind", description="方向/战略/工程/举措/计划/专项行动/政策; see POLICY_KINDS",
                         indexed=True, choices=POLICY_KINDS),
                Property("instrument", description="for kind 政策: 奖补/补贴/消费券/措施/管理办法… as written"),
                Property("amount_wan", "float", "total budget in 万元"),
                Property("max_award_wan", "float", "highest single award in 万元"),
                Property("year", "int", "year the policy is issued or applies to"),
            ),
        ),
        NodeLabel(
            "Fund",
            "A fund or budget line that finances policies.",
            (
                Property("amount_wan", "float", "size in 万元"),
                Property("year", "int", "year"),
                Property("annual", "bool", "true where the amount is per year"),
            ),
        ),
        NodeLabel(
            "Chain",
            "An industry chain (产业链) the district builds.",
            (Property("industry", description="industry the chain belongs to"),
             Property("template", description="the chain template applied to it (chain apply)")),
        ),
        NodeLabel(
            "ChainSegment",
            "A segment (环节) of an industry chain.",
            (Property("position", "int", "order within the chain, upstream first"),
             Property("stream", description="上游/中游/下游, from the chain template", choices=STREAMS),
             Property("template_segment", description="the template segment this segment is mapped to"),
             Property("template_order", "int", "order of that template segment, upstream first")),
        ),
        NodeLabel(
            "Goal",
            "A numeric goal, or a stated indicator with its actual value.",
            (
                Property("metric", description="what is measured", required=True),
                Property("target_value", "float", "the target"),
                Property("unit", description="unit of target and actual values"),
                Property("comparator", description="超/突破/以上/翻番…; see GOAL_COMPARATORS"),
                Property("year", "int", "year the target is due", indexed=True),
                Property("actual_value", "float", "the latest actual value"),
                Property("actual_year", "int", "year of the actual value"),
                Property("baseline_value", "float", "the value a relative goal grows from"),
            ),
        ),
        NodeLabel(
            "Plan",
            "A project's plan for one year (重点项目计划): annual planned investment, planned start and, "
            "where the plan is phased, the planned investment of each month. id = project id@year.",
            (
                Property("project_id", description="id of the planned project (项目编号)", required=True, indexed=True),
                Property("year", "int", "the plan's year (from a 年度 column, a 2023年计划投资 header or the file name)",
                         indexed=True),
                Property("owner", description="项目单位 as the plan writes it"),
                Property("content", description="建设内容及规模"),
                Property("period", description="建设起止年限, e.g. 2022-2024"),
                Property("total_wan", "float", "总投资 in 万元"),
                Property("prior_wan", "float", "至上年底累计完成投资 in 万元"),
                Property("planned_wan", "float", "年度计划投资 in 万元"),
                Property("planned_start", "date", "计划开工时间"),
                Property("planned_progress", description="年计划形象进度"),
            ) + tuple(Property(f"m{m:02d}_wan", "float", f"{m}月计划投资 in 万元 (a phased plan)")
                      for m in range(1, 13)),
        ),
        NodeLabel(
            "Progress",
            "One project's monthly progress report (月度进度): investment this month, year to date and since "
            "the start, actual start, 形象进度 and problems. id = project id@YYYY-MM; one per project and month.",
            (
                Property("project_id", description="id of the reported project (项目编号)", required=True, indexed=True),
                Property("month", "date", "统计月份, as the first day of the month", required=True, indexed=True),
                Property("year", "int", "the year of the month", indexed=True),
                Property("month_wan", "float", "本月完成投资 in 万元"),
                Property("ytd_wan", "float", "年度累计完成投资 in 万元"),
                Property("since_start_wan", "float", "自开工累计完成投资 in 万元"),
                Property("actual_start", "date", "实际开工时间"),
                Property("progress_text", description="形象进度"),
                Property("issues", description="存在问题"),
            ),
        ),
        NodeLabel(
            "Load",
            "One load of a file into the graph: the load history.",
            (
                Property("file", description="path of the loaded file"),
                Property("sha256", description="sha256 of the loaded file"),
                Property("loaded_at", description="UTC time as ISO 8601"),
                Property("rows", "int", "rows read"),
                Property("added", "int", "nodes and relationships added"),
                Property("changed", "int", "nodes and relationships changed"),
                Property("unchanged", "int", "nodes and relationships unchanged"),
                Property("missing", "int", "nodes of the same source absent from this load"),
                Property("pruned", "int", "nodes deleted by --prune"),
                Property("removed", "int", "links replaced because a row now names another target"),
                Property("encoding", description="encoding the CSV/JSON files were read in (utf-8, gb18030, cp950…)"),
            ),
            system=True,
        ),
        NodeLabel(
            "DemoRun",
            "The demo's mark: a fingerprint of what the demo wrote, so a later demo replaces only its own graph.",
            (
                Property("fingerprint", description="sha256 of every node and relationship the demo left"),
                Property("marked_at", description="UTC time as ISO 8601"),
            ),
            system=True,
        ),
        NodeLabel(
            "Change",
            "Field-level changes one load made to one label (or relationship type): parallel lists, one "
            "entry per changed field, or per added/removed node or link. Written by every load.",
            (
                Property("at", description="the load's UTC time as ISO 8601", indexed=True),
                Property("kind", description="node | relationship"),
                Property("label", description="the label or relationship type", indexed=True),
                Property("entity_ids", "list[string]", "id of the node (or 'from -> to') of each entry"),
                Property("ends", "list[string]", "for relationships: both end ids of every entry, flattened "
                         "(from, to, from, to …), so one node's changes are found without unpacking"),
                Property("statuses", "list[string]", "added | changed | missing | pruned | removed, per entry"),
                Property("fields", "list[string]", "the field that changed, per entry ('' for a whole node)"),
                Property("old_values", "list[string]", "the old value as JSON, per entry"),
                Property("new_values", "list[string]", "the new value as JSON, per entry"),
            ),
            system=True,
        ),
    ),
    rel_types=_rels(
        RelType("DEPENDS_ON", "The source cannot be ready (a project finished, an area's or chain's "
                "development under way, a goal reached) before the target is ready.",
                DEPENDABLE_SOURCES, ("Project", "Parcel", "Policy")),
        RelType("USES_PARCEL", "The project is built on the parcel.", ("Project",), ("Parcel",)),
        RelType("LOCATED_IN", "The node lies in the area.",
                ("Project", "Enterprise", "Parcel", "Area"), ("Area",)),
        RelType("CONTAINS", "The area contains the node.", ("Area",), ("Area", "Project", "Parcel")),
        RelType("OPERATED_BY", "The enterprise builds or runs the project.", ("Project",), ("Enterprise",)),
        RelType("IN_SEGMENT", "The enterprise works in the chain segment.", ("Enterprise",), ("ChainSegment",),
                IN_SEGMENT_PROPERTIES),
        RelType("PART_OF", "The segment belongs to the chain; the measure or programme belongs to the "
                "programme, strategy or direction it is listed under.",
                ("ChainSegment", "Policy"), ("Chain", "Policy"),
                pairs=(("ChainSegment", "Chain"), ("Policy", "Policy"))),
        RelType("UPSTREAM_OF", "The segment feeds the next one downstream.", ("ChainSegment",), ("ChainSegment",)),
        RelType("ANCHORS", "The enterprise is the chain's 链主.", ("Enterprise",), ("Chain",)),
        RelType("IN_CHAIN", "The project or enterprise belongs to the chain or one of its segments.",
                ("Project", "Enterprise"), ("Chain", "ChainSegment")),
        RelType("MEMBER_OF", "A named member of a counted set (a Project or Parcel with set_size).",
                ("Project", "Parcel"), ("Project", "Parcel")),
        RelType("SUPPORTS", "The policy supports the node.", ("Policy",), ("Project", "Enterprise", "Chain")),
        RelType("FUNDS", "The fund finances the policy or project.", ("Fund",), ("Policy", "Project")),
        RelType("PARTICIPATES_IN", "The area (a 社区 or the 街道) or enterprise takes part in the "
                "programme, policy or project.", ("Area", "Enterprise"), ("Policy", "Project")),
        RelType("COVERS", "The policy or programme applies to the parcel or area.", ("Policy",), ("Parcel", "Area")),
        RelType("PLAN_OF", "The year plan is the project's.", ("Plan",), ("Project",)),
        RelType("PROGRESS_OF", "The monthly progress report is the project's.", ("Progress",), ("Project",)),
        RelType("CONTRIBUTES_TO", "The node contributes to reaching the goal.",
                ("Project", "Chain", "Enterprise", "Area", "Policy"), ("Goal",)),
    ),
)


def phase_of(status: str | None) -> str:
    """The phase a project status word means; unknown or empty statuses count as not started."""
    if not status:
        return "not_started"
    return PROJECT_STATUS_PHASE.get(status, "not_started")

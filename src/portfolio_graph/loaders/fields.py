"""The words stewards use for labels, properties and links, as data checked against the schema.

Property names are never listed here as such: every property the schema declares is accepted
as its own header. These tables only add the Chinese (and extra English) words, keyed by the
schema's names, and ``check_tables`` (run at import) fails if one names something the schema
does not have, so a rename in ``graph/schema.py`` cannot leave a silent gap here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from ..graph.schema import KEY, NODE_COMMON, SCHEMA, Schema
from .schedule_fields import SCHEDULE_LABEL_WORDS, SCHEDULE_TABLE_WORDS

# Headers that mean a property on any label that has it.
PROPERTY_WORDS: dict[str, tuple[str, ...]] = {
    KEY: ("编号", "代码", "编码", "标识", "key"),
    "name": ("名称", "全称"),
    "aliases": ("别名", "简称", "曾用名", "又名"),
    "notes": ("备注", "说明", "情况说明", "备注说明", "remark", "remarks"),
    "source": ("来源", "数据来源", "信息来源"),
    "kind": ("类型", "类别", "种类", "项目类型", "项目类别"),
    "status": ("建设状态", "状态", "项目状态", "进展状态", "进度"),
    "investment_yi": ("总投资", "投资额", "计划总投资", "投资总额", "总投资额", "项目总投资"),
    "level": ("项目级别", "级别", "层级"),
    "start": ("计划开工", "计划开工时间", "开工时间", "开工日期", "计划开工日期", "开工"),
    "planned_end": ("计划竣工", "计划竣工时间", "竣工时间", "竣工日期", "计划完工", "完工时间", "计划建成"),
    "duration_months": ("建设周期", "工期"),
    "year": ("年度", "年份", "计划年度"),
    "set_size": ("项目个数", "项目数"),
    "area_mu": ("用地面积", "占地面积", "面积", "土地面积"),
    "area_ha": ("面积", "规划面积", "占地面积"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码"),
    "tags": ("标签", "企业标签", "资质", "企业资质", "荣誉"),
    "industry": ("行业", "所属行业", "产业", "行业类别"),
    "industry_code": ("行业代码", "国民经济行业代码", "行业分类代码", "所属行业代码", "国标行业代码"),
    "industry_name": ("行业名称", "国民经济行业名称", "行业分类名称", "国标行业"),
    "business_scope": ("经营范围", "主营业务", "业务范围"),
    "products": ("主营产品", "主要产品", "产品", "主导产品"),
    "address": ("注册地址", "地址", "住所", "企业地址", "经营地址"),
    "founded": ("成立日期", "成立时间", "注册日期", "成立年份"),
    "land_status": ("土地状态", "用地状态", "状态", "地块状态"),
    "position": ("顺序", "环节顺序", "序位"),
    "amount_wan": ("金额", "资金规模", "预算", "规模", "总额"),
    "max_award_wan": ("最高奖励", "单项最高", "最高补助"),
    "annual": ("每年", "按年"),
    "metric": ("指标", "指标名称"),
    "target_value": ("目标值", "目标"),
    "unit": ("单位", "计量单位"),
    "comparator": ("比较", "比较方式"),
    "actual_value": ("实际值", "完成值"),
    "actual_year": ("实际年度",),
    "baseline_value": ("基数", "基期值"),
    "inferred": ("推断", "是否推断"),
    "inferred_reason": ("推断理由", "推断依据"),
    "section": ("章节",),
    "quote": ("原文", "引文"),
}

# Headers that mean a property only on one label; they also point label inference at it.
LABEL_PROPERTY_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "Project": {KEY: ("项目编号", "项目代码", "项目id"), "name": ("项目名称", "项目")},
    "Enterprise": {KEY: ("企业编号", "企业代码", "企业id"), "name": ("企业名称", "公司名称", "单位名称", "企业")},
    "Parcel": {KEY: ("地块编号", "地块代码", "宗地编号"), "name": ("地块名称", "宗地名称", "地块")},
    "Area": {KEY: ("片区编号", "区域编号"), "name": ("片区名称", "区域名称", "片区")},
    "Policy": {KEY: ("政策编号",), "name": ("政策名称", "政策")},
    "Fund": {KEY: ("资金编号", "基金编号"), "name": ("资金名称", "基金名称")},
    "Chain": {KEY: ("产业链编号",), "name": ("产业链名称", "产业链")},
    "ChainSegment": {KEY: ("环节编号",), "name": ("环节名称", "环节")},
    "Goal": {KEY: ("目标编号", "指标编号"), "name": ("目标名称",)},
    **SCHEDULE_LABEL_WORDS,
}


@dataclass(frozen=True)
class LinkField:
    """A column whose cells name other nodes: each name or id becomes a relationship."""

    name: str
    target: str
    rel_types: tuple[str, ...]  # the first one the schema allows from the row's label is used
    words: tuple[str, ...]

    def rel_type_for(self, label: str, schema: Schema = SCHEMA) -> str | None:
        for rel_type in self.rel_types:
            if schema.rel_type(rel_type).allows(label, self.target):
                return rel_type
        return None


LINK_FIELDS: dict[str, LinkField] = {
    link.name: link
    for link in (
        LinkField("area", "Area", ("LOCATED_IN",),
                  ("所属片区", "片区", "所在片区", "所属区域", "区域", "所在区域", "所属园区", "园区", "所在地")),
        LinkField("operator", "Enterprise", ("OPERATED_BY",),
                  ("建设单位", "责任单位", "业主单位", "实施主体", "建设主体", "实施单位", "运营单位",
                   "企业名称", "企业", "项目业主", "投资主体")),
        LinkField("chain", "Chain", ("IN_CHAIN",), ("所属产业链", "产业链")),
        LinkField("segment", "ChainSegment", ("IN_CHAIN", "IN_SEGMENT"),
                  ("产业链环节", "所属环节", "环节", "链条环节")),
        LinkField("parcel", "Parcel", ("USES_PARCEL",), ("地块", "地块编号", "所用地块", "用地地块", "宗地")),
        LinkField("member_of", "Project", ("MEMBER_OF",), ("所属项目集", "所属集合")),
    )
}

# Columns of a relationship table.
ENDPOINT_WORDS: dict[str, tuple[str, ...]] = {
    "from_id": ("起点编号", "起点id", "起点", "源编号", "源", "from", "source_id", "start_id"),
    "to_id": ("终点编号", "终点id", "终点", "目标编号", "目标节点", "to", "target_id", "end_id"),
    "from_label": ("起点类型", "起点标签", "源类型", "from_type", "source_label"),
    "to_label": ("终点类型", "终点标签", "目标类型", "to_type", "target_label"),
    "type": ("关系类型", "关系", "类型", "rel_type", "relationship", "relation"),
}
ENDPOINT_FIELDS = tuple(ENDPOINT_WORDS)

# Columns that only number the rows; dropped without a warning.
IGNORED_WORDS = frozenset({"序号", "行号", "no", "no.", "#", "index", "排序"})

# Sheet and file names per label, besides the label's own name and its plural.
LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "Project": ("项目", "重点项目", "项目清单", "项目库", "项目表", "重大项目"),
    "Enterprise": ("企业", "企业名录", "企业清单", "企业库", "公司", "companies"),
    "Parcel": ("地块", "土地", "用地", "宗地", "parcels"),
    "Area": ("片区", "区域", "园区", "areas"),
    "Policy": ("政策", "policies"),
    "Fund": ("资金", "基金", "funds"),
    "Chain": ("产业链", "chains"),
    "ChainSegment": ("环节", "产业链环节", "segments", "chain_segments"),
    "Goal": ("目标", "指标", "goals"),
    **SCHEDULE_TABLE_WORDS,
}
RELATIONSHIP_WORDS = ("关系", "关联", "链接", "关系表", "rels", "relationships", "links", "edges", "relations")

# Relationship type names as stewards write them in a 关系类型 column.
REL_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "DEPENDS_ON": ("依赖", "前置"),
    "USES_PARCEL": ("使用地块", "用地"),
    "LOCATED_IN": ("位于", "所在", "属于片区"),
    "CONTAINS": ("包含",),
    "OPERATED_BY": ("建设单位", "由…建设", "运营"),
    "IN_SEGMENT": ("属于环节", "所属环节"),
    "PART_OF": ("属于产业链", "组成"),
    "UPSTREAM_OF": ("上游",),
    "ANCHORS": ("链主",),
    "IN_CHAIN": ("所属产业链",),
    "MEMBER_OF": ("成员",),
    "SUPPORTS": ("支持", "扶持"),
    "FUNDS": ("资助", "资金支持"),
    "CONTRIBUTES_TO": ("贡献", "支撑目标"),
}

_UNIT = re.compile(r"^(?P<base>.*?)[(\[](?P<unit>[^()\[\]]*)[)\]]$")


def fold_once(text: str) -> str:
    """How headers and names are compared: NFKC (full-width to ASCII), no spaces, lower case.

    str.split() and the regex \\s agree on what is whitespace (both use Py_UNICODE_ISSPACE).
    """
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


# Cached: a relationship file repeats the same few label and type words on every row. Names that
# are each folded once (a load's node names) use fold_once and leave the cache to those words.
fold = functools.lru_cache(maxsize=1 << 16)(fold_once)


def split_unit(header: str) -> tuple[str, str | None]:
    """'总投资（万元）' -> ('总投资', '万元'); a header without brackets has no unit."""
    folded = fold(header)
    match = _UNIT.match(folded)
    if match and match.group("base"):
        return match.group("base"), match.group("unit") or None
    return folded, None


def check_tables(schema: Schema = SCHEMA) -> None:
    every_property = {p.name for label in schema.labels.values() for p in label.all_properties}
    every_property |= {p.name for rel in schema.rel_types.values() for p in rel.all_properties}
    for name in PROPERTY_WORDS:
        if name not in every_property:
            raise AssertionError(f"loaders/fields.py: {name!r} is not a schema property")
    for label, words in LABEL_PROPERTY_WORDS.items():
        for name in words:
            if schema.label(label).property(name) is None:
                raise AssertionError(f"loaders/fields.py: {label}.{name} is not a schema property")
    for link in LINK_FIELDS.values():
        schema.label(link.target)
        for rel_type in link.rel_types:
            if link.target not in schema.rel_type(rel_type).targets:
                raise AssertionError(f"loaders/fields.py: {rel_type} cannot point at {link.target}")
        if link.name in every_property:
            raise AssertionError(f"loaders/fields.py: link {link.name!r} shadows a property")
    for label in LABEL_WORDS:
        schema.label(label)
    for rel_type in REL_TYPE_WORDS:
        schema.rel_type(rel_type)


check_tables()

COMMON_NAMES = frozenset(p.name for p in NODE_COMMON)


# Word tables per schema object (a Schema holds dicts, so it cannot be an lru_cache key).
_WORD_TABLES: dict[tuple[str, int], dict[str, str]] = {}


def _cached_table(kind: str, schema: Schema, build: Callable[[Schema], dict[str, str]]) -> dict[str, str]:
    key = (kind, id(schema))
    if key not in _WORD_TABLES:
        _WORD_TABLES[key] = build(schema)
    return _WORD_TABLES[key]


def label_words(schema: Schema = SCHEMA) -> dict[str, str]:
    """Folded sheet/file word -> label: the label's name, its plural, snake_case and LABEL_WORDS."""
    return _cached_table("label", schema, _build_label_words)


def _build_label_words(schema: Schema) -> dict[str, str]:
    words: dict[str, str] = {}
    for label in schema.portfolio_labels:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", label).lower()
        for word in (label, label + "s", snake, snake + "s", *LABEL_WORDS.get(label, ())):
            words[fold(word)] = label
    return words


def rel_type_words(schema: Schema = SCHEMA) -> dict[str, str]:
    return _cached_table("rel_type", schema, _build_rel_type_words)


def _build_rel_type_words(schema: Schema) -> dict[str, str]:
    words = {fold(name): name for name in schema.rel_types}
    for name, extra in REL_TYPE_WORDS.items():
        words.update({fold(word): name for word in extra})
    return words


def label_of_word(text: str, schema: Schema = SCHEMA) -> str | None:
    """A label named by a cell or a sheet: 'Project', '项目', 'projects'."""
    return label_words(schema).get(fold(text))

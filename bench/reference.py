"""The generated files read the way a hand-written import script would: a fixed column map, no
header detection, no validation, no diff. This is the input of the engines' fast paths.

It must build the same graph as ``portfolio-graph load`` does from the same files (same nodes,
properties and relationships, provenance aside); ``run.py`` compares the counts per label and
relationship type after every path.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

# Label -> (file, [(header, property, converter)])
Conv = Callable[[str], Any]


def _str(v: str) -> str:
    return v


def _tags(v: str) -> list[str]:
    return [p for p in v.split("、") if p]


NODE_COLUMNS: dict[str, tuple[str, list[tuple[str, str, Conv]]]] = {
    "Chain": ("产业链.csv", [("产业链编号", "id", _str), ("产业链名称", "name", _str), ("行业", "industry", _str)]),
    "ChainSegment": ("产业链环节.csv", [("环节编号", "id", _str), ("环节名称", "name", _str), ("顺序", "position", int)]),
    "Area": ("片区.csv", [("片区编号", "id", _str), ("片区名称", "name", _str), ("类型", "kind", _str),
                          ("面积(公顷)", "area_ha", float)]),
    "Parcel": ("地块.csv", [("地块编号", "id", _str), ("地块名称", "name", _str), ("用地面积(亩)", "area_mu", float),
                            ("土地状态", "land_status", _str)]),
    "Policy": ("政策.csv", [("政策编号", "id", _str), ("政策名称", "name", _str), ("类型", "kind", _str),
                            ("金额(万元)", "amount_wan", float), ("年度", "year", int)]),
    "Goal": ("目标.csv", [("目标编号", "id", _str), ("目标名称", "name", _str), ("指标", "metric", _str),
                          ("目标值", "target_value", float), ("单位", "unit", _str), ("年度", "year", int)]),
    "Enterprise": ("企业名录.csv", [("企业编号", "id", _str), ("企业名称", "name", _str),
                                   ("统一社会信用代码", "uscc", _str), ("企业标签", "tags", _tags),
                                   ("所属行业", "industry", _str)]),
    "Project": ("重点项目.csv", [("项目编号", "id", _str), ("项目名称", "name", _str), ("项目类型", "kind", _str),
                                ("总投资(亿元)", "investment_yi", float), ("建设状态", "status", _str),
                                ("计划开工", "start", _str), ("计划竣工", "planned_end", _str),
                                ("项目级别", "level", _str), ("年度", "year", int)]),
}
NODE_ORDER = ("Chain", "ChainSegment", "Area", "Parcel", "Policy", "Goal", "Enterprise", "Project")


def segment_rel_type() -> str:
    """The type the loader gives an Enterprise -> ChainSegment link (产业链环节 column)."""
    try:
        from portfolio_graph.loaders.fields import LINK_FIELDS

        return LINK_FIELDS["segment"].rel_type_for("Enterprise") or "IN_SEGMENT"
    except Exception:  # the loader's tables changed shape: fall back to the schema's own word
        return "IN_SEGMENT"


# Label -> [(header, rel type, target label, how the cell names the target: "name" or "id")]
LINK_COLUMNS: dict[str, list[tuple[str, str, str, str]]] = {
    "Enterprise": [("所属产业链", "IN_CHAIN", "Chain", "name"), ("产业链环节", "@segment", "ChainSegment", "name"),
                   ("所属片区", "LOCATED_IN", "Area", "name")],
    "Project": [("所属片区", "LOCATED_IN", "Area", "name"), ("建设单位", "OPERATED_BY", "Enterprise", "name"),
                ("所属产业链", "IN_CHAIN", "Chain", "name"), ("用地地块", "USES_PARCEL", "Parcel", "id")],
}
REL_FILES = ("关系_产业链结构.csv", "关系_片区包含.csv", "关系_链主.csv", "关系_项目依赖.csv",
             "关系_政策支持.csv", "关系_目标贡献.csv")
LABEL_WORDS = {"项目": "Project", "企业": "Enterprise", "地块": "Parcel", "片区": "Area", "政策": "Policy",
               "产业链": "Chain", "环节": "ChainSegment", "目标": "Goal"}
REL_WORDS = {"依赖": "DEPENDS_ON", "属于产业链": "PART_OF", "上游": "UPSTREAM_OF", "链主": "ANCHORS",
             "支持": "SUPPORTS", "贡献": "CONTRIBUTES_TO", "包含": "CONTAINS"}


@dataclass
class Dataset:
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (type, from_label, to_label) -> [(from_id, to_id)]
    rels: dict[tuple[str, str, str], list[tuple[str, str]]] = field(default_factory=dict)
    file_rows: int = 0

    @property
    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def rel_count(self) -> int:
        return sum(len(v) for v in self.rels.values())

    def counts(self) -> dict[str, dict[str, int]]:
        labels = {label: len(rows) for label, rows in self.nodes.items()}
        types: dict[str, int] = {}
        for (rel_type, _, _), rows in self.rels.items():
            types[rel_type] = types.get(rel_type, 0) + len(rows)
        return {"labels": labels, "relationships": types}


def _rows(path: Path) -> tuple[list[str], Any]:
    handle = path.open(encoding="utf-8", newline="")
    reader = csv.reader(handle)
    return next(reader), (reader, handle)


def read_dataset(data_dir: Path) -> Dataset:
    data = Dataset()
    by_name: dict[str, dict[str, str]] = {}
    segment_type = segment_rel_type()
    pending_links: list[tuple[str, str, str, str, str]] = []  # (type, from_label, from_id, to_label, ref-by-name)
    for label in NODE_ORDER:
        file_name, columns = NODE_COLUMNS[label]
        header, (reader, handle) = _rows(data_dir / file_name)
        plan = [(header.index(h), prop, conv) for h, prop, conv in columns]
        links = [(header.index(h), (segment_type if t == "@segment" else t), target, how)
                 for h, t, target, how in LINK_COLUMNS.get(label, [])]
        out: list[dict[str, Any]] = []
        names: dict[str, str] = {}
        with handle:
            for cells in reader:
                data.file_rows += 1
                props = {}
                for index, prop, conv in plan:
                    raw = cells[index]
                    if raw != "":
                        value = conv(raw)
                        if value != []:
                            props[prop] = value
                out.append(props)
                names[props["name"]] = props["id"]
                for index, rel_type, target, how in links:
                    ref = cells[index]
                    if ref:
                        if how == "id":
                            data.rels.setdefault((rel_type, label, target), []).append((props["id"], ref))
                        else:
                            pending_links.append((rel_type, label, props["id"], target, ref))
        data.nodes[label] = out
        by_name[label] = names
    for rel_type, from_label, from_id, target, ref in pending_links:
        data.rels.setdefault((rel_type, from_label, target), []).append((from_id, by_name[target][ref]))
    for file_name in REL_FILES:
        header, (reader, handle) = _rows(data_dir / file_name)
        fl, fi, ty, tl, ti = (header.index(h) for h in ("起点类型", "起点编号", "关系类型", "终点类型", "终点编号"))
        with handle:
            for cells in reader:
                data.file_rows += 1
                key = (REL_WORDS[cells[ty]], LABEL_WORDS[cells[fl]], LABEL_WORDS[cells[tl]])
                data.rels.setdefault(key, []).append((cells[fi], cells[ti]))
    return data

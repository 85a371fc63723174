"""A deterministic synthetic portfolio, written as the files a data steward would load.

    python bench/generate.py --scale S|M|L [--out bench/data/S]

Same seed, same bytes: every value comes from one ``random.Random`` per file, seeded from the
scale's seed and the file's name, and the xlsx workbook is written with fixed timestamps.

Files (UTF-8 CSV with Chinese headers the loader maps, plus one workbook):

- 产业链.csv, 产业链环节.csv       50 chains x 8 segments (every scale)
- 片区.csv                         towns (镇街) and the 片区 inside them
- 企业名录.csv                     enterprises: 企业名称, 统一社会信用代码, 所属产业链, 产业链环节 ...
- 重点项目.csv / 重点项目.xlsx      projects: 项目名称, 项目编号, 总投资(亿元), 建设状态 ... (same rows)
- 地块.csv, 政策.csv, 目标.csv
- 关系_产业链结构.csv              PART_OF and UPSTREAM_OF
- 关系_链主.csv                    ANCHORS
- 关系_项目依赖.csv                DEPENDS_ON: project -> earlier project (a DAG by construction),
                                   project -> parcel, project -> policy
- 关系_片区包含.csv                CONTAINS (town -> 片区)
- 关系_政策支持.csv                SUPPORTS
- 关系_目标贡献.csv                CONTRIBUTES_TO
- schedule/2023年重点项目计划.csv  the plan of every project, phased for some (schedule/synthetic.py)
- schedule/2023年N月重点项目进度.csv one monthly progress report per month, N = 1…12

Link columns (所属片区, 建设单位, 所属产业链, 产业链环节, 用地地块) hold names or ids, as stewards
write them; the loader turns them into LOCATED_IN, OPERATED_BY, IN_CHAIN/IN_SEGMENT, USES_PARCEL.
Values are clean (ISO dates, plain numbers with the unit in the header) so that every load path,
including the engines' own CSV importers, can build the same graph from them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import sys
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from portfolio_graph.loaders.read import sha256_of  # the checksum the loader records

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class Scale:
    name: str
    enterprises: int
    projects: int
    parcels: int
    towns: int
    areas_per_town: int
    policies: int
    goals: int
    chains: int = 50
    segments_per_chain: int = 8
    seed: int = 20230101
    xlsx: bool = True  # also write the project list as a workbook

    @property
    def areas(self) -> int:
        return self.towns * (1 + self.areas_per_town)


SCALES: dict[str, Scale] = {
    # A district (东城 has over 110,000 market entities; these are the ones in the portfolio).
    "S": Scale("S", enterprises=10_000, projects=2_000, parcels=1_000, towns=4, areas_per_town=5,
               policies=50, goals=100),
    "M": Scale("M", enterprises=100_000, projects=20_000, parcels=10_000, towns=8, areas_per_town=8,
               policies=200, goals=300),
    # A city: more than a million market entities.
    "L": Scale("L", enterprises=1_000_000, projects=100_000, parcels=50_000, towns=33, areas_per_town=10,
               policies=1_000, goals=1_000),
}

# A tiny scale for the smoke test.
TINY = Scale("T", enterprises=300, projects=80, parcels=40, towns=2, areas_per_town=2, policies=6, goals=8)

# -- vocabulary -----------------------------------------------------------------------------------

CHAIN_NAMES = (
    "新能源汽车", "储能电池", "集成电路", "芯片封装检测", "人工智能", "生物医药", "高端装备", "工业机器人",
    "智能终端", "新型显示", "半导体材料", "光通信", "5G通信", "物联网", "软件与信息服务", "大数据",
    "云计算", "网络安全", "精密模具", "数控机床", "激光装备", "无人机", "卫星导航", "智能家居",
    "医疗器械", "高端食品", "纺织服装", "家具制造", "新材料", "石墨烯", "氢能", "光伏",
    "节能环保", "智能制造", "电子元器件", "印刷电路板", "传感器", "可穿戴设备", "智能网联汽车",
    "动力电池回收", "现代物流", "跨境电商", "文化创意", "数字内容", "工业互联网", "区块链",
    "虚拟现实", "超高清视频", "检验检测", "现代农业",
)
SEGMENT_STAGES = ("原材料", "关键零部件", "核心器件", "设计研发", "生产制造", "封装测试", "系统集成", "应用服务")
TOWNS = (
    "东城", "南城", "莞城", "万江", "石碣", "石龙", "茶山", "石排", "企石", "横沥", "桥头", "谢岗",
    "东坑", "常平", "寮步", "樟木头", "大朗", "黄江", "清溪", "塘厦", "凤岗", "大岭山", "长安", "虎门",
    "厚街", "沙田", "道滘", "洪梅", "麻涌", "望牛墩", "中堂", "高埗", "松山湖",
)
AREA_WORDS = ("北", "南", "东", "西", "中心", "滨江", "科技园", "产业园", "新城", "旧村")
# 64 characters that read well in a company or project brand name.
BRAND_CHARS = (
    "华信达通利恒盛安泰丰源鑫宏昌隆兴瑞祥和嘉汇德润康宝金辉凯博创鸿明光远航科智聚力"
    "星宇腾飞中天海云山林大新联合益永富荣景旭晟峰美佳顺"
)
assert len(BRAND_CHARS) == 64 and len(set(BRAND_CHARS)) == 64
INDUSTRY_WORDS = ("科技", "电子", "精密", "智能", "新材料", "实业", "制造", "信息技术", "生物", "能源")
COMPANY_FORMS = ("有限公司", "股份有限公司", "有限公司", "有限公司")
ENTERPRISE_TAGS = ("专精特新", "高企", "规上", "上市", "小巨人", "倍增计划", "瞪羚")
PROJECT_KINDS = ("产业", "商业", "城市更新", "TOD", "公园绿道", "学校", "医院", "民生", "基础设施")
PROJECT_WORDS = ("总部", "研发中心", "生产基地", "产业园", "智造中心", "扩建", "技改", "二期", "综合体")
PROJECT_STATUSES = ("谋划", "洽谈", "签约", "前期", "在建", "在建", "在建", "推进", "延期", "受阻", "建成", "投产")
PROJECT_LEVELS = ("省重点", "市重大", "市重点", "市重点", "区重点", "街道", "街道")
LAND_STATUSES = ("收储", "储备", "出让", "已出让", "历史遗留", "征收", "更新", "在用")
POLICY_KINDS = ("政策", "计划", "专项行动", "战略")  # graph/schema.py POLICY_KINDS
GOAL_METRICS = (
    ("工业总产值", "亿元"), ("规上工业增加值", "亿元"), ("高企数量", "家"), ("专精特新企业数", "家"),
    ("固定资产投资", "亿元"), ("新增就业", "人"), ("研发投入", "亿元"), ("招商引资额", "亿元"),
)

# Headers, in file order. Each is a word the loader's header table (loaders/fields.py) maps.
CHAIN_HEADERS = ("产业链编号", "产业链名称", "行业")
SEGMENT_HEADERS = ("环节编号", "环节名称", "顺序")
AREA_HEADERS = ("片区编号", "片区名称", "类型", "面积(公顷)")
ENTERPRISE_HEADERS = ("企业编号", "企业名称", "统一社会信用代码", "所属产业链", "产业链环节", "所属片区",
                      "企业标签", "所属行业")
PROJECT_HEADERS = ("项目编号", "项目名称", "项目类型", "总投资(亿元)", "建设状态", "所属片区", "建设单位",
                   "计划开工", "计划竣工", "项目级别", "所属产业链", "用地地块", "年度")
PARCEL_HEADERS = ("地块编号", "地块名称", "用地面积(亩)", "土地状态")
POLICY_HEADERS = ("政策编号", "政策名称", "类型", "金额(万元)", "年度")
GOAL_HEADERS = ("目标编号", "目标名称", "指标", "目标值", "单位", "年度")
REL_HEADERS = ("起点类型", "起点编号", "关系类型", "终点类型", "终点编号")

# Label and relationship words as they appear in the relationship files' cells.
LABEL_CN = {"Project": "项目", "Enterprise": "企业", "Parcel": "地块", "Area": "片区", "Policy": "政策",
            "Chain": "产业链", "ChainSegment": "环节", "Goal": "目标"}
REL_CN = {"DEPENDS_ON": "依赖", "PART_OF": "属于产业链", "UPSTREAM_OF": "上游", "ANCHORS": "链主",
          "SUPPORTS": "支持", "CONTRIBUTES_TO": "贡献", "CONTAINS": "包含"}

# -- deterministic helpers ------------------------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(body17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015)."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def uscc_for(index: int) -> str:
    # 9 = registered by market regulation, 1 = enterprise, 441900 = 东莞; the 9-character
    # organisation code is a bijection of the index, so codes are unique.
    code = (index * 2_654_435_761 + 9_876_543_210_123) % (31 ** 9)
    digits = []
    for _ in range(9):
        code, rem = divmod(code, 31)
        digits.append(USCC_CHARS[rem])
    body = "91441900" + "".join(digits)
    return body + uscc_check_char(body)


def brand(index: int, width: int = 4) -> str:
    """A unique brand of ``width`` characters for each index (a bijection on 64**width)."""
    space = 64 ** width
    code = (index * 40_503 + 7_919) % space  # odd multiplier: a permutation of range(space)
    chars = []
    for _ in range(width):
        code, rem = divmod(code, 64)
        chars.append(BRAND_CHARS[rem])
    return "".join(chars)


def rng_for(scale: Scale, what: str) -> random.Random:
    digest = hashlib.sha256(f"{scale.seed}:{scale.name}:{what}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def iso(rng: random.Random, first_year: int, last_year: int) -> str:
    return f"{rng.randint(first_year, last_year)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# -- the portfolio, as rows ---------------------------------------------------------------------


@dataclass
class Ids:
    chains: list[tuple[str, str]]  # (id, name)
    segments: list[list[tuple[str, str]]]  # per chain, upstream first
    towns: list[tuple[str, str]]
    areas: list[tuple[str, str]]  # 片区 (towns excluded)
    parcels: list[str]
    policies: list[str]
    goals: list[str]


def enterprise_id(i: int) -> str:
    return f"E{i + 1:07d}"


def enterprise_name(i: int) -> str:
    return f"东莞市{brand(i)}{INDUSTRY_WORDS[i % len(INDUSTRY_WORDS)]}{COMPANY_FORMS[(i // 7) % 4]}"


def project_id(i: int) -> str:
    return f"P{i + 1:06d}"


def build_ids(scale: Scale) -> Ids:
    chains = [(f"C{c + 1:02d}", CHAIN_NAMES[c % len(CHAIN_NAMES)] + ("" if c < len(CHAIN_NAMES) else str(c)))
              for c in range(scale.chains)]
    segments = [
        [(f"{cid}-S{s + 1}", f"{cname}·{SEGMENT_STAGES[s % len(SEGMENT_STAGES)]}{'' if s < len(SEGMENT_STAGES) else s}")
         for s in range(scale.segments_per_chain)]
        for cid, cname in chains
    ]
    towns = [(f"T{t + 1:02d}", TOWNS[t % len(TOWNS)] + ("街道" if t < 4 else "镇") + ("" if t < len(TOWNS) else str(t)))
             for t in range(scale.towns)]
    areas = []
    for t, (_, tname) in enumerate(towns):
        short = tname.removesuffix("街道").removesuffix("镇")
        for a in range(scale.areas_per_town):
            word = AREA_WORDS[a % len(AREA_WORDS)]
            areas.append((f"A{t + 1:02d}{a + 1:02d}", f"{short}{word}{'' if a < len(AREA_WORDS) else a}片区"))
    return Ids(
        chains=chains, segments=segments, towns=towns, areas=areas,
        parcels=[f"PC{i + 1:06d}" for i in range(scale.parcels)],
        policies=[f"POL{i + 1:04d}" for i in range(scale.policies)],
        goals=[f"G{i + 1:04d}" for i in range(scale.goals)],
    )


def chain_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    for c, (cid, cname) in enumerate(ids.chains):
        yield [cid, cname, cname.rstrip("0123456789")]


def segment_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    for chain in ids.segments:
        for position, (sid, sname) in enumerate(chain, start=1):
            yield [sid, sname, position]


def area_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "areas")
    for tid, tname in ids.towns:
        yield [tid, tname, "街道" if tname.endswith("街道") else "镇", round(rng.uniform(800, 12000), 2)]
    for aid, aname in ids.areas:
        yield [aid, aname, "片区", round(rng.uniform(20, 600), 2)]


def enterprise_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "enterprises")
    for i in range(scale.enterprises):
        chain_cell = segment_cell = ""
        if rng.random() < 0.7:
            c = rng.randrange(len(ids.chains))
            chain_cell = ids.chains[c][1]
            if rng.random() < 0.8:
                segment_cell = rng.choice(ids.segments[c])[1]
        area = rng.choice(ids.areas)[1]
        tags = "、".join(sorted(rng.sample(ENTERPRISE_TAGS, rng.choice((0, 0, 1, 1, 2, 3))),
                               key=ENTERPRISE_TAGS.index))
        yield [enterprise_id(i), enterprise_name(i), uscc_for(i), chain_cell, segment_cell, area, tags,
               INDUSTRY_WORDS[i % len(INDUSTRY_WORDS)]]


def project_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "projects")
    for i in range(scale.projects):
        area_id, area = rng.choice(ids.areas)
        kind = rng.choice(PROJECT_KINDS)
        operator = enterprise_name(rng.randrange(scale.enterprises)) if rng.random() < 0.9 else ""
        start_year = rng.randint(2019, 2026)
        start = f"{start_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        end = f"{start_year + rng.randint(1, 4)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        investment = round(rng.lognormvariate(1.0, 1.2), 2)
        chain = rng.choice(ids.chains)[1] if kind == "产业" or rng.random() < 0.2 else ""
        parcel = rng.choice(ids.parcels) if rng.random() < 0.5 else ""
        name = f"{area.removesuffix('片区')}{brand(i + 5_000_000, 3)}{rng.choice(PROJECT_WORDS)}项目"
        yield [project_id(i), name, kind, investment, rng.choice(PROJECT_STATUSES), area, operator,
               start, end, rng.choice(PROJECT_LEVELS), chain, parcel, min(start_year, 2025)]


def parcel_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "parcels")
    for i, pid in enumerate(ids.parcels):
        yield [pid, f"{rng.choice(ids.areas)[1]}{i + 1}号地块", round(rng.uniform(5, 400), 1),
               rng.choice(LAND_STATUSES)]


def policy_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "policies")
    for i, pid in enumerate(ids.policies):
        year = rng.randint(2020, 2025)
        yield [pid, f"{year}年{rng.choice(ids.chains)[1]}产业扶持政策（第{i + 1}号）", rng.choice(POLICY_KINDS),
               rng.choice((500, 1000, 2000, 5000, 10000, 30000)), year]


def goal_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "goals")
    for i, gid in enumerate(ids.goals):
        metric, unit = GOAL_METRICS[i % len(GOAL_METRICS)]
        year = 2023 + (i // len(GOAL_METRICS)) % 5
        target = rng.choice((50, 100, 200, 300, 500, 600, 1000))
        yield [gid, f"{year}年{metric}目标{i + 1}", metric, target, unit, year]


def rel(from_label: str, from_id: str, rel_type: str, to_label: str, to_id: str) -> list[Any]:
    return [LABEL_CN[from_label], from_id, REL_CN[rel_type], LABEL_CN[to_label], to_id]


def chain_structure_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    for (cid, _), chain in zip(ids.chains, ids.segments):
        for sid, _ in chain:
            yield rel("ChainSegment", sid, "PART_OF", "Chain", cid)
        for (up, _), (down, _) in zip(chain, chain[1:]):
            yield rel("ChainSegment", up, "UPSTREAM_OF", "ChainSegment", down)


def anchor_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "anchors")
    for cid, _ in ids.chains:
        yield rel("Enterprise", enterprise_id(rng.randrange(scale.enterprises)), "ANCHORS", "Chain", cid)


DEPENDS_WINDOW = 200


def dependency_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    """DEPENDS_ON from a project only to projects with a smaller index: acyclic by construction."""
    rng = rng_for(scale, "dependencies")
    for i in range(1, scale.projects):
        if rng.random() < 0.5:
            lo = max(0, i - DEPENDS_WINDOW)
            for j in sorted(rng.sample(range(lo, i), min(i - lo, rng.choice((1, 1, 2, 3))))):
                yield rel("Project", project_id(i), "DEPENDS_ON", "Project", project_id(j))
        if rng.random() < 0.1:
            yield rel("Project", project_id(i), "DEPENDS_ON", "Parcel", rng.choice(ids.parcels))
        if rng.random() < 0.05:
            yield rel("Project", project_id(i), "DEPENDS_ON", "Policy", rng.choice(ids.policies))


def contains_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    for t, (tid, _) in enumerate(ids.towns):
        for aid, _ in ids.areas[t * scale.areas_per_town:(t + 1) * scale.areas_per_town]:
            yield rel("Area", tid, "CONTAINS", "Area", aid)


def support_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "supports")
    per_policy = max(1, scale.enterprises // (10 * max(1, scale.policies)))
    for pid in ids.policies:
        yield rel("Policy", pid, "SUPPORTS", "Chain", rng.choice(ids.chains)[0])
        for e in sorted(rng.sample(range(scale.enterprises), min(per_policy, scale.enterprises))):
            yield rel("Policy", pid, "SUPPORTS", "Enterprise", enterprise_id(e))
        for p in sorted(rng.sample(range(scale.projects), min(max(1, per_policy // 5), scale.projects))):
            yield rel("Policy", pid, "SUPPORTS", "Project", project_id(p))


def contribution_rows(scale: Scale, ids: Ids) -> Iterator[list[Any]]:
    rng = rng_for(scale, "contributions")
    for i in range(scale.projects):
        if rng.random() < 0.3:
            yield rel("Project", project_id(i), "CONTRIBUTES_TO", "Goal", rng.choice(ids.goals))
    for cid, _ in ids.chains:
        yield rel("Chain", cid, "CONTRIBUTES_TO", "Goal", rng.choice(ids.goals))


# (file name, label or None for a relationship file, headers, row function)
NODE_FILES = (
    ("产业链.csv", "Chain", CHAIN_HEADERS, chain_rows),
    ("产业链环节.csv", "ChainSegment", SEGMENT_HEADERS, segment_rows),
    ("片区.csv", "Area", AREA_HEADERS, area_rows),
    ("地块.csv", "Parcel", PARCEL_HEADERS, parcel_rows),
    ("政策.csv", "Policy", POLICY_HEADERS, policy_rows),
    ("目标.csv", "Goal", GOAL_HEADERS, goal_rows),
    ("企业名录.csv", "Enterprise", ENTERPRISE_HEADERS, enterprise_rows),
    ("重点项目.csv", "Project", PROJECT_HEADERS, project_rows),
)
REL_FILES = (
    ("关系_产业链结构.csv", None, REL_HEADERS, chain_structure_rows),
    ("关系_片区包含.csv", None, REL_HEADERS, contains_rows),
    ("关系_链主.csv", None, REL_HEADERS, anchor_rows),
    ("关系_项目依赖.csv", None, REL_HEADERS, dependency_rows),
    ("关系_政策支持.csv", None, REL_HEADERS, support_rows),
    ("关系_目标贡献.csv", None, REL_HEADERS, contribution_rows),
)
PROJECT_XLSX = "重点项目.xlsx"


# -- writing ----------------------------------------------------------------------------------------


def write_csv(path: Path, headers: Iterable[str], rows: Iterable[list[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


FIXED_ZIP_TIME = (2023, 1, 1, 0, 0, 0)


def write_xlsx(path: Path, sheet: str, headers: Iterable[str], rows: Iterable[list[Any]]) -> int:
    """A workbook written in openpyxl's streaming mode, then re-zipped with fixed timestamps so
    the same rows give the same bytes."""
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    fixed = dt.datetime(2023, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "portfolio-graph bench"
    ws = workbook.create_sheet(sheet)
    ws.append(list(headers))
    count = 0
    for row in rows:
        ws.append(row)
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_core_times(data)
            fixed_info = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            fixed_info.external_attr = 0o644 << 16
            target.writestr(fixed_info, data)
    return count


def _fix_core_times(data: bytes) -> bytes:
    import re

    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>2023-01-01T00:00:00Z\g<2>", data)


def generate(out_dir: Path, scale: Scale, *, quiet: bool = True) -> dict[str, Any]:
    """Write the scale's files into ``out_dir`` and return the manifest (also written there)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = build_ids(scale)
    files: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name, label, headers, rows_of in NODE_FILES + REL_FILES:
        path = out_dir / name
        rows = write_csv(path, headers, rows_of(scale, ids))
        files.append({"file": name, "label": label, "kind": "nodes" if label else "relationships",
                      "rows": rows, "bytes": path.stat().st_size, "sha256": sha256_of(path)})
        if not quiet:
            print(f"  {name}: {rows:,} rows", file=sys.stderr)
    if scale.xlsx:
        path = out_dir / PROJECT_XLSX
        rows = write_xlsx(path, "重点项目", PROJECT_HEADERS, project_rows(scale, ids))
        files.append({"file": PROJECT_XLSX, "label": "Project", "kind": "nodes (xlsx copy of 重点项目.csv)",
                      "rows": rows, "bytes": path.stat().st_size, "sha256": sha256_of(path)})
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "scale": asdict(scale),
        "files": files,
        "sample": sample_values(scale, ids),
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _deep_dependent(scale: Scale, ids: Ids) -> str:
    """The last project whose DEPENDS_ON chain is deepest among the last 1,000: a project with
    real blockers, for the project-blockers report."""
    deps: dict[str, list[str]] = {}
    for row in dependency_rows(scale, ids):
        if row[0] == LABEL_CN["Project"] and row[3] == LABEL_CN["Project"]:
            deps.setdefault(row[1], []).append(row[4])
    depth: dict[str, int] = {}
    for i in range(scale.projects):  # dependencies point to smaller indexes: one pass suffices
        pid = project_id(i)
        depth[pid] = 1 + max((depth[d] for d in deps.get(pid, ())), default=-1)
    last = [project_id(i) for i in range(max(0, scale.projects - 1_000), scale.projects)]
    return max(last, key=lambda p: (depth[p], p))


def sample_values(scale: Scale, ids: Ids) -> dict[str, Any]:
    """Real names and ids from the data, for report parameters."""
    return {
        "chain": ids.chains[0][1],
        "chain_id": ids.chains[0][0],
        "segment": ids.segments[0][0][1],
        "area": ids.areas[0][1],
        "town": ids.towns[0][1],
        "project_id": _deep_dependent(scale, ids),
        "project_id_first": project_id(0),
        "enterprise": enterprise_name(0),
        "enterprise_id": enterprise_id(0),
        "policy_id": ids.policies[0],
        "goal_id": ids.goals[0],
        "parcel_id": ids.parcels[0],
    }


def ensure(scale: Scale, out_dir: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Generate the scale's data unless a manifest of the same scale and version is there."""
    out_dir = out_dir or DATA_DIR / scale.name
    manifest_path = out_dir / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("generator_version") == GENERATOR_VERSION and manifest.get("scale") == asdict(scale) and all(
            (out_dir / f["file"]).exists() for f in manifest["files"]
        ):
            manifest["sample"] = sample_values(scale, build_ids(scale))
            return out_dir, manifest
    return out_dir, generate(out_dir, scale, quiet=False)


SCHEDULE_DIR = "schedule"  # a subfolder: loading the scale's folder leaves it out
SCHEDULE_YEAR = 2023


def ensure_schedule(scale: Scale, out_dir: Path | None = None) -> list[Path]:
    """The scale's 2023 plan table and twelve monthly progress reports (schedule/synthetic.py), for
    every project, written once into ``schedule/`` beside the scale's files."""
    from portfolio_graph.schedule.synthetic import SyntheticProject, write_files

    folder = (out_dir or DATA_DIR / scale.name) / SCHEDULE_DIR
    months = list(range(1, 13))
    expected = [folder / f"{SCHEDULE_YEAR}年重点项目计划.csv"] + \
        [folder / f"{SCHEDULE_YEAR}年{m}月重点项目进度.csv" for m in months]
    if all(path.exists() for path in expected):
        return expected
    ids = build_ids(scale)
    projects = [SyntheticProject(row[0], row[1], total_wan=round(float(row[3]) * 10_000, 1))
                for row in project_rows(scale, ids)]
    return write_files(projects, folder, SCHEDULE_YEAR, months, seed=scale.seed, mark="基准测试合成数据", suffix="")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="S")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    out = args.out or DATA_DIR / scale.name
    manifest = generate(out, scale, quiet=False)
    total = sum(f["rows"] for f in manifest["files"] if not f["file"].endswith(".xlsx"))
    print(f"{scale.name}: {total:,} rows in {out} ({manifest['seconds']} s)")
    schedule = ensure_schedule(scale, out)
    print(f"{scale.name}: plan and {len(schedule) - 1} monthly progress reports in {schedule[0].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

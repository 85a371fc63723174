"""A labelled 企业名录 of fictitious enterprises across the chain templates, with hard negatives.

Deterministic (seeded). Writes ``企业名录.csv`` (the headers a district's list has; the loader reads
it without a mapping) and ``labels.csv`` (uscc, chain, segment, kind): what each enterprise truly
is, so bench/chains/evaluate.py can measure the matcher's precision and recall.

Positives are written the way registries and enterprise lists describe firms: some with scope,
products and code; some with scope only; some with products under a boilerplate scope; and some
weak ones (a code and boilerplate only, or words the templates do not list), which a fair matcher
should miss. Hard negatives trade, distribute, repair, test food, write ERP software or retail, and
use the chains' own words while doing it.

    python bench/chains/generate_directory.py --out DIR [--count 600] [--seed 13]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from portfolio_graph.chains.codes import uscc_check_char  # noqa: E402
from portfolio_graph.chains.registry import load_templates  # noqa: E402

HEADERS = ["企业名称", "统一社会信用代码", "行业代码", "行业名称", "经营范围", "主营产品", "标签", "注册地址", "成立日期"]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
BOILERPLATE = ["技术开发、技术咨询、技术服务", "货物进出口、技术进出口", "企业管理咨询", "信息技术咨询服务"]
PLACES = ["东莞市东城街道", "东莞市南城街道", "东莞市松山湖", "深圳市南山区", "广州市黄埔区", "苏州市工业园区",
          "合肥市高新区", "成都市高新区", "宁德市蕉城区", "无锡市新吴区"]
BRANDS = "华芯 中晶 东微 鸿创 新锐 金川 睿达 恒信 天成 博远 联创 凯泰 万润 星河 瑞丰 德力 宏图 启明 安捷 卓越 昌盛 永泰 嘉禾 汇通 正源".split()
QUALIFICATIONS = ["专精特新", "高新技术企业", "上市", "专精特新|高新技术企业"]
NAME_WORDS = {"集成电路": "半导体", "新型储能": "新能源", "电子信息": "电子", "高端装备制造": "智能装备", "食品": "食品"}
# Class codes for the prefixes templates give (a group or division stands for its classes).
PREFIX_CLASS = {"13": "1331", "14": "1411", "15": "1512", "391": "3911", "392": "3921", "395": "3951",
                "396": "3961", "651": "6513", "512": "5127"}
# Words the templates do not list, for weak positives that say what they do in other words.
OTHER_WORDS = {"集成电路": "微电子器件研制", "新型储能": "新能源电化学产品", "电子信息": "电子产品组装",
               "高端装备制造": "机械设备研制", "食品": "食品生产加工"}

HARD_NEGATIVES = [
    # kind, code, industry name, scope, products
    ("chip trader", "5179", "其他机械设备及电子产品批发", "集成电路、电子元器件销售；货物进出口", "存储芯片、MCU、电源管理芯片"),
    ("chip trader", "5176", "计算机、软件及辅助设备批发", "芯片代理销售；电子产品批发", "SoC、射频芯片"),
    ("battery distributor", "5179", "其他机械设备及电子产品批发", "锂电池、储能电池批发零售", "储能电池、锂离子电池、电芯"),
    ("battery distributor", "5274", "家用电器零售", "电池零售；储能柜销售", "户用储能、锂电池"),
    ("repair shop", "8122", "通讯设备修理", "手机维修、电脑维修、电池更换维修", "手机维修服务"),
    ("repair shop", "4320", "通用设备修理", "数控机床维修、工业机器人维护保养", "机床维修"),
    ("repair shop", "8121", "计算机和辅助设备修理", "服务器维修、电路板维修", "电路板维修、PCB维修"),
    ("food test lab", "7452", "检测服务", "食品检测、检验检测服务、乳制品检测", "食品检测报告、乳制品检测、饮料检验"),
    ("food test lab", "7452", "检测服务", "食品安全检验、饮料检测", "啤酒检测、糕点检验"),
    ("ERP software house", "6513", "应用软件开发", "ERP软件开发、企业管理软件销售、技术服务", "ERP系统、财务软件"),
    ("ERP software house", "6513", "应用软件开发", "办公软件开发；软件销售", "办公软件、进销存软件"),
    ("retailer", "5211", "百货零售", "预包装食品零售、日用百货销售", "饮料、糕点、月饼"),
    ("retailer", "5271", "家用视听设备零售", "家用电器零售、电子产品销售", "电视机、音响设备、耳机"),
    ("food wholesaler", "5127", "酒、饮料及茶叶批发", "酒类批发、饮料批发零售", "啤酒、白酒、饮用水"),
    ("battery carrier", "5430", "道路货物运输", "锂电池运输、危险品仓储", "储能电池运输"),
    ("storage consultancy", "7243", "其他企业管理服务", "储能电站项目咨询、技术服务", "储能电站咨询报告"),
    ("chip training school", "8391", "职业技能培训", "集成电路设计培训、芯片测试培训", "IC设计培训课程"),
]
EASY_NEGATIVES = [
    ("restaurant", "6210", "正餐服务", "餐饮服务", "中餐"),
    ("property", "7020", "物业管理", "物业管理、停车场管理", "物业服务"),
    ("logistics", "5430", "道路货物运输", "普通货物道路运输", "货运服务"),
    ("consultancy", "7243", "其他企业管理服务", "企业管理咨询、市场调查", "咨询服务"),
]


def uscc(rng: random.Random) -> str:
    body = "91" + "441900" + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    return body + uscc_check_char(body)


def class_code(prefix: str) -> str:
    return PREFIX_CLASS.get(prefix, prefix)


def positive(rng: random.Random, template, segment, index: int) -> tuple[dict[str, str], str]:
    words = list(segment.include)
    main = rng.sample(words, min(2, len(words)))
    code = class_code(rng.choice(segment.primary_codes))
    industry_name = ""
    if code == "6520" and rng.random() < 0.4:
        code, industry_name = "6550", "集成电路设计"  # a 2011-edition registry code
    if rng.random() < 0.3:
        from portfolio_graph.chains.codes import section_of

        code = section_of(code) + code
    roll = rng.random()
    scope_core = "、".join(f"{w}的研发、生产" for w in main)
    products = "、".join(rng.sample(words, min(2, len(words))))
    if roll < 0.5:
        kind, scope = "strong", f"{scope_core}；{rng.choice(BOILERPLATE)}"
    elif roll < 0.7:
        kind, scope, products = "scope", f"{scope_core}；{rng.choice(BOILERPLATE)}", ""
    elif roll < 0.86:
        kind, scope = "products", rng.choice(BOILERPLATE)
    else:
        kind, scope, products = "weak", f"{OTHER_WORDS[template.name]}；{rng.choice(BOILERPLATE)}", ""
    tags = rng.choice(QUALIFICATIONS) if rng.random() < 0.4 else ""
    if kind == "scope" and rng.random() < 0.5:
        tags = "|".join(filter(None, [tags, main[0]]))
    row = {"企业名称": f"东莞{rng.choice(BRANDS)}{NAME_WORDS[template.name]}{index:04d}有限公司", "行业代码": code,
           "行业名称": industry_name, "经营范围": scope, "主营产品": products, "标签": tags}
    return row, kind


def generate(count: int = 600, seed: int = 13) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    rng = random.Random(seed)
    templates = [t for _, t in sorted(load_templates().items())]
    segments = [(t, s) for t in templates for s in t.segments]
    rows: list[dict[str, str]] = []
    labels: list[dict[str, str]] = []
    negatives = round(count * 0.25)
    for index in range(count):
        if index < count - negatives:
            template, segment = segments[index % len(segments)]
            row, kind = positive(rng, template, segment, index)
            label = {"chain": template.name, "segment": segment.name, "kind": kind}
        else:
            pool = HARD_NEGATIVES if rng.random() < 0.8 else EASY_NEGATIVES
            kind, code, industry_name, scope, products = rng.choice(pool)
            hard = pool is HARD_NEGATIVES
            row = {"企业名称": f"{rng.choice(PLACES)[:3]}{rng.choice(BRANDS)}{'商贸' if 'trade' in kind else ''}{index:04d}有限公司",
                   "行业代码": code, "行业名称": industry_name, "经营范围": scope, "主营产品": products,
                   "标签": rng.choice(QUALIFICATIONS) if rng.random() < 0.2 else ""}
            label = {"chain": "", "segment": "", "kind": ("hard negative: " if hard else "negative: ") + kind}
        row["统一社会信用代码"] = uscc(rng)
        row["注册地址"] = f"{rng.choice(PLACES)}{rng.randint(1, 300)}号"
        row["成立日期"] = f"{rng.randint(1995, 2023)}年{rng.randint(1, 12)}月"
        rows.append(row)
        labels.append({"统一社会信用代码": row["统一社会信用代码"], **label})
    return rows, labels


def write(out: Path, count: int, seed: int) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    rows, labels = generate(count, seed)
    directory, label_file = out / "企业名录.csv", out / "labels.csv"
    with directory.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, HEADERS)
        writer.writeheader()
        writer.writerows(rows)
    with label_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["统一社会信用代码", "chain", "segment", "kind"])
        writer.writeheader()
        writer.writerows(labels)
    return directory, label_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    directory, labels = write(args.out, args.count, args.seed)
    print(f"wrote {directory} and {labels}")


if __name__ == "__main__":
    main()

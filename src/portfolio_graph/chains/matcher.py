"""The chain matcher: deterministic, versioned rules that place an enterprise in template segments.

Evidence comes from the industry code (registration), the 经营范围 (scope), the main products,
the tags and the district's own project texts. The rules, in order:

1. **Exclusions act per clause of a field.** A clause of pure trading (批发/零售/销售/代理… with no
   making word), of a service around the product (咨询, 运输, 仓储…) or of repair (维修/修理) gives
   no evidence; a clause holding a segment's exclude word
   gives none for that segment. An enterprise that trades only (every scope clause is trading, or
   its code is in section F 批发和零售业) sells its products rather than making them, so its
   products give no evidence either.
2. **A chain-level gate comes first.** Text counts for a chain's segments only when some kept text
   holds one of the chain's gate words.
3. **Generic words are never evidence.** Only a segment's include words are (templates refuse
   generic words there), and one field is one source however many words it holds.
4. **Decisions.** A code (or the registered industry name) alone reaches ``candidate``.
   ``matched`` needs text or product evidence. ``confirmed`` needs two independent kinds of
   evidence, one of them products or a project, a score of at least CONFIRM_SCORE and no conflict
   (a registered code in trading or repair).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from .codes import to_2017
from .template import Template

RULE_VERSION = "chains-match-1"

# Weight of each field's evidence (after the handaas industry-chain rules in CHAINS.md).
WEIGHTS = {"industry_code": 2.5, "industry_name": 2.5, "scope": 3.0, "tags": 3.5, "project": 5.0, "products": 5.5}
SUPPORTING_CODE_WEIGHT = 1.25
# Which fields are the same kind of source: the code and the registered industry name are one registration.
KIND = {"industry_code": "registration", "industry_name": "registration", "scope": "scope", "tags": "tags",
        "project": "project", "products": "products"}
STRONG_KINDS = frozenset({"products", "project"})
MATCH_SCORE = 3.0
CONFIRM_SCORE = 8.0

TRADE_WORDS = ("批发", "零售", "销售", "代理", "贸易", "经销", "分销", "代购", "商贸")
MAKE_WORDS = ("生产", "制造", "加工", "研发", "设计", "封装", "测试", "检测", "研制", "组装", "集成", "回收",
              "开发", "冶炼", "酿造", "种植", "养殖", "运营")
REPAIR_WORDS = ("维修", "修理", "维护保养", "翻新")
# Services around a product that do not make it (a consultancy for 储能电站, a carrier of 锂电池).
SERVICE_WORDS = ("咨询", "培训", "运输", "仓储", "中介", "租赁", "招聘", "展览", "物业")
_CLAUSE = re.compile(r"[;；。,，\n]+")  # clauses of a scope or project text
_ITEMS = re.compile(r"[;；。,，、|/\n]+")  # items of a product or tag list
TRADE_SECTION_DIVISIONS = range(51, 53)  # section F: 批发和零售业
REPAIR_CODES = ("43", "81")  # 金属制品、机械和设备修理业; 机动车、电子产品和日用产品修理业


@dataclass(frozen=True)
class Evidence:
    field: str
    term: str
    weight: float

    def text(self) -> str:
        return f"{self.field}:{self.term}:{self.weight:g}"


@dataclass
class Proposal:
    enterprise: str
    template: str
    segment: str
    decision: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)

    def evidence_texts(self) -> list[str]:
        return [e.text() for e in self.evidence]


@dataclass
class Enterprise:
    """The fields the matcher reads; products, tags and projects are lists of texts."""

    id: str
    industry_code: str | None = None
    industry_name: str | None = None
    scope: str | None = None
    products: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Enterprise":
        return cls(row["id"], row.get("industry_code"), row.get("industry_name") or row.get("industry"),
                   row.get("business_scope"), list(row.get("products") or []), list(row.get("tags") or []),
                   list(row.get("projects") or []))


def _is_trade(clause: str) -> bool:
    return any(w in clause for w in TRADE_WORDS) and not any(w in clause for w in MAKE_WORDS)


class Matcher:
    """Compiled once for a set of templates; ``match`` is then a pure function of one enterprise."""

    def __init__(self, templates: Iterable[Template]):
        self.templates = list(templates)
        words = {w for t in self.templates for w in t.gate}
        words |= {w for t in self.templates for s in t.segments for w in (*s.include, *s.exclude)}
        # Leftmost-longest: at each place the longest word wins, so 锂电池电解质 is electrolyte,
        # not also 锂电池 (a cell), and 饮料生产设备 is equipment, not also 饮料.
        ordered = sorted(words, key=len, reverse=True)
        self._find = re.compile("|".join(re.escape(w) for w in ordered)).findall
        # What opens a chain's gate: a word holding one of its gate words, or an include word no
        # other chain uses (a word two chains share, such as 贴片机, needs the chain's own words).
        owners: dict[str, set[str]] = {}
        for t in self.templates:
            for s in t.segments:
                for w in s.include:
                    owners.setdefault(w, set()).add(t.name)
        self._openers = {t.name: {w for w in words if any(g in w for g in t.gate)}
                         | {w for w, names in owners.items() if names == {t.name}} for t in self.templates}
        # Which segments a word or a code can speak for: only those are scored for an enterprise.
        self._by_word: dict[str, set[tuple[int, int]]] = {}
        self._by_code: dict[str, set[tuple[int, int]]] = {}
        for ti, t in enumerate(self.templates):
            for si, segment in enumerate(t.segments):
                for w in segment.include:
                    self._by_word.setdefault(w, set()).add((ti, si))
                for code in (*segment.primary_codes, *segment.supporting_codes):
                    self._by_code.setdefault(code, set()).add((ti, si))

    def terms(self, text: str) -> set[str]:
        return set(self._find(text))

    def _fields(self, e: Enterprise) -> dict[str, list[set[str]]]:
        """Per field, the word sets of its kept clauses (trading and repair clauses dropped)."""
        scope_clauses = [c for c in _CLAUSE.split(e.scope or "") if c.strip()]
        code = e.industry_code or ""
        trade_code = bool(code) and int(code[:2]) in TRADE_SECTION_DIVISIONS
        # 货物进出口 is on nearly every licence: it neither makes a trader nor a maker.
        trader = trade_code or (any(_is_trade(c) for c in scope_clauses)
                                and not any(w in c for c in scope_clauses for w in MAKE_WORDS))
        texts = {
            "industry_name": [e.industry_name] if e.industry_name else [],
            "scope": scope_clauses,
            "products": [] if trader else [c for p in e.products for c in _ITEMS.split(p)],
            "tags": [c for t in e.tags for c in _ITEMS.split(t)],
            "project": [c for p in e.projects for c in _CLAUSE.split(p)],
        }
        return {name: [terms for terms in (self._kept(c) for c in clauses) if terms] for name, clauses in texts.items()}

    def _kept(self, clause: str) -> set[str]:
        """A clause's words, or none when what it says besides them is trading, repair or a service
        around the product (the words themselves are masked first: 冷藏运输 is a word, not 运输)."""
        found = self.terms(clause)
        rest = clause
        for word in sorted(found, key=len, reverse=True):
            rest = rest.replace(word, "|")
        if any(w in rest for w in REPAIR_WORDS):
            return set()
        if any(w in rest for w in (*TRADE_WORDS, *SERVICE_WORDS)) and not any(w in rest for w in MAKE_WORDS):
            return set()
        return found

    def match(self, e: Enterprise, rejected: Iterable[tuple[str, str]] = ()) -> list[Proposal]:
        """Proposals for one enterprise, every template; ``rejected`` holds (template, segment) pairs."""
        fields = self._fields(e)
        codes = to_2017(e.industry_code, e.industry_name)
        code = e.industry_code or ""
        conflict = bool(code) and (int(code[:2]) in TRADE_SECTION_DIVISIONS or code.startswith(REPAIR_CODES))
        skip = set(rejected)
        found = {w for clauses in fields.values() for clause in clauses for w in clause}
        wanted = {key for w in found for key in self._by_word.get(w, ())}
        for code in codes:
            for length in (2, 3, 4):
                wanted |= self._by_code.get(code[:length], set())
        proposals = []
        gates: dict[int, bool] = {}
        for ti, si in sorted(wanted):
            template = self.templates[ti]
            segment = template.segments[si]
            if (template.name, segment.name) in skip:
                continue
            if ti not in gates:
                openers = self._openers[template.name]
                gates[ti] = any(openers & clause for clauses in fields.values() for clause in clauses)
            proposal = self._segment(e, template, segment, fields if gates[ti] else {}, codes, conflict)
            if proposal is not None:
                proposals.append(proposal)
        return proposals

    def _segment(self, e: Enterprise, template: Template, segment: Any, fields: dict[str, list[set[str]]],
                 codes: list[str], conflict: bool) -> Proposal | None:
        evidence: list[Evidence] = []
        include, exclude = set(segment.include), set(segment.exclude)
        for name, clauses in fields.items():
            hits = sorted({w for clause in clauses if not clause & exclude for w in clause & include})
            if hits:
                evidence.append(Evidence(name, "、".join(hits), WEIGHTS[name]))
        code_hit = next(((c, WEIGHTS["industry_code"]) for c in codes for p in segment.primary_codes
                         if c.startswith(p)), None) or \
            next(((c, SUPPORTING_CODE_WEIGHT) for c in codes for p in segment.supporting_codes if c.startswith(p)), None)
        if code_hit:
            evidence.append(Evidence("industry_code", code_hit[0], code_hit[1]))
        if not evidence:
            return None
        kinds: dict[str, float] = {}
        for item in evidence:  # the code and the industry name are one registration: the larger weight
            kinds[KIND[item.field]] = max(kinds.get(KIND[item.field], 0.0), item.weight)
        score = round(sum(kinds.values()), 2)
        text_kinds = set(kinds) - {"registration"}
        if not text_kinds or score < MATCH_SCORE:
            decision = "candidate"
        elif len(kinds) >= 2 and text_kinds & STRONG_KINDS and score >= CONFIRM_SCORE and not conflict:
            decision = "confirmed"
        else:
            decision = "matched"
        return Proposal(e.id, template.name, segment.name, decision, score, evidence)

// name: chain-completeness
// title: 产业链完整度 / Chain completeness
// description: >
//   Each chain's segments in order with the enterprises in each, the chain's 链主, how many
//   segments have an enterprise (covered/total and a percentage), gap segments with no
//   enterprise (补链) and weak segments with only one (强链). An enterprise is in a segment by
//   IN_SEGMENT or IN_CHAIN. Strict by default: only stated PART_OF, IN_SEGMENT/IN_CHAIN and
//   ANCHORS links count; with --lenient inferred links count too (of the chain matcher's links
//   only matched and confirmed ones, candidates with -p candidates=true).
//   stated_count and lenient_count show both counts for every segment either way.
//   -p view=template compares each chain that has a template applied (chain apply) with the
//   template: the district's segments mapped onto it, the template's other segments as 延链,
//   and coverage of all template segments strict (stated and reviewed links) and lenient.
// params:
//   chain: {type: ref, labels: [Chain], default: null, help: "chain name, alias or id; every chain when empty"}
//   status: {type: string, choices: [补链, 强链, 已覆盖, 延链, 无环节], default: null, help: "only segments with this status, e.g. 补链 for the gaps"}
//   view: {type: string, choices: [district, template], default: district, help: "district: the district's own segments; template: against the chain template"}
//   candidates: {type: bool, default: false, help: "also count the matcher's candidate links (lenient only)"}
// columns:
//   chain: {zh: 产业链, en: "Chain", help: "the chain"}
//   anchor: {zh: 链主, en: "Anchor enterprises", help: "链主 (enterprises that ANCHOR the chain)", format: list}
//   position: {zh: 环节序号, en: "Segment no.", help: "order of the segment in the chain, upstream first (the template's order in the template view)", format: int}
//   segment: {zh: 环节, en: "Segment", help: "环节; empty for a chain with no segments"}
//   template_segment: {zh: 模板环节, en: "Template segment", help: "the template segment it maps to (template view)"}
//   stream: {zh: 上中下游, en: "Stream", help: "上游/中游/下游 from the template"}
//   enterprises: {zh: 环节企业, en: "Enterprises", help: "enterprises in the segment (stated links; inferred too when lenient)", format: list}
//   enterprise_count: {zh: 企业数, en: "Enterprises (count)", help: "how many enterprises the segment has, as counted in this run", format: int}
//   stated_count: {zh: 企业数(明确), en: "Enterprises (stated)", help: "enterprises linked to the segment by a stated or reviewed link", format: int}
//   lenient_count: {zh: 企业数(含推断), en: "Enterprises (incl. inferred)", help: "enterprises linked to the segment by a stated or an inferred link", format: int}
//   status: {zh: 环节状态, en: "Segment status", help: "补链 (no enterprise), 强链 (one enterprise), 已覆盖 (two or more), 延链 (a template segment outside the district's stated chain), 无环节 (the chain has no segments)"}
//   covered: {zh: 已覆盖环节, en: "Segments covered", help: "segments of the chain with at least one enterprise", format: int}
//   total: {zh: 环节总数, en: "Segments", help: "segments of the chain", format: int}
//   coverage_pct: {zh: 覆盖率, en: "Coverage", help: "covered / total in percent, one decimal", format: percent}
//   coverage_strict_pct: {zh: 覆盖率(明确), en: "Coverage (strict)", help: "segments with a stated or reviewed link / total, in percent", format: percent}
//   coverage_lenient_pct: {zh: 覆盖率(含匹配), en: "Coverage (lenient)", help: "segments with a stated, reviewed or matched link / total, in percent", format: percent}
// chart: [enterprise_count]
// chart_label: [chain, segment]
// table: [chain, anchor, position, segment, template_segment, enterprises, stated_count, lenient_count, status, coverage_pct]
MATCH (c:Chain)
WHERE ($chain IS NULL OR c.id = $chain) AND ($view = 'district' OR c.template IS NOT NULL)
OPTIONAL MATCH (s:ChainSegment)-[po:PART_OF]->(c)
WHERE ($lenient OR NOT coalesce(po.inferred, false))
  AND (CASE WHEN $view = 'template' THEN s.template_segment IS NOT NULL
            ELSE coalesce(s.source, '') <> 'template' END)
OPTIONAL MATCH (e:Enterprise)-[ins:IN_SEGMENT|IN_CHAIN]->(s)
WHERE NOT coalesce(ins.inferred, false) OR ins.decision IS NULL OR ins.decision IN $counted_decisions
   OR ($candidates AND ins.decision = 'candidate')
WITH c, s,
     collect(DISTINCT CASE WHEN NOT coalesce(ins.inferred, false) THEN e.name END) AS stated,
     collect(DISTINCT e.name) AS everyone
WITH c, s, stated, everyone, CASE WHEN $lenient THEN everyone ELSE stated END AS counted
WITH c, count(s) AS total,
     sum(CASE WHEN s IS NOT NULL AND size(counted) > 0 THEN 1 ELSE 0 END) AS covered,
     sum(CASE WHEN s IS NOT NULL AND size(stated) > 0 THEN 1 ELSE 0 END) AS covered_strict,
     sum(CASE WHEN s IS NOT NULL AND size(everyone) > 0 THEN 1 ELSE 0 END) AS covered_lenient,
     collect({position: CASE WHEN $view = 'template' THEN s.template_order ELSE s.position END,
              segment: s.name, template_segment: s.template_segment, stream: s.stream,
              from_template: s.source = 'template', enterprises: counted,
              stated: size(stated), lenient: size(everyone)}) AS segments
OPTIONAL MATCH (a:Enterprise)-[an:ANCHORS]->(c)
WHERE $lenient OR NOT coalesce(an.inferred, false)
WITH c, total, covered, covered_strict, covered_lenient, segments, collect(DISTINCT a.name) AS anchors
UNWIND segments AS seg
WITH c, total, covered, covered_strict, covered_lenient, anchors, seg,
     CASE WHEN seg.segment IS NULL THEN '无环节'
          WHEN $view = 'template' AND seg.from_template THEN '延链'
          WHEN size(seg.enterprises) = 0 THEN '补链'
          WHEN size(seg.enterprises) = 1 THEN '强链'
          ELSE '已覆盖' END AS status
WHERE $status IS NULL OR status = $status
RETURN c.name AS chain, anchors AS anchor, seg.position AS position, seg.segment AS segment,
       seg.template_segment AS template_segment, seg.stream AS stream,
       seg.enterprises AS enterprises, size(seg.enterprises) AS enterprise_count,
       seg.stated AS stated_count, seg.lenient AS lenient_count, status AS status,
       covered AS covered, total AS total,
       CASE WHEN total = 0 THEN null ELSE round(1000.0 * covered / total) / 10.0 END AS coverage_pct,
       CASE WHEN total = 0 THEN null ELSE round(1000.0 * covered_strict / total) / 10.0 END AS coverage_strict_pct,
       CASE WHEN total = 0 THEN null ELSE round(1000.0 * covered_lenient / total) / 10.0 END AS coverage_lenient_pct
ORDER BY chain, position

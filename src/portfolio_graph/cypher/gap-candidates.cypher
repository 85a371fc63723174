// name: gap-candidates
// title: 补链招商候选企业 / Gap-filling candidates
// description: >
//   Enterprises from a loaded external list (source 外部企业库 by default) that the chain matcher
//   places in a 补链 or 强链 segment of the chain (a segment with no or one district enterprise,
//   counting stated, reviewed, matched and confirmed links of enterprises not from that list).
//   Ranked by segment fit (the matcher's score), a supply link to the 链主 (the candidate's segment
//   is next to a segment of the 链主 along the template's UPSTREAM_OF products: +5), qualification
//   tags (专精特新, 高新技术企业, 上市…: +2 each) and nearness (the address contains -p near=…: +2).
//   Each candidate shows the matcher's evidence. Enterprises already in the district are left out,
//   or listed last with -p include_district=true. Needs `chain apply` and `chain match` first.
// params:
//   chain: {type: ref, labels: [Chain], help: "chain name, alias or id"}
//   source: {type: string, default: 外部企业库, help: "the source of the external enterprise list"}
//   near: {type: string, default: null, help: "a place; candidates whose address contains it rank higher (e.g. 东莞)"}
//   extend: {type: bool, default: false, help: "also propose enterprises for 延链 segments (template segments the district does not name)"}
//   include_district: {type: bool, default: false, help: "also list enterprises already in the district, after the external ones"}
//   limit: {type: int, default: 100, min: 0, max: 100000, help: "at most this many rows"}
// columns:
//   chain: {zh: 产业链, en: "Chain", help: "the chain"}
//   segment: {zh: 环节, en: "Segment", help: "the segment with the gap"}
//   template_segment: {zh: 模板环节, en: "Template segment", help: "the template segment it maps to"}
//   status: {zh: 环节状态, en: "Segment status", help: "补链 (no district enterprise), 强链 (one), 延链 (with extend)"}
//   district_count: {zh: 辖区企业数, en: "District enterprises", help: "district enterprises in the segment", format: int}
//   enterprise: {zh: 候选企业, en: "Candidate", help: "the candidate enterprise"}
//   enterprise_id: {zh: 企业编号, en: "Enterprise id", help: "its id (统一社会信用代码 where the list gives one)", technical: true}
//   decision: {zh: 匹配判定, en: "Decision", help: "the matcher's decision (matched/confirmed), or stated for a reviewed link"}
//   fit: {zh: 环节匹配分, en: "Segment fit", help: "the matcher's score", format: number}
//   supplies_anchor: {zh: 链主配套, en: "Supplies the anchor", help: "its segment is next to a segment of the 链主 (UPSTREAM_OF)", format: bool}
//   qualifications: {zh: 资质, en: "Qualifications", help: "qualification tags: 专精特新, 高新技术企业, 上市…", format: list}
//   near: {zh: 就近, en: "Near", help: "its address contains the place given as near", format: bool}
//   address: {zh: 注册地址, en: "Address", help: "注册地址"}
//   in_district: {zh: 已在辖区, en: "In the district", help: "not from the external list", format: bool}
//   rank_score: {zh: 综合得分, en: "Rank score", help: "fit + 5 for a supply link + 2 per qualification + 2 when near", format: number}
//   evidence: {zh: 匹配依据, en: "Evidence", help: "the matcher's evidence, field:term:weight", format: list, ordered: true}
// chart: [rank_score]
// chart_label: [enterprise]
// table: [segment, status, enterprise, decision, fit, supplies_anchor, qualifications, near, rank_score, evidence]
MATCH (c:Chain {id: $chain})
OPTIONAL MATCH (a:Enterprise)-[:ANCHORS]->(c)
OPTIONAL MATCH (a)-[:IN_SEGMENT|IN_CHAIN]->(aseg:ChainSegment)-[:PART_OF]->(c)
WITH c, collect(DISTINCT aseg.id) AS anchor_segments
MATCH (s:ChainSegment)-[:PART_OF]->(c)
WHERE s.template_segment IS NOT NULL AND ($extend OR coalesce(s.source, '') <> 'template')
OPTIONAL MATCH (d:Enterprise)-[dl:IN_SEGMENT|IN_CHAIN]->(s)
WITH c, anchor_segments, s, d, coalesce(dl.inferred, false) AS inferred, dl.decision AS link_decision
WITH c, anchor_segments, s,
     collect(DISTINCT CASE WHEN d IS NOT NULL AND coalesce(d.source, '') <> $source
                                AND (NOT inferred OR link_decision IS NULL OR link_decision IN $counted_decisions)
                           THEN d.id END) AS members
WITH c, anchor_segments, s, size(members) AS district_count,
     CASE WHEN s.source = 'template' THEN '延链' WHEN size(members) = 0 THEN '补链'
          WHEN size(members) = 1 THEN '强链' ELSE '已覆盖' END AS status
WHERE status <> '已覆盖'
MATCH (e:Enterprise)-[r:IN_SEGMENT]->(s)
WITH c, anchor_segments, s, district_count, status, e, r, coalesce(r.inferred, false) AS inferred,
     coalesce(e.source, '') <> $source AS in_district
WHERE (NOT inferred OR coalesce(r.decision IN $counted_decisions, false)) AND ($include_district OR NOT in_district)
WITH c, s, district_count, status, e, r, inferred, in_district,
     any(n IN [(s)-[:UPSTREAM_OF]-(x:ChainSegment) | x.id] WHERE n IN anchor_segments) AS supplies_anchor,
     [t IN coalesce(e.tags, []) WHERE t IN $qualification_tags] AS qualifications,
     coalesce($near IS NOT NULL AND e.address CONTAINS $near, false) AS near
RETURN c.name AS chain, s.name AS segment, s.template_segment AS template_segment, status AS status,
       district_count AS district_count, e.name AS enterprise, e.id AS enterprise_id,
       CASE WHEN inferred THEN r.decision ELSE 'stated' END AS decision, coalesce(r.score, 0.0) AS fit,
       supplies_anchor AS supplies_anchor, qualifications AS qualifications, near AS near, e.address AS address,
       in_district AS in_district,
       coalesce(r.score, 0.0) + CASE WHEN supplies_anchor THEN 5 ELSE 0 END + 2 * size(qualifications)
         + CASE WHEN near THEN 2 ELSE 0 END AS rank_score,
       coalesce(r.evidence, []) AS evidence
ORDER BY in_district, rank_score DESC, segment, enterprise_id
LIMIT $limit

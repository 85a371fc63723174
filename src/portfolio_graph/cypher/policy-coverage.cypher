// name: policy-coverage
// title: 政策覆盖 / Policy coverage
// description: >
//   What each policy supports (SUPPORTS: projects, chains, enterprises), with its budget and the
//   funds behind it (section 政策支持): one row per policy with how many projects, chains and
//   enterprises it supports; with detail, or when a policy is named, one row per policy and
//   supported thing instead (a policy that supports nothing keeps one row with no target). Then
//   the projects and chains that no policy supports (section 无政策支持); finished projects are
//   left out of that list unless include_done. Strict by default: --lenient counts inferred
//   SUPPORTS and FUNDS links too.
// params:
//   section: {type: string, choices: [政策支持, 无政策支持], default: null, help: "only one of the two sections"}
//   include_done: {type: bool, default: false, help: "list finished projects among the unsupported too"}
//   policy: {type: ref, labels: [Policy], default: null, help: "only this policy, with everything it supports (name, alias or id)"}
//   detail: {type: bool, default: false, help: "one row per policy and supported thing, for every policy"}
// columns:
//   section: {zh: 部分, en: "Section", help: "政策支持 (a policy and what it supports) / 无政策支持 (a project or chain no policy supports)"}
//   policy: {zh: 政策, en: "Policy", help: "the policy"}
//   policy_id: {zh: 政策编号, en: "Policy id", help: "the policy's id", technical: true}
//   policy_kind: {zh: 政策类型, en: "Policy kind", help: "扶持政策/奖补/补贴/措施…"}
//   year: {zh: 年份, en: "Year", help: "year the policy is issued or applies to", format: int}
//   amount_wan: {zh: 资金规模, en: "Budget", help: "the policy's total budget in 万元", format: amount, unit: 万元}
//   funded_by: {zh: 资金来源, en: "Funded by", help: "funds that finance the policy", format: list}
//   supported_projects: {zh: 支持项目数, en: "Projects supported", help: "how many projects the policy supports", format: int}
//   supported_chains: {zh: 支持产业链数, en: "Chains supported", help: "how many chains the policy supports", format: int}
//   supported_enterprises: {zh: 支持企业数, en: "Enterprises supported", help: "how many enterprises the policy supports", format: int}
//   target_kind: {zh: 支持对象类别, en: "Target kind", help: "项目 / 产业链 / 企业"}
//   target: {zh: 支持对象, en: "Target", help: "what is supported (listed with detail or a named policy), or what no policy supports"}
//   target_id: {zh: 对象编号, en: "Target id", help: "the supported thing's id", technical: true}
//   target_status: {zh: 对象状态, en: "Target status", help: "the project's status word"}
//   inferred: {zh: 推断, en: "Inferred", help: "true where the SUPPORTS link is an inference", format: bool}
// chart: false
// table: [section, policy, year, amount_wan, supported_projects, supported_chains, supported_enterprises, target_kind, target, target_status, inferred]
UNWIND ['政策支持', '无政策支持'] AS part
WITH part
WHERE ($section IS NULL OR $section = part) AND (part = '政策支持' OR $policy IS NULL)
// Each part scans on its own row only: FalkorDB applies a filter on bound variables (part) before
// the scan, so the focused section never walks the other one's nodes. The big lists are never
// collected into one row: rows stream from the scans to the RETURN.
OPTIONAL MATCH (t2)
WHERE part = '无政策支持' AND (t2:Project OR t2:Chain)
  AND ($include_done OR t2:Chain OR NOT coalesce(t2.status IN $status_done, false))
// The SUPPORTS filter sits in the count, which keeps the OPTIONAL MATCH one batched traversal.
OPTIONAL MATCH (p2:Policy)-[s2:SUPPORTS]->(t2)
WITH part, t2, count(CASE WHEN $lenient OR NOT coalesce(s2.inferred, false) THEN p2 END) AS policies
WHERE part = '政策支持' OR (t2 IS NOT NULL AND policies = 0)
OPTIONAL MATCH (pol:Policy)
WHERE part = '政策支持' AND ($policy IS NULL OR pol.id = $policy)
OPTIONAL MATCH (pol)-[s:SUPPORTS]->(t)
// A relationship's property is costly to read on FalkorDB: read once per link, not per count.
WITH part, t2, pol, t, s, $lenient OR NOT coalesce(s.inferred, false) AS counted
// Counts per policy; the supported things themselves are collected only when they are listed.
WITH part, t2, pol,
     count(DISTINCT CASE WHEN counted AND t:Project THEN t END) AS projects,
     count(DISTINCT CASE WHEN counted AND t:Chain THEN t END) AS chains,
     count(DISTINCT CASE WHEN counted AND t:Enterprise THEN t END) AS enterprises,
     collect(CASE WHEN ($detail OR $policy IS NOT NULL) AND t IS NOT NULL AND counted
                  THEN {target: t, inferred: coalesce(s.inferred, false)} END) AS targets
WHERE part = '无政策支持' OR pol IS NOT NULL
WITH part, t2, pol, projects, chains, enterprises, targets,
     CASE WHEN pol IS NULL THEN []
          ELSE [(fu:Fund)-[fr:FUNDS]->(pol) WHERE $lenient OR NOT coalesce(fr.inferred, false) | fu.name] END AS funds
UNWIND CASE WHEN size(targets) = 0 THEN [null] ELSE targets END AS hit
WITH part, t2, pol, projects, chains, enterprises, funds, hit,
     CASE WHEN part = '政策支持' THEN hit.target ELSE t2 END AS t
RETURN part AS section, pol.name AS policy, pol.id AS policy_id, pol.kind AS policy_kind,
       pol.year AS year, pol.amount_wan AS amount_wan, funds AS funded_by,
       CASE WHEN pol IS NULL THEN null ELSE projects END AS supported_projects,
       CASE WHEN pol IS NULL THEN null ELSE chains END AS supported_chains,
       CASE WHEN pol IS NULL THEN null ELSE enterprises END AS supported_enterprises,
       CASE WHEN t:Project THEN '项目' WHEN t:Chain THEN '产业链' WHEN t:Enterprise THEN '企业' END AS target_kind,
       t.name AS target, t.id AS target_id,
       CASE WHEN t:Project THEN t.status END AS target_status,
       CASE WHEN hit IS NULL THEN null ELSE hit.inferred END AS inferred
ORDER BY CASE section WHEN '政策支持' THEN 0 ELSE 1 END, policy_id, target_kind, target_id, inferred

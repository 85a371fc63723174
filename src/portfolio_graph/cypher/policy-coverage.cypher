// name: policy-coverage
// title: 政策覆盖 / Policy coverage
// description: >
//   What each policy supports (SUPPORTS: projects, chains, enterprises), with its budget and the
//   funds behind it, one row per policy and supported thing (section 政策支持; a policy that
//   supports nothing has one row with no target). Then the projects and chains that no policy
//   supports (section 无政策支持); finished projects are left out of that list unless
//   include_done. Strict by default: --lenient counts inferred SUPPORTS and FUNDS links too.
// params:
//   section: {type: string, choices: [政策支持, 无政策支持], default: null, help: "only one of the two sections"}
//   include_done: {type: bool, default: false, help: "list finished projects among the unsupported too"}
// columns:
//   section: 政策支持 (a policy and what it supports) / 无政策支持 (a project or chain no policy supports)
//   policy: 政策
//   policy_id: its id
//   policy_kind: 扶持政策/奖补/补贴/措施…
//   year: year the policy is issued or applies to
//   amount_wan: the policy's total budget in 万元
//   funded_by: funds that finance the policy
//   target_kind: 项目 / 产业链 / 企业
//   target: what is supported, or what no policy supports
//   target_id: its id
//   target_status: the project's status word
//   inferred: true where the SUPPORTS link is an inference
// chart: false
// table: [section, policy, year, amount_wan, target_kind, target, target_status, inferred]
OPTIONAL MATCH (t2)
WHERE ($section IS NULL OR $section = '无政策支持') AND (t2:Project OR t2:Chain)
  AND ($include_done OR t2:Chain OR NOT coalesce(t2.status IN $status_done, false))
// FalkorDB hashes every grouping key of every row, so the big lists are built last or carried by
// one row only. Here first the projects and chains no policy supports: the SUPPORTS filter sits in
// the count, which keeps the OPTIONAL MATCH one batched traversal.
OPTIONAL MATCH (p2:Policy)-[s2:SUPPORTS]->(t2)
WITH t2, count(CASE WHEN $lenient OR NOT coalesce(s2.inferred, false) THEN p2 END) AS policies
WITH collect(CASE WHEN t2 IS NOT NULL AND policies = 0 THEN
       {section: '无政策支持', policy: null, policy_id: null, policy_kind: null, year: null,
        amount_wan: null, funded_by: [],
        target_kind: CASE WHEN t2:Project THEN '项目' ELSE '产业链' END,
        target: t2.name, target_id: t2.id,
        target_status: CASE WHEN t2:Project THEN t2.status END, inferred: null} END) AS uncovered
// Then one row for that list and the policies' rows, streamed without collecting them.
UNWIND [false, true] AS policies_part
OPTIONAL MATCH (pol:Policy)
WHERE policies_part AND ($section IS NULL OR $section = '政策支持')
WITH policies_part, pol, CASE WHEN policies_part THEN [] ELSE uncovered END AS uncovered
WITH policies_part, pol, uncovered,
     CASE WHEN pol IS NULL THEN []
          ELSE [(fu:Fund)-[fr:FUNDS]->(pol) WHERE $lenient OR NOT coalesce(fr.inferred, false) | fu.name] END AS funds
OPTIONAL MATCH (pol)-[s:SUPPORTS]->(t)
WHERE $lenient OR NOT coalesce(s.inferred, false)
UNWIND CASE WHEN NOT policies_part THEN uncovered
            WHEN pol IS NULL THEN []
            ELSE [{section: '政策支持', policy: pol.name, policy_id: pol.id, policy_kind: pol.kind,
                   year: pol.year, amount_wan: pol.amount_wan, funded_by: funds,
                   target_kind: CASE WHEN t:Project THEN '项目' WHEN t:Chain THEN '产业链'
                                     WHEN t:Enterprise THEN '企业' END,
                   target: t.name, target_id: t.id,
                   target_status: CASE WHEN t:Project THEN t.status END,
                   inferred: CASE WHEN s IS NULL THEN null ELSE coalesce(s.inferred, false) END}] END AS row
RETURN row.section AS section, row.policy AS policy, row.policy_id AS policy_id,
       row.policy_kind AS policy_kind, row.year AS year, row.amount_wan AS amount_wan,
       row.funded_by AS funded_by, row.target_kind AS target_kind, row.target AS target,
       row.target_id AS target_id, row.target_status AS target_status, row.inferred AS inferred
ORDER BY CASE section WHEN '政策支持' THEN 0 ELSE 1 END, policy_id, target_kind, target_id

// name: policy-tree
// title: 政策体系 / Policy tree
// description: >
//   The plan's strategies, programmes and measures as the report nests them (Policy PART_OF
//   Policy): one row per policy and path from its top, upstream first, with what each supports
//   (SUPPORTS), covers (COVERS), who takes part (PARTICIPATES_IN), the funds that finance it
//   (FUNDS) and the goals it feeds (CONTRIBUTES_TO). A policy with two parents has a row under
//   each. Strict by default: --lenient follows inferred links too.
// params:
//   root: {type: ref, labels: [Policy], default: null, help: "only this policy and what lies under it: name, alias or id"}
//   kind: {type: string, choices: [方向, 战略, 工程, 举措, 计划, 专项行动, 政策], default: null, help: "only policies of this kind (their place in the tree still shows in path)"}
// columns:
//   top: {zh: 顶层, en: "Top", help: "the outermost policy of the path"}
//   depth: {zh: 层级, en: "Depth", help: "PART_OF links between the top and the policy", format: int}
//   policy: {zh: 政策/举措, en: "Policy", help: "the strategy, programme, measure or instrument"}
//   policy_id: {zh: 编号, en: "Policy id", help: "its id", technical: true}
//   kind: {zh: 类别, en: "Kind", help: "方向 / 战略 / 工程 / 举措 / 计划 / 专项行动 / 政策"}
//   section: {zh: 章节, en: "Section", help: "where the report states it, e.g. 二(二)三"}
//   path: {zh: 层级路径, en: "Path", help: "from the top down to the policy", ordered: true, format: list}
//   supports: {zh: 支持对象, en: "Supports", help: "projects, enterprises and chains it supports", format: list}
//   covers: {zh: 覆盖范围, en: "Covers", help: "parcels and areas it applies to", format: list}
//   participants: {zh: 参与方, en: "Participants", help: "areas and enterprises that take part", format: list}
//   funded_by: {zh: 资金, en: "Funds", help: "funds that finance it", format: list}
//   goals: {zh: 目标, en: "Goals", help: "goals it contributes to", format: list}
//   inferred: {zh: 推断, en: "Inferred", help: "true when the path holds only through an inferred PART_OF", format: bool}
// chart: false
// table: [depth, policy, kind, section, supports, covers, participants, goals]
MATCH (p:Policy)
WHERE $kind IS NULL OR p.kind = $kind
MATCH tp = (p)-[:PART_OF*0..8]->(top:Policy)
WHERE all(r IN relationships(tp) WHERE $lenient OR NOT coalesce(r.inferred, false))
  AND ($root IS NULL OR $root IN [m IN nodes(tp) | m.id])
WITH p, top, tp, [(top)-[x:PART_OF]->(:Policy) WHERE $lenient OR NOT coalesce(x.inferred, false) | x] AS up
WHERE size(up) = 0
WITH p, top, tp, reverse(nodes(tp)) AS down
// Cut the path at the root when one is named, so the root is the top.
WITH p, tp, CASE WHEN $root IS NULL THEN down
                 ELSE [i IN range(0, size(down) - 1) WHERE size([m IN down[0..i + 1] WHERE m.id = $root]) > 0 | down[i]] END AS down
WITH p, tp, down,
     reduce(k = '', m IN down | k + '/' + replace(replace(replace(replace(replace(replace(replace(
       coalesce(m.section, ''), '一', '1'), '二', '2'), '三', '3'), '四', '4'), '五', '5'), '六', '6'), '七', '7')
       + m.name) AS sort_key
RETURN head(down).name AS top, size(down) - 1 AS depth, p.name AS policy, p.id AS policy_id, p.kind AS kind,
       p.section AS section, [m IN down | m.name] AS path,
       [(p)-[s1:SUPPORTS]->(t1) WHERE $lenient OR NOT coalesce(s1.inferred, false) | t1.name] AS supports,
       [(p)-[s2:COVERS]->(t2) WHERE $lenient OR NOT coalesce(s2.inferred, false) | t2.name] AS covers,
       [(t3)-[s3:PARTICIPATES_IN]->(p) WHERE $lenient OR NOT coalesce(s3.inferred, false) | t3.name] AS participants,
       [(f4:Fund)-[s4:FUNDS]->(p) WHERE $lenient OR NOT coalesce(s4.inferred, false) | f4.name] AS funded_by,
       [(p)-[s5:CONTRIBUTES_TO]->(g5:Goal) WHERE $lenient OR NOT coalesce(s5.inferred, false) | g5.name] AS goals,
       any(r IN relationships(tp) WHERE coalesce(r.inferred, false)) AS inferred
ORDER BY sort_key, policy_id

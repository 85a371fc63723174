// name: impact
// title: 影响分析 / Impact (what if it slips?)
// description: >
//   Everything that depends on a parcel, project, policy, fund, area, chain or goal, and the goals
//   reached through it. Followed links: projects, areas, chains and goals that depend on it or are
//   built on it (DEPENDS_ON, USES_PARCEL, transitively), what a policy supports and a fund
//   finances (SUPPORTS, FUNDS), the projects and parcels an area holds (LOCATED_IN, CONTAINS), the counted
//   sets, chains and segments those belong to (MEMBER_OF, IN_CHAIN, PART_OF), and the goals any
//   of them contribute to (CONTRIBUTES_TO). One row per affected thing and path. Strict by
//   default: --lenient follows inferred links too.
// params:
//   of: {type: ref, labels: [Parcel, Project, Policy, Fund, Area, Chain, Goal], label_param: label, required: true, help: "the parcel, project, policy, fund, area, chain or goal: name, alias or id"}
//   label: {type: label, choices: [Parcel, Project, Policy, Fund, Area, Chain, Goal], default: null, help: "what 'of' names, where a name is shared"}
// columns:
//   subject: {zh: 延误对象, en: "What slips", help: "the thing that slips"}
//   depth: {zh: 层级, en: "Depth", help: "links between it and the affected thing", format: int}
//   kind: {zh: 类别, en: "Kind", help: "项目 / 地块 / 政策 / 资金 / 片区 / 产业链 / 环节 / 企业 / 目标"}
//   affected: {zh: 受影响对象, en: "Affected", help: "what is affected"}
//   affected_id: {zh: 对象编号, en: "Affected id", help: "the affected thing's id", technical: true}
//   via: {zh: 关系, en: "Via", help: "the last link on the path (DEPENDS_ON, USES_PARCEL, SUPPORTS, FUNDS, LOCATED_IN, CONTAINS, MEMBER_OF, IN_CHAIN, PART_OF, CONTRIBUTES_TO)", technical: true}
//   state: {zh: 状态, en: "State", help: "its status word, or for a parcel its land status"}
//   year: {zh: 年份, en: "Year", help: "plan year of a project, due year of a goal", format: int}
//   path: {zh: 影响路径, en: "Path", help: "from the thing that slips to the affected thing", ordered: true, format: list}
//   inferred: {zh: 推断, en: "Inferred", help: "true when the path holds only through an inferred link", format: bool}
// chart: false
// table: [depth, kind, affected, via, state, year, path, inferred]
OPTIONAL MATCH (x1:Parcel {id: $of})
// The subject by its id through each label's key index (MATCH (x) WHERE x.id = $of scanned all
// nodes); an id shared by two of these labels gives both, as the label-free match did.
OPTIONAL MATCH (x2:Project {id: $of})
OPTIONAL MATCH (x3:Policy {id: $of})
OPTIONAL MATCH (x4:Fund {id: $of})
OPTIONAL MATCH (x5:Area {id: $of})
OPTIONAL MATCH (x6:Chain {id: $of})
OPTIONAL MATCH (x7:Goal {id: $of})
UNWIND [x1, x2, x3, x4, x5, x6, x7] AS x
WITH DISTINCT x
WHERE x IS NOT NULL AND ($label IS NULL OR $label IN labels(x))
OPTIONAL MATCH sp = (x)-[:SUPPORTS|FUNDS*1..2]->(n)
WHERE all(r IN relationships(sp) WHERE $lenient OR NOT coalesce(r.inferred, false))
WITH x, collect(CASE WHEN sp IS NULL THEN null ELSE
       {node: n, path: [m IN nodes(sp) | m.name],
        inferred: any(r IN relationships(sp) WHERE coalesce(r.inferred, false)),
        via: type(last(relationships(sp)))} END) AS supported
// What an area holds: the projects, parcels and areas in it (either direction of the place link).
OPTIONAL MATCH (x:Area)-[pl:CONTAINS]->(held)
WITH x, supported, collect(CASE WHEN held IS NULL OR NOT ($lenient OR NOT coalesce(pl.inferred, false)) THEN null
       ELSE {node: held, path: [x.name, held.name], inferred: coalesce(pl.inferred, false), via: 'CONTAINS'} END) AS contained
OPTIONAL MATCH (x:Area)<-[pl:LOCATED_IN]-(inside)
WITH x, supported, contained, collect(CASE WHEN inside IS NULL OR NOT ($lenient OR NOT coalesce(pl.inferred, false)) THEN null
       ELSE {node: inside, path: [x.name, inside.name], inferred: coalesce(pl.inferred, false), via: 'LOCATED_IN'} END) AS located
UNWIND [{node: x, path: [x.name], inferred: false, via: null}] + supported + contained + located AS seed
WITH x, seed, seed.node AS sn
MATCH dp = (a)-[:DEPENDS_ON|USES_PARCEL*0..10]->(sn)
WHERE all(r IN relationships(dp) WHERE $lenient OR NOT coalesce(r.inferred, false))
WITH x, a, seed.path + tail(reverse([m IN nodes(dp) | m.name])) AS path,
     seed.inferred OR any(r IN relationships(dp) WHERE coalesce(r.inferred, false)) AS inferred,
     CASE WHEN length(dp) = 0 THEN seed.via ELSE type(head(relationships(dp))) END AS via
// Sets, chains and segments roll up; a measure does not make the strategy it belongs to slip.
OPTIONAL MATCH up = (a)-[:MEMBER_OF|IN_CHAIN|PART_OF*1..3]->(u)
WHERE all(r IN relationships(up) WHERE $lenient OR NOT coalesce(r.inferred, false))
  AND none(m IN nodes(up) WHERE m:Policy)
WITH x, a, path, inferred, via,
     collect(CASE WHEN up IS NULL THEN null ELSE
       {node: u, path: path + tail([m IN nodes(up) | m.name]),
        inferred: inferred OR any(r IN relationships(up) WHERE coalesce(r.inferred, false)),
        via: type(last(relationships(up)))} END) AS rollups
UNWIND [{node: a, path: path, inferred: inferred, via: via}] + rollups AS hit
WITH x, hit, hit.node AS h
OPTIONAL MATCH (h)-[c:CONTRIBUTES_TO]->(g:Goal)
WHERE $lenient OR NOT coalesce(c.inferred, false)
WITH x, hit, collect(CASE WHEN g IS NULL THEN null ELSE
       {node: g, path: hit.path + [g.name], inferred: hit.inferred OR coalesce(c.inferred, false),
        via: 'CONTRIBUTES_TO'} END) AS goals
UNWIND [hit] + goals AS row
WITH x, row, row.node AS n
WHERE n <> x
WITH DISTINCT x.name AS subject, size(row.path) - 1 AS depth,
     CASE WHEN n:Project THEN '项目' WHEN n:Parcel THEN '地块' WHEN n:Policy THEN '政策'
          WHEN n:Fund THEN '资金' WHEN n:Area THEN '片区' WHEN n:Chain THEN '产业链' WHEN n:ChainSegment THEN '环节'
          WHEN n:Enterprise THEN '企业' WHEN n:Goal THEN '目标' ELSE '其他' END AS kind,
     n.name AS affected, n.id AS affected_id, row.via AS via,
     CASE WHEN n:Parcel THEN n.land_status ELSE n.status END AS state,
     n.year AS year, row.path AS path, row.inferred AS inferred
RETURN subject AS subject, depth AS depth, kind AS kind, affected AS affected,
       affected_id AS affected_id, via AS via, state AS state, year AS year, path AS path,
       inferred AS inferred
ORDER BY depth, CASE kind WHEN '目标' THEN 1 ELSE 0 END, affected, via, path

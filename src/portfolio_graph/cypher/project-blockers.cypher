// name: project-blockers
// title: 项目卡点 / Project blockers
// description: >
//   Everything a project, area, chain or goal depends on, directly or through other projects
//   (DEPENDS_ON, and the land a project is built on through USES_PARCEL), that is not done yet,
//   with the path to it; a parcel is accepted too and waits on nothing but its own land status. A
//   project is done when its status means done; a parcel when its land status means the land
//   is available (出让/已出让/在用); a policy when it carries a status that means done. Every
//   project when no project is named: then, by default, one row per kind and state of blocker with
//   how many blockers and how many waiting projects it stands for (detail=true lists every row).
//   Strict by default: --lenient follows inferred links too.
// params:
//   project: {type: ref, labels: [Project, Area, Chain, Goal, Parcel], label_param: label, default: null, help: "a project, area, chain, goal or parcel: name, alias or id; every project when empty"}
//   label: {type: label, choices: [Project, Area, Chain, Goal, Parcel], default: null, help: "what 'project' names, where a name is shared"}
//   include_done: {type: bool, default: false, help: "also list dependencies that are already done"}
//   max_depth: {type: int, default: 10, min: 1, max: 10, help: "follow dependencies this many links deep"}
//   detail: {type: bool, default: false, help: "one row per project and blocker even when no project is named"}
// columns:
//   project: {zh: 等待方, en: "Waiting", help: "the project, area, chain or goal that waits; empty on a summary row"}
//   depth: {zh: 层级, en: "Depth", help: "links between the project and what it waits on", format: int}
//   kind: {zh: 类别, en: "Kind", help: "项目 / 地块 / 政策"}
//   blocker: {zh: 卡点, en: "Blocker", help: "what the project waits on; empty on a summary row"}
//   blocker_id: {zh: 卡点编号, en: "Blocker id", help: "the blocker's id", technical: true}
//   state: {zh: 状态, en: "State", help: "its status word, or for a parcel its land status"}
//   done: {zh: 已完成, en: "Done", help: "true when it is done (only listed with include_done)", format: bool}
//   path: {zh: 依赖路径, en: "Path", help: "the chain of dependencies from the project to it", ordered: true, format: list}
//   inferred: {zh: 推断, en: "Inferred", help: "true when this path holds only through an inferred link", format: bool}
//   blockers: {zh: 卡点数, en: "Blockers", help: "blockers the row stands for (1 for a listed row, the count on a summary row)", format: int}
//   waiting: {zh: 等待项目数, en: "Projects waiting", help: "projects that wait on them (1 for a listed row)", format: int}
// chart: false
// table: [project, depth, kind, blocker, state, path, inferred, blockers, waiting]
OPTIONAL MATCH (x1:Project {id: $project})
// The named thing through each label's key index; every project when nothing is named.
OPTIONAL MATCH (x2:Area {id: $project})
OPTIONAL MATCH (x3:Chain {id: $project})
OPTIONAL MATCH (x4:Goal {id: $project})
OPTIONAL MATCH (x5:Parcel {id: $project})
WITH [x IN [x1, x2, x3, x4, x5] WHERE x IS NOT NULL AND ($label IS NULL OR $label IN labels(x))] AS named
OPTIONAL MATCH (every:Project) WHERE $project IS NULL
WITH named, collect(every) AS every
UNWIND CASE WHEN $project IS NULL THEN every ELSE named END AS p
MATCH path = (p)-[:DEPENDS_ON|USES_PARCEL*1..10]->(d)
WHERE length(path) <= $max_depth
  AND all(r IN relationships(path) WHERE $lenient OR NOT coalesce(r.inferred, false))
WITH p, d, length(path) AS depth, [n IN nodes(path) | n.name] AS names,
     any(r IN relationships(path) WHERE coalesce(r.inferred, false)) AS via_inference
WITH p, d, depth, names, collect(via_inference) AS inferences
WITH p, d, depth, names, all(i IN inferences WHERE i) AS inferred,
     CASE WHEN d:Parcel THEN d.land_status ELSE d.status END AS state,
     coalesce(CASE WHEN d:Parcel THEN d.land_status IN $land_ready ELSE d.status IN $status_done END, false) AS done
WHERE $include_done OR NOT done
// The whole portfolio is 131,600 rows at scale M: counted by kind and state unless listed.
WITH p, d, depth, names, inferred, state, done, $detail OR $project IS NOT NULL AS listing,
     CASE WHEN d:Project THEN '项目' WHEN d:Parcel THEN '地块' ELSE '政策' END AS kind
WITH kind, state, done, CASE WHEN listing THEN p END AS waiter, CASE WHEN listing THEN d END AS blocker,
     CASE WHEN listing THEN depth END AS depth, CASE WHEN listing THEN names END AS names,
     CASE WHEN listing THEN inferred END AS inferred, p, d
WITH kind, state, done, waiter, blocker, depth, names, inferred,
     count(DISTINCT d) AS blockers, count(DISTINCT p) AS waiting
RETURN waiter.name AS project, depth AS depth, kind AS kind,
       blocker.name AS blocker, blocker.id AS blocker_id, state AS state, done AS done,
       names AS path, inferred AS inferred, blockers AS blockers, waiting AS waiting
ORDER BY project, depth, blocker, path, kind, state, done

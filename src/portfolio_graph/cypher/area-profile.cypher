// name: area-profile
// title: 片区概况 / Area profile
// description: >
//   One area (片区/社区/商圈/工业园/轴带) in one table: its projects and parcels (lying in it, held
//   by it, or in an area it contains) with their status and land status, the parcels its projects
//   are built on, the programmes and policies it takes part in (PARTICIPATES_IN) or is covered by
//   (COVERS), what its development depends on (DEPENDS_ON and USES_PARCEL, transitively, with
//   the path) and the goals it and its projects feed (CONTRIBUTES_TO). One row per fact; sources
//   holds the section and quote (or file, sheet and row) of every link on the row's path.
//   Strict by default: --lenient follows inferred links too.
// params:
//   area: {type: ref, labels: [Area], required: true, help: "the area: name, alias or id"}
// columns:
//   area: {zh: 片区, en: "Area", help: "the area"}
//   section: {zh: 栏目, en: "Section", help: "项目 / 地块 / 参与 / 覆盖 / 依赖 / 目标"}
//   item: {zh: 对象, en: "Item", help: "the project, parcel, policy or goal"}
//   item_id: {zh: 对象编号, en: "Item id", help: "its id", technical: true}
//   kind: {zh: 类别, en: "Kind", help: "项目 / 地块 / 目标, or a policy's kind (战略, 举措 …)"}
//   detail: {zh: 状态, en: "Detail", help: "a project's status, a parcel's land status, a goal's metric"}
//   via: {zh: 关系, en: "Via", help: "the last link on the path", technical: true}
//   path: {zh: 路径, en: "Path", help: "from the area to the item", ordered: true, format: list}
//   inferred: {zh: 推断, en: "Inferred", help: "true when the path holds only through an inferred link", format: bool}
//   sources: {zh: 出处, en: "Sources", help: "section and quote, or file, sheet and row, of each link on the path", ordered: true, format: list, technical: true}
// chart: false
// table: [section, item, kind, detail, path, inferred]
MATCH (a:Area {id: $area})
// The area itself and the areas it contains: the places whose projects and parcels it holds.
OPTIONAL MATCH (a)-[c1:CONTAINS]->(sub:Area)
WHERE $lenient OR NOT coalesce(c1.inferred, false)
WITH a, collect(CASE WHEN sub IS NULL THEN null ELSE
       {p: sub, path: [a.name, sub.name], inf: coalesce(c1.inferred, false),
        src: [coalesce(c1.section + ' 「' + c1.quote + '」', c1.source_file + ' ' + coalesce(c1.source_sheet + ' ', '') + '第' + toString(c1.source_row) + '行')]} END) AS subs
UNWIND [{p: a, path: [a.name], inf: false, src: []}] + subs AS pl
WITH a, pl, pl.p AS place
OPTIONAL MATCH (place)<-[l:LOCATED_IN]-(x)
WHERE (x:Project OR x:Parcel) AND ($lenient OR NOT coalesce(l.inferred, false))
WITH a, pl, place, collect(CASE WHEN x IS NULL THEN null ELSE
       {n: x, k: CASE WHEN x:Project THEN 'Project' ELSE 'Parcel' END, via: 'LOCATED_IN', path: pl.path + [x.name],
        inf: pl.inf OR coalesce(l.inferred, false),
        src: pl.src + [coalesce(l.section + ' 「' + l.quote + '」', l.source_file + ' ' + coalesce(l.source_sheet + ' ', '') + '第' + toString(l.source_row) + '行')]} END) AS located
OPTIONAL MATCH (place)-[k:CONTAINS]->(y)
WHERE (y:Project OR y:Parcel) AND ($lenient OR NOT coalesce(k.inferred, false))
WITH a, located, collect(CASE WHEN y IS NULL THEN null ELSE
       {n: y, k: CASE WHEN y:Project THEN 'Project' ELSE 'Parcel' END, via: 'CONTAINS', path: pl.path + [y.name],
        inf: pl.inf OR coalesce(k.inferred, false),
        src: pl.src + [coalesce(k.section + ' 「' + k.quote + '」', k.source_file + ' ' + coalesce(k.source_sheet + ' ', '') + '第' + toString(k.source_row) + '行')]} END) AS contained
WITH a, collect(located + contained) AS held_lists
WITH a, reduce(acc = [], l IN held_lists | acc + l) AS held
// The parcels its projects are built on.
UNWIND CASE WHEN size(held) = 0 THEN [null] ELSE held END AS h
WITH a, held, h, h.n AS hn
OPTIONAL MATCH (hn:Project)-[u:USES_PARCEL]->(pc:Parcel)
WHERE $lenient OR NOT coalesce(u.inferred, false)
WITH a, held, collect(CASE WHEN pc IS NULL THEN null ELSE
       {n: pc, k: 'Parcel', via: 'USES_PARCEL', path: h.path + [pc.name], inf: h.inf OR coalesce(u.inferred, false),
        src: h.src + [coalesce(u.section + ' 「' + u.quote + '」', u.source_file + ' ' + coalesce(u.source_sheet + ' ', '') + '第' + toString(u.source_row) + '行')]} END) AS used
// The goals the area and its projects feed.
UNWIND [{n: a, path: [a.name], inf: false, src: []}] + held AS h
WITH a, held, used, h, h.n AS hn
OPTIONAL MATCH (hn)-[ct:CONTRIBUTES_TO]->(g:Goal)
WHERE $lenient OR NOT coalesce(ct.inferred, false)
WITH a, held, used, collect(CASE WHEN g IS NULL THEN null ELSE
       {n: g, k: 'Goal', via: 'CONTRIBUTES_TO', path: h.path + [g.name], inf: h.inf OR coalesce(ct.inferred, false),
        src: h.src + [coalesce(ct.section + ' 「' + ct.quote + '」', ct.source_file + ' ' + coalesce(ct.source_sheet + ' ', '') + '第' + toString(ct.source_row) + '行')]} END) AS goals
// The programmes and projects it takes part in, and the policies that cover it.
OPTIONAL MATCH (a)-[pi:PARTICIPATES_IN]->(t)
WHERE $lenient OR NOT coalesce(pi.inferred, false)
WITH a, held, used, goals, collect(CASE WHEN t IS NULL THEN null ELSE
       {n: t, k: CASE WHEN t:Project THEN 'Project' ELSE 'Policy' END, via: 'PARTICIPATES_IN', path: [a.name, t.name],
        inf: coalesce(pi.inferred, false),
        src: [coalesce(pi.section + ' 「' + pi.quote + '」', pi.source_file + ' ' + coalesce(pi.source_sheet + ' ', '') + '第' + toString(pi.source_row) + '行')]} END) AS takes
OPTIONAL MATCH (a)<-[cv:COVERS]-(pol:Policy)
WHERE $lenient OR NOT coalesce(cv.inferred, false)
WITH a, held, used, goals, takes, collect(CASE WHEN pol IS NULL THEN null ELSE
       {n: pol, k: 'Policy', via: 'COVERS', path: [a.name, pol.name], inf: coalesce(cv.inferred, false),
        src: [coalesce(cv.section + ' 「' + cv.quote + '」', cv.source_file + ' ' + coalesce(cv.source_sheet + ' ', '') + '第' + toString(cv.source_row) + '行')]} END) AS covered
// What its development waits on, transitively.
OPTIONAL MATCH dp = (a)-[:DEPENDS_ON|USES_PARCEL*1..10]->(d)
WHERE all(r IN relationships(dp) WHERE $lenient OR NOT coalesce(r.inferred, false))
WITH a, held, used, goals, takes, covered, collect(CASE WHEN dp IS NULL THEN null ELSE
       {n: d, k: CASE WHEN d:Project THEN 'Project' WHEN d:Parcel THEN 'Parcel' ELSE 'Policy' END,
        via: type(last(relationships(dp))), path: [m IN nodes(dp) | m.name],
        inf: any(r IN relationships(dp) WHERE coalesce(r.inferred, false)),
        src: [r IN relationships(dp) | coalesce(r.section + ' 「' + r.quote + '」', r.source_file + ' ' + coalesce(r.source_sheet + ' ', '') + '第' + toString(r.source_row) + '行')]} END) AS deps
UNWIND ['项目', '地块', '参与', '覆盖', '依赖', '目标'] AS section
WITH a, section,
     CASE section WHEN '项目' THEN [x IN held WHERE x.k = 'Project']
                  WHEN '地块' THEN [x IN held WHERE x.k = 'Parcel'] + used
                  WHEN '参与' THEN takes WHEN '覆盖' THEN covered WHEN '依赖' THEN deps
                  ELSE goals END AS items
UNWIND items AS it
WITH a, section, it, it.n AS n
RETURN a.name AS area, section AS section, n.name AS item, n.id AS item_id,
       CASE it.k WHEN 'Project' THEN '项目' WHEN 'Parcel' THEN '地块' WHEN 'Goal' THEN '目标'
                 ELSE coalesce(n.kind, '政策') END AS kind,
       CASE it.k WHEN 'Parcel' THEN n.land_status WHEN 'Goal' THEN n.metric ELSE n.status END AS detail,
       it.via AS via, it.path AS path, it.inf AS inferred, it.src AS sources
ORDER BY CASE section WHEN '项目' THEN 0 WHEN '地块' THEN 1 WHEN '参与' THEN 2 WHEN '覆盖' THEN 3 WHEN '依赖' THEN 4 ELSE 5 END,
         item_id, via, path

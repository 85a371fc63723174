// name: project-profile
// title: 项目概况 / Project profile
// description: >
//   One project in one table: its status, investment, level and dates (the first row), its
//   operator (OPERATED_BY), area (LOCATED_IN, CONTAINS), parcels (USES_PARCEL), chain and segment
//   (IN_CHAIN), counted sets (MEMBER_OF, either way), the policies that support it with the
//   programmes and strategies above them (SUPPORTS, PART_OF), funds (FUNDS), who takes part
//   (PARTICIPATES_IN), goals (CONTRIBUTES_TO, directly or through its set or chain), what it
//   depends on and what depends on it (DEPENDS_ON, USES_PARCEL, transitively). One row per fact,
//   with the section and quote (or file, sheet and row) of each link it rests on. Strict by
//   default: --lenient follows inferred links too.
// params:
//   project: {type: ref, labels: [Project], required: true, help: "the project: name, alias or id"}
// columns:
//   project: {zh: 项目, en: "Project", help: "the project"}
//   section: {zh: 栏目, en: "Section", help: "项目 / 运营 / 片区 / 地块 / 产业链 / 集合 / 政策 / 资金 / 参与 / 目标 / 依赖 / 被依赖"}
//   item: {zh: 对象, en: "Item", help: "the related thing (the project itself on the first row)"}
//   item_id: {zh: 对象编号, en: "Item id", help: "its id", technical: true}
//   kind: {zh: 类别, en: "Kind", help: "what the item is: 项目 kind, 企业, 片区, 地块, 产业链, 环节, a policy's kind, 资金, 目标"}
//   detail: {zh: 状态, en: "Detail", help: "status, land status, a goal's metric or an area's kind"}
//   investment_yi: {zh: 总投资, en: "Investment", help: "the project's total investment (first row)", format: amount, unit: 亿元}
//   level: {zh: 项目级别, en: "Level", help: "the project's level (first row)"}
//   planned_end: {zh: 计划完成, en: "Planned end", help: "the project's planned completion (first row)", format: date}
//   via: {zh: 关系, en: "Via", help: "the link from the project's side", technical: true}
//   path: {zh: 路径, en: "Path", help: "from the project (or the programme above a policy) to the item", ordered: true, format: list}
//   inferred: {zh: 推断, en: "Inferred", help: "true when the path holds only through an inferred link", format: bool}
//   sources: {zh: 出处, en: "Sources", help: "section and quote, or file, sheet and row, of each link on the path", ordered: true, format: list, technical: true}
// chart: false
// table: [section, item, kind, detail, investment_yi, level, path, inferred]
MATCH (p:Project {id: $project})
// Links of one step from the project, either way, of the types a profile shows.
OPTIONAL MATCH (p)-[r:OPERATED_BY|LOCATED_IN|USES_PARCEL|IN_CHAIN|MEMBER_OF|CONTRIBUTES_TO]->(o)
WHERE $lenient OR NOT coalesce(r.inferred, false)
WITH p, collect(CASE WHEN o IS NULL THEN null ELSE
       {n: o, via: type(r), path: [p.name, o.name], inf: coalesce(r.inferred, false),
        src: [coalesce(r.section + ' 「' + r.quote + '」', r.source_file + ' ' + coalesce(r.source_sheet + ' ', '') + '第' + toString(r.source_row) + '行')]} END) AS outs
OPTIONAL MATCH (p)<-[r:CONTAINS|MEMBER_OF|FUNDS|PARTICIPATES_IN]-(i)
WHERE $lenient OR NOT coalesce(r.inferred, false)
WITH p, outs, collect(CASE WHEN i IS NULL THEN null ELSE
       {n: i, via: type(r), path: [p.name, i.name], inf: coalesce(r.inferred, false),
        src: [coalesce(r.section + ' 「' + r.quote + '」', r.source_file + ' ' + coalesce(r.source_sheet + ' ', '') + '第' + toString(r.source_row) + '行')]} END) AS ins
// The chain of a segment it is in, and the goals its sets and chains feed.
OPTIONAL MATCH up = (p)-[:MEMBER_OF|IN_CHAIN]->()-[:PART_OF|CONTRIBUTES_TO]->(u)
WHERE (u:Chain OR u:Goal) AND all(x IN relationships(up) WHERE $lenient OR NOT coalesce(x.inferred, false))
WITH p, outs, ins, collect(CASE WHEN up IS NULL THEN null ELSE
       {n: u, via: type(last(relationships(up))), path: [m IN nodes(up) | m.name],
        inf: any(x IN relationships(up) WHERE coalesce(x.inferred, false)),
        src: [x IN relationships(up) | coalesce(x.section + ' 「' + x.quote + '」', x.source_file + ' ' + coalesce(x.source_sheet + ' ', '') + '第' + toString(x.source_row) + '行')]} END) AS rolled
// The policies that support it, and the programmes and strategies they are part of.
OPTIONAL MATCH sp = (top:Policy)<-[:PART_OF*0..8]-(:Policy)-[:SUPPORTS]->(p)
WHERE all(x IN relationships(sp) WHERE $lenient OR NOT coalesce(x.inferred, false))
WITH p, outs, ins, rolled, collect(CASE WHEN sp IS NULL THEN null ELSE
       {n: top, via: 'SUPPORTS', path: [m IN nodes(sp) | m.name],
        inf: any(x IN relationships(sp) WHERE coalesce(x.inferred, false)),
        src: [x IN relationships(sp) | coalesce(x.section + ' 「' + x.quote + '」', x.source_file + ' ' + coalesce(x.source_sheet + ' ', '') + '第' + toString(x.source_row) + '行')]} END) AS policies
// What it waits on, and what waits on it.
OPTIONAL MATCH dp = (p)-[:DEPENDS_ON|USES_PARCEL*1..10]->(d)
WHERE all(x IN relationships(dp) WHERE $lenient OR NOT coalesce(x.inferred, false))
WITH p, outs, ins, rolled, policies, collect(CASE WHEN dp IS NULL THEN null ELSE
       {n: d, via: 'DEPENDS_ON', path: [m IN nodes(dp) | m.name],
        inf: any(x IN relationships(dp) WHERE coalesce(x.inferred, false)),
        src: [x IN relationships(dp) | coalesce(x.section + ' 「' + x.quote + '」', x.source_file + ' ' + coalesce(x.source_sheet + ' ', '') + '第' + toString(x.source_row) + '行')]} END) AS waits
OPTIONAL MATCH wp = (w)-[:DEPENDS_ON*1..10]->(p)
WHERE all(x IN relationships(wp) WHERE $lenient OR NOT coalesce(x.inferred, false))
WITH p, outs, ins, rolled, policies, waits, collect(CASE WHEN wp IS NULL THEN null ELSE
       {n: w, via: 'DEPENDED_ON_BY', path: reverse([m IN nodes(wp) | m.name]),
        inf: any(x IN relationships(wp) WHERE coalesce(x.inferred, false)),
        src: [x IN relationships(wp) | coalesce(x.section + ' 「' + x.quote + '」', x.source_file + ' ' + coalesce(x.source_sheet + ' ', '') + '第' + toString(x.source_row) + '行')]} END) AS dependants
UNWIND [{n: p, via: null, path: [p.name], inf: false,
         src: [coalesce(p.section + ' 「' + p.quote + '」', p.source_file + ' ' + coalesce(p.source_sheet + ' ', '') + '第' + toString(p.source_row) + '行')]}]
       + outs + ins + rolled + policies + waits + dependants AS it
WITH p, it, it.n AS n
WITH p, it, n,
     CASE WHEN n = p THEN '项目'
          WHEN it.via = 'OPERATED_BY' THEN '运营'
          WHEN it.via IN ['LOCATED_IN', 'CONTAINS'] THEN '片区'
          WHEN it.via = 'USES_PARCEL' THEN '地块'
          WHEN it.via = 'DEPENDS_ON' THEN '依赖'
          WHEN it.via = 'DEPENDED_ON_BY' THEN '被依赖'
          WHEN n:Goal THEN '目标'
          WHEN n:Chain OR n:ChainSegment THEN '产业链'
          WHEN it.via = 'MEMBER_OF' THEN '集合'
          WHEN it.via = 'SUPPORTS' THEN '政策'
          WHEN it.via = 'FUNDS' THEN '资金'
          ELSE '参与' END AS section
RETURN p.name AS project, section AS section, n.name AS item, n.id AS item_id,
       CASE WHEN n:Project THEN coalesce(n.kind, '项目') WHEN n:Enterprise THEN '企业' WHEN n:Area THEN '片区'
            WHEN n:Parcel THEN '地块' WHEN n:Chain THEN '产业链' WHEN n:ChainSegment THEN '环节'
            WHEN n:Policy THEN coalesce(n.kind, '政策') WHEN n:Fund THEN '资金' WHEN n:Goal THEN '目标'
            ELSE '其他' END AS kind,
       CASE WHEN n:Parcel THEN n.land_status WHEN n:Goal THEN n.metric WHEN n:Area THEN n.kind ELSE n.status END AS detail,
       CASE WHEN n = p THEN p.investment_yi END AS investment_yi,
       CASE WHEN n = p THEN p.level END AS level,
       CASE WHEN n = p THEN p.planned_end END AS planned_end,
       it.via AS via, it.path AS path, it.inf AS inferred, it.src AS sources
ORDER BY CASE section WHEN '项目' THEN 0 WHEN '运营' THEN 1 WHEN '片区' THEN 2 WHEN '地块' THEN 3
                      WHEN '产业链' THEN 4 WHEN '集合' THEN 5 WHEN '政策' THEN 6 WHEN '资金' THEN 7
                      WHEN '参与' THEN 8 WHEN '目标' THEN 9 WHEN '依赖' THEN 10 ELSE 11 END,
         item_id, via, path

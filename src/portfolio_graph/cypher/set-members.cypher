// name: set-members
// title: 集合成员 / Counted sets and their members
// description: >
//   Every counted set (a Project of kind 集合 or with set_size, a Parcel with set_size, such as
//   10个市级重大工业项目 or 6宗零散地块): the size the source counts, the members it names
//   (MEMBER_OF) with their operators (OPERATED_BY), and how many members are unnamed (set_size
//   less the named ones; empty where the source gives no count, as in "…等"). Strict by default:
//   --lenient counts inferred links too.
// params:
//   set: {type: ref, labels: [Project, Parcel], default: null, help: "one set: name, alias or id; every set when empty"}
// columns:
//   set: {zh: 集合, en: "Set", help: "the counted set"}
//   set_id: {zh: 集合编号, en: "Set id", help: "its id", technical: true}
//   kind: {zh: 类别, en: "Kind", help: "项目集合 / 地块集合"}
//   set_size: {zh: 数量, en: "Size", help: "how many the source counts", format: int}
//   named: {zh: 已列名, en: "Named", help: "members the source names", format: int}
//   unnamed: {zh: 未列名, en: "Unnamed", help: "set_size less the named members; empty without a count", format: int}
//   members: {zh: 成员, en: "Members", help: "the named members", format: list}
//   operators: {zh: 建设/运营单位, en: "Operators", help: "member: operator, for members with a stated (or with --lenient, inferred) operator", format: list}
//   status: {zh: 状态, en: "Status", help: "the set's status"}
//   investment_yi: {zh: 总投资, en: "Investment", help: "the set's total investment as the source gives it", format: amount, unit: 亿元}
//   sources: {zh: 出处, en: "Sources", help: "section and quote, or file, sheet and row, of the set and of each MEMBER_OF link", format: list, technical: true}
// chart: [set_size, named]
// chart_label: [set]
// table: [set, set_size, named, unnamed, members, operators, status]
OPTIONAL MATCH (s1:Project)
WHERE s1.kind = '集合' OR s1.set_size IS NOT NULL
WITH collect(s1) AS project_sets
OPTIONAL MATCH (s2:Parcel)
WHERE s2.set_size IS NOT NULL
WITH project_sets, collect(s2) AS parcel_sets
UNWIND project_sets + parcel_sets AS s
WITH s
WHERE $set IS NULL OR s.id = $set
OPTIONAL MATCH (m)-[r:MEMBER_OF]->(s)
WHERE $lenient OR NOT coalesce(r.inferred, false)
WITH s, m, r
OPTIONAL MATCH (m)-[o:OPERATED_BY]->(e:Enterprise)
WHERE $lenient OR NOT coalesce(o.inferred, false)
WITH s, m, r, collect(e.name) AS ops
WITH s,
     collect(m.name) AS members,
     collect(CASE WHEN m IS NULL THEN null ELSE [op IN ops | m.name + ': ' + op] END) AS op_lists,
     collect(CASE WHEN r IS NULL THEN null ELSE
       coalesce(r.section + ' 「' + r.quote + '」', r.source_file + ' ' + coalesce(r.source_sheet + ' ', '') + '第' + toString(r.source_row) + '行') END) AS member_sources
RETURN s.name AS set, s.id AS set_id, CASE WHEN s:Parcel THEN '地块集合' ELSE '项目集合' END AS kind,
       s.set_size AS set_size, size(members) AS named,
       CASE WHEN s.set_size IS NULL THEN null ELSE s.set_size - size(members) END AS unnamed,
       members AS members, reduce(acc = [], l IN op_lists | acc + l) AS operators,
       s.status AS status, s.investment_yi AS investment_yi,
       [coalesce(s.section + ' 「' + s.quote + '」', s.source_file + ' ' + coalesce(s.source_sheet + ' ', '') + '第' + toString(s.source_row) + '行')]
         + member_sources AS sources
ORDER BY set_id

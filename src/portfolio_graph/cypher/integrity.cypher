// name: integrity
// title: 数据完整性 / Integrity checks
// description: >
//   Problems in the graph itself. endpoint - a relationship whose type or ends the schema does not
//   allow (reads every relationship, so it runs only when asked: endpoints=true or check=endpoint;
//   the loader already refuses such links); unknown_label - a node with no schema label; unnamed -
//   a node without an id or a name (a reference to something never described); cycle - projects
//   that depend on each other in a circle (DEPENDS_ON; each simple cycle once, from its smallest
//   id); project_without_goal - a project that reaches no goal, not directly, not as a set member,
//   not through its chain; enterprise_without_chain - an enterprise in no chain or segment and
//   anchoring none. By default one row per check and label with how many problems it found (a
//   check that found none has one row with count 0); with detail, or when a check is named, one
//   row per problem. Strict by default: --lenient counts inferred links too (so fewer projects and
//   enterprises look unattached, more cycles may show).
// params:
//   check: {type: string, choices: [endpoint, unknown_label, unnamed, cycle, project_without_goal, enterprise_without_chain], default: null, help: "only this check, one row per problem"}
//   detail: {type: bool, default: false, help: "one row per problem for every check"}
//   endpoints: {type: bool, default: false, help: "also check every relationship's type and ends against the schema (reads every relationship)"}
// columns:
//   check: {zh: 检查项, en: "Check", help: "which check found the problem"}
//   label: {zh: 类型, en: "Label or type", help: "the node's label, or the relationship's type"}
//   id: {zh: 编号, en: "Id", help: "the node's id, or 'from -> to' for a relationship; empty on a summary row", technical: true}
//   name: {zh: 名称, en: "Name", help: "the node's name, or 'from -> to' for a relationship; empty on a summary row"}
//   detail: {zh: 问题说明, en: "Detail", help: "what is wrong; on a summary row, how many were found"}
//   count: {zh: 数量, en: "Count", help: "problems this row stands for (1 for a problem, the total on a summary row; empty for a check not run)", format: int}
// chart: false
UNWIND ['endpoint', 'unknown_label', 'unnamed', 'cycle', 'project_without_goal', 'enterprise_without_chain'] AS part
WITH part WHERE $check IS NULL OR $check = part
WITH part, $detail OR $check IS NOT NULL AS listing,
     part <> 'endpoint' OR $endpoints OR $check IS NOT NULL AS run
// One row per check, each carrying only its own findings: FalkorDB hashes every grouping key of
// every row, so a check never groups by another check's list, and a check's scan runs only on
// its own row (the part = '...' filter is applied before the scan). A summary of the two checks
// that find thousands counts instead of building a row per problem.
OPTIONAL MATCH (s)-[r]->(t)
WHERE part = 'endpoint' AND run
  AND none(ls IN labels(s) WHERE any(lt IN labels(t) WHERE (type(r) + ':' + ls + '>' + lt) IN $rel_endpoints))
WITH part, listing, run, collect(CASE WHEN r IS NULL THEN null ELSE
       {check: 'endpoint', label: type(r),
        id: coalesce(s.id, '?') + ' -> ' + coalesce(t.id, '?'),
        name: coalesce(s.name, '?') + ' -> ' + coalesce(t.name, '?'),
        detail: coalesce(head(labels(s)), '?') + ' -[' + type(r) + ']-> ' + coalesce(head(labels(t)), '?')
                + ' is not allowed by the schema'} END) AS found
OPTIONAL MATCH (u)
WHERE part = 'unknown_label' AND none(l IN labels(u) WHERE l IN $schema_labels)
WITH part, listing, run, found, collect(CASE WHEN u IS NULL THEN null ELSE
       {check: 'unknown_label', label: coalesce(head(labels(u)), '(none)'), id: u.id, name: u.name,
        detail: 'labels not in the schema: ' + coalesce(head(labels(u)), '(none)')} END) AS more
WITH part, listing, run, found + more AS found
OPTIONAL MATCH (v)
WHERE part = 'unnamed' AND (v.id IS NULL OR v.name IS NULL)
  AND any(l IN labels(v) WHERE l IN $portfolio_labels)
WITH part, listing, run, found, collect(CASE WHEN v IS NULL THEN null ELSE
       {check: 'unnamed', label: head(labels(v)), id: v.id, name: v.name,
        detail: CASE WHEN v.id IS NULL THEN 'no id' ELSE 'no name' END} END) AS more
WITH part, listing, run, found + more AS found
OPTIONAL MATCH cp = (a:Project)-[:DEPENDS_ON*1..10]->(a)
WHERE part = 'cycle'
  AND all(r IN relationships(cp) WHERE $lenient OR NOT coalesce(r.inferred, false))
  AND all(n IN nodes(cp) WHERE n.id >= a.id)
  AND all(x IN tail(nodes(cp)) WHERE size([y IN tail(nodes(cp)) WHERE y.id = x.id]) = 1)
WITH part, listing, run, found, collect(CASE WHEN cp IS NULL THEN null ELSE
       {check: 'cycle', label: 'Project', id: a.id, name: a.name,
        detail: reduce(text = a.name, n IN tail(nodes(cp)) | text + ' > ' + n.name)} END) AS more
WITH part, listing, run, found + more AS found
// Projects that reach a goal are found from the goals' side (300 goals walk back a few thousand
// links; 20k projects each walking forward took seconds). Listing: every project is counted once
// with 0 and each route with 1, and a project whose sum is 0 reaches no goal. Summary: all
// projects minus the distinct ones reached.
UNWIND CASE WHEN part = 'project_without_goal' THEN [0, 1] ELSE [null] END AS side
OPTIONAL MATCH (p:Project)
WHERE side = 0
OPTIONAL MATCH gp = (:Goal)<-[:MEMBER_OF|IN_CHAIN|PART_OF|CONTRIBUTES_TO*1..3]-(q:Project)
WHERE side = 1 AND all(r IN relationships(gp) WHERE $lenient OR NOT coalesce(r.inferred, false))
WITH part, listing, run, found, CASE WHEN listing THEN coalesce(p, q) END AS project, count(p) AS projects,
     count(DISTINCT q) AS reached, sum(side) AS routes
WITH part, listing, run, found, collect(CASE WHEN project IS NOT NULL AND routes = 0 THEN
       {check: 'project_without_goal', label: 'Project', id: project.id, name: project.name,
        detail: 'contributes to no goal; status ' + coalesce(project.status, '(none)')} END) AS more,
     sum(projects) AS projects, sum(reached) AS reached
WITH part, listing, run, found + more + CASE WHEN NOT listing AND projects > reached THEN
       [{check: part, label: 'Project', count: toInteger(projects - reached)}] ELSE [] END AS found
// An enterprise is chainless with no counted IN_CHAIN, IN_SEGMENT or ANCHORS link. Listing: one
// batched traversal over the three types with the filter in the count (an OPTIONAL MATCH with
// WHERE, or a pattern comprehension, runs once per enterprise on FalkorDB). Summary: all
// enterprises minus the distinct ones a counted link leaves from.
OPTIONAL MATCH (e:Enterprise)
WHERE part = 'enterprise_without_chain' AND listing
OPTIONAL MATCH (e)-[x:IN_CHAIN|IN_SEGMENT|ANCHORS]->()
WITH part, listing, run, found, e,
     count(CASE WHEN x IS NOT NULL AND ($lenient OR NOT coalesce(x.inferred, false)) THEN 1 END) AS links
WHERE links = 0
WITH part, listing, run, found, collect(CASE WHEN e IS NOT NULL THEN
       {check: 'enterprise_without_chain', label: 'Enterprise', id: e.id, name: e.name,
        detail: 'in no chain or segment'} END) AS more
WITH part, listing, run, found + more AS found
// FalkorDB walks one relationship type at a time several times faster than three at once, so
// the summary walks each type on its own row, the biggest last (the rows of the other types pass
// its clause unwalked).
UNWIND CASE WHEN part = 'enterprise_without_chain' AND NOT listing THEN [1, 2, 3] ELSE [null] END AS k
OPTIONAL MATCH (f1:Enterprise)-[y1:ANCHORS]->() WHERE k = 1
OPTIONAL MATCH (f2:Enterprise)-[y2:IN_SEGMENT]->() WHERE k = 2
OPTIONAL MATCH (f3:Enterprise)-[y3:IN_CHAIN]->() WHERE k = 3
WITH part, listing, run, found, coalesce(f1, f2, f3) AS f,
     coalesce(y1.inferred, y2.inferred, y3.inferred) AS inferred
WITH part, listing, run, found,
     count(DISTINCT CASE WHEN $lenient OR NOT coalesce(inferred, false) THEN f END) AS linked
OPTIONAL MATCH (g:Enterprise)
WHERE part = 'enterprise_without_chain' AND NOT listing
WITH part, listing, run, found, linked, count(g) AS enterprises
WITH part, listing, run, found + CASE WHEN enterprises > linked THEN
       [{check: part, label: 'Enterprise', count: enterprises - linked}] ELSE [] END AS found
// Tens of thousands of problems are counted, not listed, unless asked for: one summary row per
// label the check found (labels of one check are few), or a row with count 0.
WITH part, listing, run, found,
     CASE WHEN listing THEN [] ELSE reduce(seen = [], f IN found |
       CASE WHEN f.label IN seen THEN seen ELSE seen + f.label END) END AS labels
UNWIND CASE WHEN listing THEN found
            WHEN NOT run THEN [{check: part, label: null, id: null, name: null, count: null,
                                detail: 'not checked (endpoints=true reads every relationship)'}]
            WHEN size(labels) = 0 THEN [{check: part, label: null, id: null, name: null,
                                         detail: 'none found', count: 0}]
            ELSE [l IN labels | {check: part, label: l, id: null, name: null,
                                 count: reduce(n = 0, f IN found | n + CASE WHEN f.label = l THEN coalesce(f.count, 1) ELSE 0 END)}] END AS row
RETURN row.check AS check, row.label AS label, row.id AS id, row.name AS name,
       coalesce(row.detail, toString(row.count) + ' found') AS detail,
       CASE WHEN row.check = part AND NOT run THEN null ELSE coalesce(row.count, 1) END AS count
ORDER BY CASE check WHEN 'endpoint' THEN 0 WHEN 'unknown_label' THEN 1 WHEN 'unnamed' THEN 2
                    WHEN 'cycle' THEN 3 WHEN 'project_without_goal' THEN 4 ELSE 5 END,
         label, id, detail

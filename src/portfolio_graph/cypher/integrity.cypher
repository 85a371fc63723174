// name: integrity
// title: 数据完整性 / Integrity checks
// description: >
//   Problems in the graph itself, one row each. endpoint - a relationship whose type or ends the
//   schema does not allow; unknown_label - a node with no schema label; unnamed - a node without
//   an id or a name (a reference to something never described); cycle - projects that depend on
//   each other in a circle (DEPENDS_ON; each simple cycle once, from its smallest id);
//   project_without_goal - a project that reaches no goal, not directly, not as a set member,
//   not through its chain; enterprise_without_chain - an enterprise in no chain or segment and
//   anchoring none. Strict by default: --lenient counts
//   inferred links too (so fewer projects and enterprises look unattached, more cycles may show).
// params:
//   check: {type: string, choices: [endpoint, unknown_label, unnamed, cycle, project_without_goal, enterprise_without_chain], default: null, help: "only this check"}
// columns:
//   check: which check found the problem
//   label: the node's label, or the relationship's type
//   id: the node's id, or 'from -> to' for a relationship
//   name: the node's name, or 'from -> to' for a relationship
//   detail: what is wrong
// chart: false
UNWIND ['endpoint', 'unknown_label', 'unnamed', 'cycle', 'project_without_goal', 'enterprise_without_chain'] AS part
WITH part WHERE $check IS NULL OR $check = part
// One row per check, each carrying only its own findings: FalkorDB hashes every grouping key of
// every row, so a check never groups by another check's list, and a check's scan runs only on
// its own row (the part = '...' filter is applied before the scan).
OPTIONAL MATCH (s)-[r]->(t)
WHERE part = 'endpoint'
  AND none(ls IN labels(s) WHERE any(lt IN labels(t) WHERE (type(r) + ':' + ls + '>' + lt) IN $rel_endpoints))
WITH part, collect(CASE WHEN r IS NULL THEN null ELSE
       {check: 'endpoint', label: type(r),
        id: coalesce(s.id, '?') + ' -> ' + coalesce(t.id, '?'),
        name: coalesce(s.name, '?') + ' -> ' + coalesce(t.name, '?'),
        detail: coalesce(head(labels(s)), '?') + ' -[' + type(r) + ']-> ' + coalesce(head(labels(t)), '?')
                + ' is not allowed by the schema'} END) AS found
OPTIONAL MATCH (u)
WHERE part = 'unknown_label' AND none(l IN labels(u) WHERE l IN $schema_labels)
WITH part, found, collect(CASE WHEN u IS NULL THEN null ELSE
       {check: 'unknown_label', label: coalesce(head(labels(u)), '(none)'), id: u.id, name: u.name,
        detail: 'labels not in the schema: ' + coalesce(head(labels(u)), '(none)')} END) AS more
WITH part, found + more AS found
OPTIONAL MATCH (v)
WHERE part = 'unnamed' AND any(l IN labels(v) WHERE l IN $schema_labels)
  AND NOT v:Load AND (v.id IS NULL OR v.name IS NULL)
WITH part, found, collect(CASE WHEN v IS NULL THEN null ELSE
       {check: 'unnamed', label: head(labels(v)), id: v.id, name: v.name,
        detail: CASE WHEN v.id IS NULL THEN 'no id' ELSE 'no name' END} END) AS more
WITH part, found + more AS found
OPTIONAL MATCH cp = (a:Project)-[:DEPENDS_ON*1..10]->(a)
WHERE part = 'cycle'
  AND all(r IN relationships(cp) WHERE $lenient OR NOT coalesce(r.inferred, false))
  AND all(n IN nodes(cp) WHERE n.id >= a.id)
  AND all(x IN tail(nodes(cp)) WHERE size([y IN tail(nodes(cp)) WHERE y.id = x.id]) = 1)
WITH part, found, collect(CASE WHEN cp IS NULL THEN null ELSE
       {check: 'cycle', label: 'Project', id: a.id, name: a.name,
        detail: reduce(text = a.name, n IN tail(nodes(cp)) | text + ' > ' + n.name)} END) AS more
WITH part, found + more AS found
OPTIONAL MATCH (p:Project)
WHERE part = 'project_without_goal'
OPTIONAL MATCH gp = (p)-[:MEMBER_OF|IN_CHAIN|PART_OF|CONTRIBUTES_TO*1..3]->(:Goal)
WHERE all(r IN relationships(gp) WHERE $lenient OR NOT coalesce(r.inferred, false))
WITH part, found, p, count(gp) AS routes
WITH part, found, collect(CASE WHEN p IS NOT NULL AND routes = 0 THEN
       {check: 'project_without_goal', label: 'Project', id: p.id, name: p.name,
        detail: 'contributes to no goal; status ' + coalesce(p.status, '(none)')} END) AS more
WITH part, found + more AS found
// An enterprise is chainless with no counted IN_CHAIN, IN_SEGMENT or ANCHORS link: one type at a
// time, each asked only of the enterprises still without a link, with the filter in the count
// (an OPTIONAL MATCH with WHERE, or a pattern comprehension, runs once per enterprise on FalkorDB).
OPTIONAL MATCH (e:Enterprise)
WHERE part = 'enterprise_without_chain'
OPTIONAL MATCH (e)-[x1:IN_CHAIN]->(y1)
WITH part, found, e, count(CASE WHEN $lenient OR NOT coalesce(x1.inferred, false) THEN y1 END) AS links
WHERE links = 0
OPTIONAL MATCH (e)-[x2:IN_SEGMENT]->(y2)
WITH part, found, e, count(CASE WHEN $lenient OR NOT coalesce(x2.inferred, false) THEN y2 END) AS links
WHERE links = 0
OPTIONAL MATCH (e)-[x3:ANCHORS]->(y3)
WITH part, found, e, count(CASE WHEN $lenient OR NOT coalesce(x3.inferred, false) THEN y3 END) AS links
WHERE links = 0
WITH part, found, collect(CASE WHEN e IS NOT NULL THEN
       {check: 'enterprise_without_chain', label: 'Enterprise', id: e.id, name: e.name,
        detail: 'in no chain or segment'} END) AS more
WITH part, found + more AS found
UNWIND found AS row
RETURN row.check AS check, row.label AS label, row.id AS id, row.name AS name, row.detail AS detail
ORDER BY CASE check WHEN 'endpoint' THEN 0 WHEN 'unknown_label' THEN 1 WHEN 'unnamed' THEN 2
                    WHEN 'cycle' THEN 3 WHEN 'project_without_goal' THEN 4 ELSE 5 END,
         label, id, detail

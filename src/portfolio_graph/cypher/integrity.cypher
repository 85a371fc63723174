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
OPTIONAL MATCH (s)-[r]->(t)
WHERE ($check IS NULL OR $check = 'endpoint')
  AND none(ls IN labels(s) WHERE any(lt IN labels(t) WHERE (type(r) + ':' + ls + '>' + lt) IN $rel_endpoints))
WITH collect(CASE WHEN r IS NULL THEN null ELSE
       {check: 'endpoint', label: type(r),
        id: coalesce(s.id, '?') + ' -> ' + coalesce(t.id, '?'),
        name: coalesce(s.name, '?') + ' -> ' + coalesce(t.name, '?'),
        detail: coalesce(head(labels(s)), '?') + ' -[' + type(r) + ']-> ' + coalesce(head(labels(t)), '?')
                + ' is not allowed by the schema'} END) AS endpoint
OPTIONAL MATCH (u)
WHERE ($check IS NULL OR $check = 'unknown_label') AND none(l IN labels(u) WHERE l IN $schema_labels)
WITH endpoint, collect(CASE WHEN u IS NULL THEN null ELSE
       {check: 'unknown_label', label: coalesce(head(labels(u)), '(none)'), id: u.id, name: u.name,
        detail: 'labels not in the schema: ' + coalesce(head(labels(u)), '(none)')} END) AS unknown
OPTIONAL MATCH (v)
WHERE ($check IS NULL OR $check = 'unnamed') AND any(l IN labels(v) WHERE l IN $schema_labels)
  AND NOT v:Load AND (v.id IS NULL OR v.name IS NULL)
WITH endpoint, unknown, collect(CASE WHEN v IS NULL THEN null ELSE
       {check: 'unnamed', label: head(labels(v)), id: v.id, name: v.name,
        detail: CASE WHEN v.id IS NULL THEN 'no id' ELSE 'no name' END} END) AS unnamed
OPTIONAL MATCH cp = (a:Project)-[:DEPENDS_ON*1..10]->(a)
WHERE ($check IS NULL OR $check = 'cycle')
  AND all(r IN relationships(cp) WHERE $lenient OR NOT coalesce(r.inferred, false))
  AND all(n IN nodes(cp) WHERE n.id >= a.id)
  AND all(x IN tail(nodes(cp)) WHERE size([y IN tail(nodes(cp)) WHERE y.id = x.id]) = 1)
WITH endpoint, unknown, unnamed, collect(CASE WHEN cp IS NULL THEN null ELSE
       {check: 'cycle', label: 'Project', id: a.id, name: a.name,
        detail: reduce(text = a.name, n IN tail(nodes(cp)) | text + ' > ' + n.name)} END) AS cycles
OPTIONAL MATCH (p:Project)
WHERE $check IS NULL OR $check = 'project_without_goal'
OPTIONAL MATCH gp = (p)-[:MEMBER_OF|IN_CHAIN|PART_OF|CONTRIBUTES_TO*1..3]->(:Goal)
WHERE all(r IN relationships(gp) WHERE $lenient OR NOT coalesce(r.inferred, false))
WITH endpoint, unknown, unnamed, cycles, p, count(gp) AS routes
WITH endpoint, unknown, unnamed, cycles, collect(CASE WHEN p IS NOT NULL AND routes = 0 THEN
       {check: 'project_without_goal', label: 'Project', id: p.id, name: p.name,
        detail: 'contributes to no goal; status ' + coalesce(p.status, '(none)')} END) AS goalless
OPTIONAL MATCH (e:Enterprise)
WHERE $check IS NULL OR $check = 'enterprise_without_chain'
WITH endpoint, unknown, unnamed, cycles, goalless, e,
     size([(e)-[x:IN_SEGMENT|IN_CHAIN|ANCHORS]->(y) WHERE $lenient OR NOT coalesce(x.inferred, false) | y]) AS links
WITH endpoint, unknown, unnamed, cycles, goalless, collect(CASE WHEN e IS NOT NULL AND links = 0 THEN
       {check: 'enterprise_without_chain', label: 'Enterprise', id: e.id, name: e.name,
        detail: 'in no chain or segment'} END) AS chainless
UNWIND endpoint + unknown + unnamed + cycles + goalless + chainless AS row
RETURN row.check AS check, row.label AS label, row.id AS id, row.name AS name, row.detail AS detail
ORDER BY CASE check WHEN 'endpoint' THEN 0 WHEN 'unknown_label' THEN 1 WHEN 'unnamed' THEN 2
                    WHEN 'cycle' THEN 3 WHEN 'project_without_goal' THEN 4 ELSE 5 END,
         label, id, detail

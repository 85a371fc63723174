// name: goal-coverage
// title: 目标支撑 / What supports each goal
// description: >
//   Every goal with a target (a target value or a comparator) and what supports it, by kind:
//   projects (contributing directly, named members of a contributing set, or in a contributing
//   chain or its segments), enterprises (contributing directly, or members of a contributing
//   chain: IN_CHAIN, 链主, or in one of its segments), chains, policies and areas. Goals whose
//   industry (a contributing chain) has no member enterprise or project come first, with those
//   chains in gap_chains. Strict by default: --lenient counts inferred links too.
// params:
//   year: {type: int, default: null, help: "only goals due in this year"}
// columns:
//   goal: {zh: 目标, en: "Goal", help: "the goal"}
//   goal_id: {zh: 目标编号, en: "Goal id", help: "its id", technical: true}
//   year: {zh: 年份, en: "Year", help: "year the goal is due", format: int}
//   target_value: {zh: 目标值, en: "Target", help: "the target", format: number}
//   unit: {zh: 单位, en: "Unit", help: "unit of the target"}
//   gap_chains: {zh: 无成员的产业链, en: "Chains without members", help: "contributing chains with no member enterprise or project", format: list}
//   chains: {zh: 产业链, en: "Chains", help: "contributing chains", format: list}
//   projects: {zh: 项目, en: "Projects", help: "projects behind the goal", format: list}
//   enterprises: {zh: 企业, en: "Enterprises", help: "enterprises behind the goal", format: list}
//   policies: {zh: 政策, en: "Policies", help: "contributing policies, programmes and strategies", format: list}
//   areas: {zh: 片区, en: "Areas", help: "contributing areas", format: list}
//   project_count: {zh: 项目数, en: "Projects (count)", help: "how many projects", format: int}
//   enterprise_count: {zh: 企业数, en: "Enterprises (count)", help: "how many enterprises", format: int}
//   policy_count: {zh: 政策数, en: "Policies (count)", help: "how many policies", format: int}
//   support: {zh: 支撑情况, en: "Support", help: "产业链无成员 / 无支撑 / 仅政策或片区 / 有项目 / 有企业 / 有项目和企业"}
// chart: [project_count, enterprise_count, policy_count]
// chart_label: [goal]
// table: [goal, year, support, gap_chains, project_count, enterprise_count, policy_count, chains, policies]
MATCH (g:Goal)
WHERE (g.target_value IS NOT NULL OR g.comparator IS NOT NULL) AND ($year IS NULL OR g.year = $year)
OPTIONAL MATCH (n)-[c:CONTRIBUTES_TO]->(g)
WITH g, CASE WHEN $lenient OR NOT coalesce(c.inferred, false) THEN n END AS n
WITH DISTINCT g, n
// Members of a contributing chain: on the chain itself, or in one of its segments.
OPTIONAL MATCH (x)-[r:IN_CHAIN|ANCHORS]->(n:Chain)
WITH g, n, collect(CASE WHEN $lenient OR NOT coalesce(r.inferred, false) THEN x END) AS on_chain
OPTIONAL MATCH (y)-[r1:IN_SEGMENT|IN_CHAIN]->(:ChainSegment)-[r2:PART_OF]->(n:Chain)
WITH g, n, on_chain,
     collect(CASE WHEN r2 IS NOT NULL AND ($lenient OR NOT (coalesce(r1.inferred, false) OR coalesce(r2.inferred, false))) THEN y END) AS in_segments
WITH g, n, on_chain + in_segments AS members
// Named members of a contributing set.
OPTIONAL MATCH (m:Project)-[r:MEMBER_OF]->(n:Project)
WITH g, n, members, collect(CASE WHEN $lenient OR NOT coalesce(r.inferred, false) THEN m END) AS set_members
WITH g, collect(n) AS contributors,
     collect(CASE WHEN n:Chain THEN [n.name, toString(size(members))] END) AS chain_sizes,
     collect(members + set_members) AS behind_lists
WITH g, contributors, chain_sizes, reduce(acc = [], l IN behind_lists | acc + l) AS behind
WITH g, contributors, chain_sizes,
     reduce(acc = [], x IN [n IN contributors WHERE n:Project] + [x IN behind WHERE x:Project] |
            CASE WHEN x IN acc THEN acc ELSE acc + [x] END) AS projects,
     reduce(acc = [], x IN [n IN contributors WHERE n:Enterprise] + [x IN behind WHERE x:Enterprise] |
            CASE WHEN x IN acc THEN acc ELSE acc + [x] END) AS enterprises
WITH g, contributors, projects, enterprises,
     [cs IN chain_sizes WHERE cs[1] = '0' | cs[0]] AS gap_chains,
     [n IN contributors WHERE n:Policy] AS policies
RETURN g.name AS goal, g.id AS goal_id, g.year AS year, g.target_value AS target_value, g.unit AS unit,
       gap_chains AS gap_chains,
       [n IN contributors WHERE n:Chain | n.name] AS chains,
       [p IN projects | p.name] AS projects,
       [e IN enterprises | e.name] AS enterprises,
       [p IN policies | p.name] AS policies,
       [n IN contributors WHERE n:Area | n.name] AS areas,
       size(projects) AS project_count, size(enterprises) AS enterprise_count, size(policies) AS policy_count,
       CASE WHEN size(gap_chains) > 0 THEN '产业链无成员'
            WHEN size(contributors) = 0 THEN '无支撑'
            WHEN size(projects) > 0 AND size(enterprises) > 0 THEN '有项目和企业'
            WHEN size(projects) > 0 THEN '有项目'
            WHEN size(enterprises) > 0 THEN '有企业'
            ELSE '仅政策或片区' END AS support
ORDER BY CASE WHEN size(gap_chains) > 0 THEN 0 ELSE 1 END, coalesce(year, 9999), goal_id

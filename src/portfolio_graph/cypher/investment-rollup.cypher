// name: investment-rollup
// title: 投资汇总 / Investment roll-up
// description: >
//   Project investment (亿元) summed by area, by chain, by status word, by phase and by level,
//   plus the total. A counted set of projects (10个市级重大工业项目…) counts only the part of its
//   investment its named members do not carry themselves, so nothing is counted twice. A project
//   in nested areas counts in each area, so area groups overlap; share_pct is the share of the
//   total. Strict by default: --lenient places projects by inferred LOCATED_IN/CONTAINS/IN_CHAIN too.
// params:
//   by: {type: string, choices: [area, chain, status, phase, level], default: null, help: "only this grouping; every grouping when empty"}
//   year: {type: int, default: null, help: "only projects listed under this plan year"}
// columns:
//   dimension: {zh: 汇总维度, en: "Dimension", help: "total / area / chain / status / phase / level"}
//   group: {zh: 分组, en: "Group", help: "the area, chain, status word, phase or level; (未注明) when the project gives none"}
//   projects: {zh: 项目数, en: "Projects", help: "projects in the group", format: int}
//   with_investment: {zh: 有投资额的项目, en: "Projects with investment", help: "projects in the group that carry an investment figure", format: int}
//   investment_yi: {zh: 总投资, en: "Investment", help: "investment in 亿元", format: amount, unit: 亿元}
//   share_pct: {zh: 占比, en: "Share", help: "share of the total investment, in percent", format: percent}
// chart: [investment_yi]
// chart_label: [dimension, group]
MATCH (p:Project)
WHERE $year IS NULL OR p.year = $year
OPTIONAL MATCH (m:Project)-[:MEMBER_OF]->(p)
WITH p, sum(coalesce(m.investment_yi, 0)) AS members_yi
WITH p, CASE WHEN p.investment_yi IS NULL THEN null
             WHEN p.investment_yi > members_yi THEN p.investment_yi - members_yi
             ELSE 0 END AS yi
// OPTIONAL MATCH without WHERE (the link filters sit in the CASEs below) keeps FalkorDB's
// traversals batched; a pattern comprehension or a filtered OPTIONAL MATCH runs once per project.
// One undirected walk finds the areas (a project only lies in an area or is contained by one) and
// one IN_CHAIN walk the chains and segments, a segment then leading on to its chain.
OPTIONAL MATCH (p)-[x:LOCATED_IN|CONTAINS]-(a:Area)
OPTIONAL MATCH (p)-[ic:IN_CHAIN]->(c)
OPTIONAL MATCH (c)-[po:PART_OF]->(c2:Chain)
WITH p, yi,
     CASE WHEN $lenient OR NOT coalesce(x.inferred, false) THEN a.name END AS area,
     CASE WHEN c:Chain AND ($lenient OR NOT coalesce(ic.inferred, false)) THEN c.name
          WHEN $lenient OR NOT (coalesce(ic.inferred, false) OR coalesce(po.inferred, false)) THEN c2.name END AS chain
// One 'own' row per project carries its status, level and phase (total, status, phase and level
// are summed from those below, once per combination instead of once per project); an area or
// chain counts a project once per group name, however many links lead there. Plain strings, not
// a list of maps per row: building maps was the largest single cost.
UNWIND ['own', 'area', 'chain'] AS dimension
WITH p, yi, dimension, CASE dimension WHEN 'area' THEN area WHEN 'chain' THEN chain END AS grp
WHERE dimension = 'own' OR grp IS NOT NULL
WITH DISTINCT p, yi, dimension, grp
WITH dimension, grp,
     CASE WHEN dimension = 'own' THEN p.status END AS status,
     CASE WHEN dimension = 'own' THEN p.level END AS level,
     count(p) AS n, count(yi) AS n_yi, sum(coalesce(yi, 0)) AS s_yi
WITH dimension, grp, status, level,
     CASE WHEN dimension <> 'own' THEN null
          WHEN status IN $status_done THEN 'done'
          WHEN status IN $status_blocked THEN 'blocked'
          WHEN status IN $status_delayed THEN 'delayed'
          WHEN status IN $status_in_progress THEN 'in_progress'
          ELSE 'not_started' END AS phase, n, n_yi, s_yi
UNWIND CASE WHEN dimension = 'own' THEN
         [{dimension: 'total', group: '全部'}, {dimension: 'status', group: coalesce(status, '(未注明)')},
          {dimension: 'phase', group: phase}, {dimension: 'level', group: coalesce(level, '(未注明)')}]
       ELSE [{dimension: dimension, group: grp}] END AS g
WITH g.dimension AS dimension, g.group AS grp, sum(n) AS projects, sum(n_yi) AS with_investment,
     sum(s_yi) AS investment
// The total is the 'total' group's investment: summed once over ~150 groups instead of carrying every
// project through one list.
WITH collect([dimension, grp, projects, with_investment, investment]) AS groups,
     sum(CASE WHEN dimension = 'total' THEN investment ELSE 0 END) AS total
UNWIND groups AS row
WITH total, row[0] AS dimension, row[1] AS grp, row[2] AS projects, row[3] AS with_investment, row[4] AS investment
WHERE $by IS NULL OR dimension = $by OR dimension = 'total'
RETURN dimension AS dimension, grp AS group, projects AS projects,
       with_investment AS with_investment,
       round(10000.0 * investment) / 10000.0 AS investment_yi,
       CASE WHEN total = 0 THEN null ELSE round(1000.0 * investment / total) / 10.0 END AS share_pct
ORDER BY CASE dimension WHEN 'total' THEN 0 WHEN 'area' THEN 1 WHEN 'chain' THEN 2
                        WHEN 'status' THEN 3 WHEN 'phase' THEN 4 ELSE 5 END,
         investment_yi DESC, projects DESC, group

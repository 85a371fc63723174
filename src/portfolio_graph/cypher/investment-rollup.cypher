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
//   dimension: total / area / chain / status / phase / level
//   group: the area, chain, status word, phase or level; (未注明) when the project gives none
//   projects: projects in the group
//   with_investment: projects in the group that carry an investment figure
//   investment_yi: investment in 亿元
//   share_pct: share of the total investment, in percent
// chart: [investment_yi]
// chart_label: [dimension, group]
MATCH (p:Project)
WHERE $year IS NULL OR p.year = $year
OPTIONAL MATCH (m:Project)-[:MEMBER_OF]->(p)
WITH p, sum(coalesce(m.investment_yi, 0)) AS members_yi
WITH p, CASE WHEN p.investment_yi IS NULL THEN null
             WHEN p.investment_yi > members_yi THEN p.investment_yi - members_yi
             ELSE 0 END AS yi
WITH collect({project: p, yi: yi}) AS items, sum(coalesce(yi, 0)) AS total
UNWIND items AS item
WITH total, item.project AS p, item.yi AS yi
WITH total, p, yi,
     [(p)-[li:LOCATED_IN]->(a1:Area) WHERE $lenient OR NOT coalesce(li.inferred, false) | a1.name]
       + [(a2:Area)-[co:CONTAINS]->(p) WHERE $lenient OR NOT coalesce(co.inferred, false) | a2.name] AS areas,
     [(p)-[ic:IN_CHAIN]->(c1:Chain) WHERE $lenient OR NOT coalesce(ic.inferred, false) | c1.name]
       + [(p)-[is:IN_CHAIN]->(s:ChainSegment)-[po:PART_OF]->(c2:Chain)
          WHERE $lenient OR NOT (coalesce(is.inferred, false) OR coalesce(po.inferred, false)) | c2.name] AS chains,
     CASE WHEN p.status IN $status_done THEN 'done'
          WHEN p.status IN $status_blocked THEN 'blocked'
          WHEN p.status IN $status_delayed THEN 'delayed'
          WHEN p.status IN $status_in_progress THEN 'in_progress'
          ELSE 'not_started' END AS phase
UNWIND [{dimension: 'total', group: '全部'}]
       + [a IN areas | {dimension: 'area', group: a}]
       + [c IN chains | {dimension: 'chain', group: c}]
       + [{dimension: 'status', group: coalesce(p.status, '(未注明)')},
          {dimension: 'phase', group: phase},
          {dimension: 'level', group: coalesce(p.level, '(未注明)')}] AS pair
WITH DISTINCT total, p, yi, pair.dimension AS dimension, pair.group AS grp
WHERE $by IS NULL OR dimension = $by OR dimension = 'total'
WITH total, dimension, grp, count(p) AS projects, count(yi) AS with_investment,
     sum(coalesce(yi, 0)) AS investment
RETURN dimension AS dimension, grp AS group, projects AS projects,
       with_investment AS with_investment,
       round(10000.0 * investment) / 10000.0 AS investment_yi,
       CASE WHEN total = 0 THEN null ELSE round(1000.0 * investment / total) / 10.0 END AS share_pct
ORDER BY CASE dimension WHEN 'total' THEN 0 WHEN 'area' THEN 1 WHEN 'chain' THEN 2
                        WHEN 'status' THEN 3 WHEN 'phase' THEN 4 ELSE 5 END,
         investment_yi DESC, projects DESC, group

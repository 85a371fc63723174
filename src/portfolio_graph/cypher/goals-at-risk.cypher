// name: goals-at-risk
// title: 目标风险 / Goals at risk
// description: >
//   Each goal with what contributes to it (CONTRIBUTES_TO) and the projects behind it: projects
//   that contribute directly, named members of contributing project sets (MEMBER_OF) and
//   projects that build up a contributing chain or its segments (IN_CHAIN). Counts the projects
//   by phase and the share that is blocked, delayed or not started. risk: 无支撑 when nothing
//   contributes, 无项目 when contributors carry no project to track, else 高 (the share reaches
//   the threshold), 中 (some at risk) or 低 (none). Stated indicators (an actual value with no
//   target or comparator) are left out unless include_indicators. Strict by default: --lenient
//   counts inferred links too. With as_of (a month, e.g. 2023-05) the risk comes from the projects'
//   红黄绿灯 lights under a rule profile instead of their status words: at risk are the red and
//   yellow projects; the roll-up gives Σ completed ÷ Σ planned against 序时, the counts per light,
//   the share of red projects by count and by planned investment, and the warnings the projects
//   inherit from red/yellow prerequisites and unready parcels, with the path.
// params:
//   year: {type: int, default: null, help: "only goals due in this year, e.g. 2025"}
//   threshold: {type: float, default: 0.5, min: 0, max: 1, help: "share of projects at risk from which the risk is 高"}
//   at_risk_only: {type: bool, default: false, help: "only goals whose risk is 无支撑 or 高"}
//   include_indicators: {type: bool, default: false, help: "also list stated indicators that have no target"}
//   as_of: {type: string, default: null, help: "a month (2023-05): risk from the projects' lights that month"}
//   profile: {type: string, default: default, help: "with as_of: the rule profile, a name or a .yaml file"}
// compute: goals-at-risk
// reads: [goal, goal_id, year, target_value, unit, contributors, chains, projects, project_ids, project_count, done, in_progress, delayed, blocked, not_started, at_risk_projects, at_risk_pct, enterprises, enterprise_count, risk, risk_basis]
// columns:
//   goal: {zh: 目标, en: "Goal", help: "the goal"}
//   goal_id: {zh: 目标编号, en: "Goal id", help: "the goal's id", technical: true}
//   year: {zh: 年份, en: "Year", help: "year the goal is due", format: int}
//   target_value: {zh: 目标值, en: "Target", help: "the target", format: number}
//   unit: {zh: 单位, en: "Unit", help: "unit of the target"}
//   contributors: {zh: 支撑方, en: "Contributors", help: "everything that contributes directly (projects, chains, policies, enterprises, areas)", format: list}
//   chains: {zh: 支撑产业链, en: "Contributing chains", help: "contributing chains", format: list}
//   projects: {zh: 相关项目, en: "Projects", help: "projects behind the goal (direct, set members, chain projects)", format: list}
//   project_ids: {zh: 项目编号, en: "Project ids", help: "ids of the projects behind the goal", technical: true, format: list}
//   project_count: {zh: 项目数, en: "Projects (count)", help: "how many projects", format: int}
//   done: {zh: 已完成, en: "Done", help: "projects done", format: int}
//   in_progress: {zh: 在建, en: "In progress", help: "projects under way", format: int}
//   delayed: {zh: 延期, en: "Delayed", help: "projects delayed", format: int}
//   blocked: {zh: 受阻, en: "Blocked", help: "projects blocked", format: int}
//   not_started: {zh: 未开工, en: "Not started", help: "projects not started", format: int}
//   at_risk_projects: {zh: 风险项目, en: "Projects at risk", help: "projects blocked, delayed or not started (with as_of: red or yellow)", format: list}
//   at_risk_pct: {zh: 风险项目占比, en: "Share at risk", help: "share of projects at risk, in percent", format: percent}
//   enterprises: {zh: 支撑企业, en: "Supporting enterprises", help: "enterprises that contribute, or are members of a contributing chain", format: list}
//   enterprise_count: {zh: 支撑企业数, en: "Enterprises", help: "how many supporting enterprises", format: int}
//   risk: {zh: 风险等级, en: "Risk", help: "无支撑 / 仅企业 / 无项目 / 高 / 中 / 低 (with as_of also 无数据 when no project has a light)"}
//   risk_basis: {zh: 判断依据, en: "Basis", help: "what the risk word measures for this goal: project status only, never dates"}
//   as_of: {zh: 统计月份, en: Month, help: "the month of the lights (with as_of)"}
//   red: {zh: 红灯, en: Red, help: "red projects (with as_of)", format: int}
//   yellow: {zh: 黄灯, en: Yellow, help: "yellow projects (with as_of)", format: int}
//   green: {zh: 绿灯, en: Green, help: "green projects (with as_of)", format: int}
//   no_data: {zh: 无数据, en: No data, help: "projects no rule applies to (with as_of)", format: int}
//   red_pct: {zh: 红灯占比, en: Red share, help: "share of red projects by count, percent", format: percent}
//   red_invest_pct: {zh: 红灯投资占比, en: Red share of plan, help: "share of red projects by planned investment, percent", format: percent}
//   planned_wan: {zh: 年度计划投资, en: Annual plan, help: "Σ 年度计划投资 of the projects with a report that month", format: amount, unit: 万元}
//   completed_wan: {zh: 年度累计完成, en: Completed YTD, help: "Σ 年度累计完成投资 of the same projects", format: amount, unit: 万元}
//   completed_pct: {zh: 完成率, en: Completed share, help: "Σ completed ÷ Σ planned, percent", format: percent}
//   schedule_pct: {zh: 序时进度, en: Time-elapsed share, help: "planned-weighted 序时进度 of the same projects, percent", format: percent}
//   inherited_warnings: {zh: 传导预警, en: Inherited warnings, help: "project: red/yellow prerequisite or unready parcel, with the path", format: list}
// chart: [at_risk_pct, project_count]
// chart_label: [goal]
// table: [goal, year, project_count, not_started, in_progress, at_risk_pct, risk, at_risk_projects]
MATCH (g:Goal)
WHERE ($year IS NULL OR g.year = $year)
  AND ($include_indicators OR g.target_value IS NOT NULL OR g.comparator IS NOT NULL OR g.actual_value IS NULL)
OPTIONAL MATCH (n)-[c:CONTRIBUTES_TO]->(g)
WITH g, CASE WHEN $lenient OR NOT coalesce(c.inferred, false) THEN n END AS n
WITH DISTINCT g, n
// Projects one or two MEMBER_OF/IN_CHAIN/PART_OF links behind a contributor, as fixed hops the schema
// allows instead of a *1..2 expansion (FalkorDB expands that once per contributor, through every
// enterprise IN_CHAIN of a chain). Two hops lead through a set, parcel or segment (y, collected per
// contributor first) or through a project (x, a set member of a set); a project links only by
// MEMBER_OF or IN_CHAIN, and enterprises lead to no project.
OPTIONAL MATCH (y)-[r:MEMBER_OF|PART_OF]->(n)
WITH g, n, CASE WHEN NOT y:Project AND ($lenient OR NOT coalesce(r.inferred, false)) THEN y END AS y
OPTIONAL MATCH (m:Project)-[r:MEMBER_OF|IN_CHAIN]->(y)
WITH g, n, collect(CASE WHEN ($lenient OR NOT coalesce(r.inferred, false)) THEN m END) AS via
OPTIONAL MATCH (x:Project)-[r:MEMBER_OF|IN_CHAIN]->(n)
WITH g, n, via, CASE WHEN ($lenient OR NOT coalesce(r.inferred, false)) THEN x END AS x
OPTIONAL MATCH (m:Project)-[r:MEMBER_OF]->(x)
WITH g, n, via, collect(x) AS direct, collect(CASE WHEN ($lenient OR NOT coalesce(r.inferred, false)) THEN m END) AS nested
// Enterprises behind a contributing chain count as support: its members (IN_CHAIN), its 链主
// (ANCHORS) and the enterprises of its segments; a contributing enterprise counts itself.
WITH g, n, CASE WHEN n:Project THEN [n] ELSE [] END + direct + nested + via AS ps,
     CASE WHEN n:Enterprise THEN [n] ELSE [] END
     + CASE WHEN n:Chain THEN [(e:Enterprise)-[ra:IN_CHAIN|ANCHORS]->(n) WHERE $lenient OR NOT coalesce(ra.inferred, false) | e] ELSE [] END
     + CASE WHEN n:Chain THEN [(f:Enterprise)-[r1:IN_SEGMENT]->(:ChainSegment)-[r2:PART_OF]->(n)
                               WHERE ($lenient OR NOT (coalesce(r1.inferred, false) OR coalesce(r2.inferred, false)))
                                 AND (NOT coalesce(r1.inferred, false) OR r1.decision IS NULL OR r1.decision IN $counted_decisions)
                               | f] ELSE [] END AS members
// One row per contributor, its projects and enterprises in one list (projects first), unwound once so
// each goal's projects and enterprises are de-duplicated by collect(DISTINCT) with no cross product.
WITH g, n, ps + members AS items, size(ps) AS k, size(ps) + size(members) AS total
UNWIND range(0, total) AS i
WITH g, collect(DISTINCT n) AS contributors,
     collect(DISTINCT CASE WHEN i < k THEN items[i] END) AS projects,
     collect(DISTINCT CASE WHEN k <= i AND i < total THEN items[i] END) AS enterprises
WITH g, contributors, projects, enterprises,
     [p IN projects | CASE WHEN p.status IN $status_done THEN 'done'
                           WHEN p.status IN $status_blocked THEN 'blocked'
                           WHEN p.status IN $status_delayed THEN 'delayed'
                           WHEN p.status IN $status_in_progress THEN 'in_progress'
                           ELSE 'not_started' END] AS phases
WITH g, contributors, projects, enterprises, phases,
     [i IN range(0, size(projects) - 1) WHERE phases[i] IN ['blocked', 'delayed', 'not_started'] | projects[i].name] AS at_risk
WITH g, contributors, projects, enterprises, phases, at_risk,
     CASE WHEN size(contributors) = 0 THEN '无支撑'
          WHEN size(projects) = 0 AND size(enterprises) > 0 THEN '仅企业'
          WHEN size(projects) = 0 THEN '无项目'
          WHEN 1.0 * size(at_risk) / size(projects) >= $threshold THEN '高'
          WHEN size(at_risk) > 0 THEN '中'
          ELSE '低' END AS risk
// With as_of the risk is recomputed from the lights and filtered after the query (schedule/steps.py).
WHERE NOT $at_risk_only OR risk IN ['无支撑', '高'] OR $as_of IS NOT NULL
RETURN g.name AS goal, g.id AS goal_id, g.year AS year, g.target_value AS target_value, g.unit AS unit,
       [n IN contributors | n.name] AS contributors,
       [n IN contributors WHERE n:Chain | n.name] AS chains,
       [p IN projects | p.name] AS projects,
       [p IN projects | p.id] AS project_ids,
       size(projects) AS project_count,
       size([x IN phases WHERE x = 'done']) AS done,
       size([x IN phases WHERE x = 'in_progress']) AS in_progress,
       size([x IN phases WHERE x = 'delayed']) AS delayed,
       size([x IN phases WHERE x = 'blocked']) AS blocked,
       size([x IN phases WHERE x = 'not_started']) AS not_started,
       at_risk AS at_risk_projects,
       CASE WHEN size(projects) = 0 THEN null
            ELSE round(1000.0 * size(at_risk) / size(projects)) / 10.0 END AS at_risk_pct,
       [e IN enterprises | e.name] AS enterprises, size(enterprises) AS enterprise_count,
       risk AS risk,
       CASE WHEN size(contributors) = 0 THEN '没有任何节点被写明支撑此目标'
            WHEN size(projects) = 0 AND size(enterprises) > 0 THEN '无可跟踪项目; ' + toString(size(enterprises)) + ' 家企业支撑'
            WHEN size(projects) = 0 THEN '支撑者(' + toString(size(contributors)) + ')不带项目, 也无成员企业'
            ELSE toString(size(at_risk)) + '/' + toString(size(projects)) + ' 个项目未开工、延期或受阻 (只看项目状态, 不看日期与目标年份)' END AS risk_basis
ORDER BY coalesce(year, 9999),
         CASE risk WHEN '无支撑' THEN 0 WHEN '高' THEN 1 WHEN '中' THEN 2 WHEN '无项目' THEN 3 WHEN '仅企业' THEN 4 ELSE 5 END,
         goal_id

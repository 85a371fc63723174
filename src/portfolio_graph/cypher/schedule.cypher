// name: schedule
// title: 序时进度与红黄绿灯 / Schedule lights
// description: >
//   Every project of the as_of year's plan (重点项目计划) with its annual plan, year-to-date
//   completion, 序时进度, the gap in points, its 红黄绿灯 light and the reason in words, under a
//   rule profile (default: the built-in profile; -p profile=NAME or FILE.yaml, or --profile FILE).
//   Warnings a project inherits from red or yellow prerequisites (DEPENDS_ON) and from parcels that
//   are not ready (USES_PARCEL) are listed apart from its own light, with the path. Counts per light
//   come in a total row, and with by=area or by=level per area or level (by=all: every grouping,
//   no project rows). Lights are computed from the plan and progress reports on every run and
//   never stored. Focus with area, chain or level.
// params:
//   as_of: {type: string, default: null, help: "the month, e.g. 2023-05 or 2023年5月; the latest month loaded when not given"}
//   profile: {type: string, default: default, help: "rule profile: a name (report run schedule … -p profile=sanya-2022) or a .yaml file"}
//   area: {type: ref, labels: [Area], default: null, help: "only projects in this area"}
//   chain: {type: ref, labels: [Chain], default: null, help: "only projects of this chain or its segments"}
//   level: {type: string, default: null, help: "only projects of this level, e.g. 市重大"}
//   light: {type: string, choices: [红, 黄, 绿, 无数据], default: null, help: "only projects with this light"}
//   by: {type: string, choices: [project, area, level, all], default: project, help: "project rows and the total, or counts by area / level"}
// compute: schedule
// reads: [project_id, project, level, areas]
// columns:
//   dimension: {zh: 维度, en: Dimension, help: "project, or the grouping of a count row: total / area / level", technical: true}
//   group: {zh: 分组, en: Group, help: "the area or level of a count row; 全部 for the total"}
//   project_id: {zh: 项目编号, en: Project id, help: "the project's id", technical: true}
//   project: {zh: 项目, en: Project, help: "the project"}
//   level: {zh: 项目级别, en: Level, help: "项目级别"}
//   areas: {zh: 片区, en: Areas, help: "areas the project lies in", format: list}
//   as_of: {zh: 统计月份, en: Month, help: "the month the lights are for"}
//   planned_wan: {zh: 年度计划投资, en: Annual plan, help: "年度计划投资 (for a count row: Σ over projects with a report)", format: amount, unit: 万元}
//   completed_wan: {zh: 年度累计完成, en: Completed YTD, help: "年度累计完成投资 as of the month", format: amount, unit: 万元}
//   progress_pct: {zh: 完成率, en: Completed share, help: "completed ÷ annual plan, percent", format: percent}
//   schedule_pct: {zh: 序时进度, en: Time-elapsed share, help: "序时进度, percent (phased plan where there is one)", format: percent}
//   gap: {zh: 落后序时（百分点）, en: Gap (points), help: "序时 − 完成率 in points; negative is ahead", format: number}
//   light: {zh: 灯色, en: Light, help: "红 / 黄 / 绿 / 无数据"}
//   reason: {zh: 原因, en: Reason, help: "why the light is what it is"}
//   inherited: {zh: 传导预警, en: Inherited warnings, help: "red/yellow prerequisites and unready parcels the project waits for, with the path", format: list}
//   profile: {zh: 规则, en: Profile, help: "the rule profile", technical: true}
//   projects: {zh: 项目数, en: Projects, help: "projects counted in a count row", format: int}
//   red: {zh: 红灯, en: Red, help: "red projects", format: int}
//   yellow: {zh: 黄灯, en: Yellow, help: "yellow projects", format: int}
//   green: {zh: 绿灯, en: Green, help: "green projects", format: int}
//   no_data: {zh: 无数据, en: No data, help: "projects no rule applies to", format: int}
//   red_pct: {zh: 红灯占比, en: Red share, help: "share of red projects by count, percent", format: percent}
//   red_invest_pct: {zh: 红灯投资占比, en: Red share of plan, help: "share of red projects by planned investment, percent", format: percent}
// chart: [gap, red, yellow, green]
// chart_label: [project, group]
// table: [group, project, planned_wan, completed_wan, schedule_pct, gap, light, reason, inherited, projects, red, yellow, green, no_data]
MATCH (a0:Area {id: $area})-[x0:LOCATED_IN|CONTAINS]-(p:Project)<-[:PLAN_OF]-(:Plan {year: $plan_year})
// Focused on an area, the walk starts at the area (its index); otherwise at the year's plans. The
// two parts are one UNION: with $area set the second finds nothing before it scans, and the
// other way round. The rows are ordered by the schedule step.
WHERE ($lenient OR NOT coalesce(x0.inferred, false)) AND ($level IS NULL OR p.level = $level)
WITH DISTINCT p
OPTIONAL MATCH (p)-[x:LOCATED_IN|CONTAINS]-(a:Area)
WITH p, collect(DISTINCT CASE WHEN $lenient OR NOT coalesce(x.inferred, false) THEN a END) AS places
WITH p, places
OPTIONAL MATCH (p)-[ic:IN_CHAIN]->(c)
OPTIONAL MATCH (c)-[po:PART_OF]->(c2:Chain)
WITH p, places,
     collect(DISTINCT CASE WHEN c:Chain AND ($lenient OR NOT coalesce(ic.inferred, false)) THEN c.id
                           WHEN $lenient OR NOT (coalesce(ic.inferred, false) OR coalesce(po.inferred, false)) THEN c2.id
                           END) AS chains
WHERE $chain IS NULL OR $chain IN chains
RETURN DISTINCT p.id AS project_id, p.name AS project, p.level AS level, [a IN places | a.name] AS areas
UNION
MATCH (pl:Plan {year: $plan_year})-[:PLAN_OF]->(p:Project)
WHERE $area IS NULL AND ($level IS NULL OR p.level = $level)
OPTIONAL MATCH (p)-[x:LOCATED_IN|CONTAINS]-(a:Area)
WITH p, collect(DISTINCT CASE WHEN $lenient OR NOT coalesce(x.inferred, false) THEN a END) AS places
WITH p, places
OPTIONAL MATCH (p)-[ic:IN_CHAIN]->(c)
OPTIONAL MATCH (c)-[po:PART_OF]->(c2:Chain)
WITH p, places,
     collect(DISTINCT CASE WHEN c:Chain AND ($lenient OR NOT coalesce(ic.inferred, false)) THEN c.id
                           WHEN $lenient OR NOT (coalesce(ic.inferred, false) OR coalesce(po.inferred, false)) THEN c2.id
                           END) AS chains
WHERE $chain IS NULL OR $chain IN chains
RETURN DISTINCT p.id AS project_id, p.name AS project, p.level AS level, [a IN places | a.name] AS areas

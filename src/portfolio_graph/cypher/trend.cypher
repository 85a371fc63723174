// name: trend
// title: 月度趋势 / Monthly trend
// description: >
//   One project's or one goal's figures month by month, for every month the graph holds progress
//   reports for (or those of one year): annual plan, year-to-date completion, 序时进度, the gap
//   and the light under a rule profile; for a goal, the roll-up over the projects behind it
//   (direct contributors, named members of contributing sets, projects of contributing chains):
//   Σ completed ÷ Σ planned against the planned-weighted 序时, counts per light and the share of
//   red projects by count and by planned investment. Give project or goal.
// params:
//   project: {type: ref, labels: [Project], default: null, help: "a project's name, alias or id"}
//   goal: {type: ref, labels: [Goal], default: null, help: "a goal's name, alias or id"}
//   year: {type: int, default: null, help: "only months of this year"}
//   profile: {type: string, default: default, help: "rule profile: a name or a .yaml file"}
// compute: trend
// reads: [project_id, project, goal]
// columns:
//   month: {zh: 月份, en: Month, help: "the month"}
//   subject: {zh: 对象, en: Subject, help: "the project or the goal"}
//   planned_wan: {zh: 年度计划投资, en: Annual plan, help: "年度计划投资 (Σ for a goal)", format: amount, unit: 万元}
//   completed_wan: {zh: 年度累计完成, en: Completed YTD, help: "年度累计完成投资 (Σ for a goal)", format: amount, unit: 万元}
//   progress_pct: {zh: 完成率, en: Completed share, help: "completed ÷ plan, percent", format: percent}
//   schedule_pct: {zh: 序时进度, en: Time-elapsed share, help: "序时进度, percent", format: percent}
//   gap: {zh: 落后序时（百分点）, en: Gap (points), help: "序时 − 完成率 in points", format: number}
//   light: {zh: 灯色, en: Light, help: "the project's light (a goal's rows leave it empty)"}
//   reason: {zh: 原因, en: Reason, help: "why the light is what it is"}
//   profile: {zh: 规则, en: Profile, help: "the rule profile", technical: true}
//   projects: {zh: 项目数, en: Projects, help: "projects behind the goal", format: int}
//   red: {zh: 红灯, en: Red, help: "red projects", format: int}
//   yellow: {zh: 黄灯, en: Yellow, help: "yellow projects", format: int}
//   green: {zh: 绿灯, en: Green, help: "green projects", format: int}
//   no_data: {zh: 无数据, en: No data, help: "projects no rule applies to", format: int}
//   red_pct: {zh: 红灯占比, en: Red share, help: "share of red projects by count, percent", format: percent}
//   red_invest_pct: {zh: 红灯投资占比, en: Red share of plan, help: "share of red projects by planned investment, percent", format: percent}
// chart: [progress_pct, schedule_pct, red]
// chart_label: [month]
MATCH (p:Project {id: $project})
RETURN p.id AS project_id, p.name AS project, null AS goal
UNION
MATCH (g:Goal {id: $goal})<-[c:CONTRIBUTES_TO]-(n)
WHERE $lenient OR NOT coalesce(c.inferred, false)
OPTIONAL MATCH path = (m:Project)-[:MEMBER_OF|IN_CHAIN|PART_OF*1..2]->(n)
WITH g, n, m, path
WHERE m IS NULL OR $lenient OR all(r IN relationships(path) WHERE NOT coalesce(r.inferred, false))
UNWIND [CASE WHEN n:Project THEN n END, m] AS p
WITH g, p
WHERE p IS NOT NULL
RETURN DISTINCT p.id AS project_id, p.name AS project, g.name AS goal

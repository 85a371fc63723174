// name: goal-tracker
// title: 目标跟踪 / Goal tracker
// description: >
//   Target, actual and year for each goal, with progress. The comparator word decides what
//   counts as reached (see GOAL_COMPARATORS): 超/突破 need more than the target, 以上/不少于/达
//   and the approximate 约/近 at least the target, 翻番 twice the baseline. progress_pct is the
//   actual value as a share of the target. Stated indicators (an actual value with no target)
//   are listed too, with no progress.
// params:
//   year: {type: int, default: null, help: "only goals due in this year"}
//   with_target: {type: bool, default: false, help: "only goals that have a target to measure against"}
// columns:
//   goal: {zh: 目标, en: "Goal", help: "the goal"}
//   goal_id: {zh: 目标编号, en: "Goal id", help: "the goal's id", technical: true}
//   metric: {zh: 指标, en: "Metric", help: "what is measured"}
//   year: {zh: 年份, en: "Year", help: "year the goal is due", format: int}
//   comparator: {zh: 比较词, en: "Comparator", help: "the comparator word (超, 突破, 以上, 翻番…)"}
//   target_value: {zh: 目标值, en: "Target", help: "the target as written", format: number}
//   effective_target: {zh: 应达值, en: "Value to reach", help: "the value to reach (twice the baseline for 翻番)", format: number}
//   unit: {zh: 单位, en: "Unit", help: "unit of target and actual values"}
//   actual_value: {zh: 实际值, en: "Actual", help: "the latest actual value", format: number}
//   actual_year: {zh: 实际值年份, en: "Year of actual", help: "the year of the actual value", format: int}
//   progress_pct: {zh: 完成进度, en: "Progress", help: "actual / effective target, in percent", format: percent}
//   gap: {zh: 差距, en: "Gap", help: "effective target minus actual", format: number}
//   status: {zh: 状态, en: "Status", help: "已达成 / 未达成 / 无实际值 (a target, no actual) / 无目标值 (no target to measure)"}
// chart: [progress_pct]
// chart_label: [goal]
// table: [goal, year, comparator, target_value, unit, actual_value, actual_year, progress_pct, status]
MATCH (g:Goal)
WHERE $year IS NULL OR g.year = $year
WITH g,
     CASE WHEN g.comparator IN $comparator_double
          THEN CASE WHEN g.baseline_value IS NULL THEN null ELSE 2 * g.baseline_value END
          ELSE g.target_value END AS target
WHERE NOT $with_target OR target IS NOT NULL
WITH g, target,
     CASE WHEN target IS NULL OR g.actual_value IS NULL THEN null
          WHEN g.comparator IN $comparator_gt THEN g.actual_value > target
          ELSE g.actual_value >= target END AS met
RETURN g.name AS goal, g.id AS goal_id, g.metric AS metric, g.year AS year,
       g.comparator AS comparator, g.target_value AS target_value, target AS effective_target,
       g.unit AS unit, g.actual_value AS actual_value, g.actual_year AS actual_year,
       CASE WHEN target IS NULL OR g.actual_value IS NULL OR target = 0 THEN null
            ELSE round(1000.0 * g.actual_value / target) / 10.0 END AS progress_pct,
       CASE WHEN target IS NULL OR g.actual_value IS NULL THEN null
            ELSE target - g.actual_value END AS gap,
       CASE WHEN target IS NULL THEN '无目标值'
            WHEN g.actual_value IS NULL THEN '无实际值'
            WHEN met THEN '已达成'
            ELSE '未达成' END AS status
ORDER BY coalesce(year, 9999), goal_id

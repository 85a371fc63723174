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
//   goal: 目标
//   goal_id: its id
//   metric: what is measured
//   year: year the goal is due
//   comparator: the comparator word (超, 突破, 以上, 翻番…)
//   target_value: the target as written
//   effective_target: the value to reach (twice the baseline for 翻番)
//   unit: unit of target and actual values
//   actual_value: the latest actual value
//   actual_year: the year of the actual value
//   progress_pct: actual / effective target, in percent
//   gap: effective target minus actual
//   status: 已达成 / 未达成 / 无实际值 (a target, no actual) / 无目标值 (no target to measure)
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

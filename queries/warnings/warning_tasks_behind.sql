-- 预警·任务滞后：年度任务完成率低于序时进度达到黄色/红色阈值的任务。
-- Actual, target, 完成率 and 序时进度 are annual_tasks' own (both read clean.task_progress): a task
-- without a target in this scope cannot lag. The levels are warehouse/status.py's rule (a test
-- holds the two together): 黄 when 序时进度 − 完成率 ≥ $lag_yellow_points, 红 when ≥ $lag_red_points;
-- 接房率, a level to hold, is 黄 below its target while the year runs and 红 once it has ended.
-- A task's lag has no start date of its own:
-- started_date is 1 January of $year and days_open the days elapsed in it up to D.
-- Grain: one row per lagging 指标 (at most seven), worst first.
-- Parameters: $year, $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project;
--   thresholds $lag_yellow_points, $lag_red_points (points of percent; NULL = that level never fires).
WITH tasks AS (
    SELECT * FROM clean.task_progress($year, $date_from, $date_to, $as_of, $townships, $sector, $key_only, $project)
), lagging AS (
    SELECT *, round(time_elapsed_pct - rate_pct, 2) AS lag_points,
           CASE WHEN metric = '接房率(%)' THEN (CASE WHEN rate_pct IS NULL OR rate_pct >= 100 THEN NULL
                                                      WHEN time_elapsed_pct >= 100 THEN '红' ELSE '黄' END)
                WHEN lag_points >= $lag_red_points THEN '红'
                WHEN lag_points >= $lag_yellow_points THEN '黄' END AS level
    FROM tasks
)
SELECT '任务滞后' AS warning, metric AS entity_id, metric AS label,
       make_date($year, 1, 1) AS started_date, CAST(days_elapsed AS BIGINT) AS days_open, level,
       unit, actual, target, rate_pct, time_elapsed_pct, lag_points
FROM lagging
WHERE level IS NOT NULL
ORDER BY lag_points DESC, sort

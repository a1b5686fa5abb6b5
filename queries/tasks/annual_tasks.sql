-- 年度任务完成情况：各项年度任务在所选年度（截至D）的完成值、目标值、完成率与序时进度。
-- The figures and their targets are defined once, in the clean layer's table macro
-- clean.task_progress (warehouse/load/sql/clean_views.sql); the 任务滞后 warnings are these rows read
-- by the status rule (warehouse/warnings.py).
-- Grain: one row per 指标 of 年度目标 (seven rows, in the order of the center's review).
-- Parameters: $year, $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT metric, unit, actual, target, rate_pct, time_elapsed_pct, rate_pct < time_elapsed_pct AS is_behind,
       CAST(days_elapsed AS BIGINT) AS days_elapsed
FROM clean.task_progress($year, $date_from, $date_to, $as_of, $townships, $sector, $key_only, $project)
ORDER BY sort

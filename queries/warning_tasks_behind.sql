-- 预警·任务滞后：年度任务完成率低于序时进度达到黄色/红色阈值的任务。
-- Actual, target, 完成率 and 序时进度 are annual_tasks' own (the same CTEs, kept in step by a
-- test): a task without a target in this scope cannot lag. 黄 when 序时进度 − 完成率 ≥
-- $lag_yellow_points, 红 when ≥ $lag_red_points. A task's lag has no start date of its own:
-- started_date is 1 January of $year and days_open the days elapsed in it up to D.
-- Grain: one row per lagging 指标 (at most seven), worst first.
-- Parameters: $year, $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project;
--   thresholds $lag_yellow_points, $lag_red_points (points of percent; NULL = that level never fires).
WITH parcels AS (
    SELECT * FROM clean.parcels
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), households AS (
    SELECT * FROM clean.households
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), units AS (
    SELECT * FROM clean.resettlement_units WHERE clean.in_towns(township, $townships)
), sites AS (
    SELECT * FROM clean.resettlement_sites WHERE clean.in_towns(township, $townships)
), actual(sort, metric, unit, value) AS (
    SELECT 1, '征地面积(亩)', '亩',
           (SELECT coalesce(sum(area_mu), 0) FROM parcels WHERE acquired_date BETWEEN $date_from AND $date_to)
    UNION ALL SELECT 2, '用地报批面积(亩)', '亩',
           (SELECT coalesce(sum(area_mu), 0) FROM parcels WHERE approved_date BETWEEN $date_from AND $date_to)
    UNION ALL SELECT 3, '房屋征收户数', '户',
           (SELECT count(*) FROM households WHERE signed_date BETWEEN $date_from AND $date_to)
    UNION ALL SELECT 4, '房屋征收面积(㎡)', '㎡',
           (SELECT coalesce(sum(signed_m2), 0) FROM households WHERE signed_date BETWEEN $date_from AND $date_to)
    UNION ALL SELECT 5, '接房率(%)', '%',
           (SELECT clean.pct(count(*) FILTER (WHERE handover_date <= $as_of), count(*)) FROM units
            WHERE site_delivered_date <= $as_of AND allocated_date <= $as_of)
    UNION ALL SELECT 6, '安置项目交付数', '个',
           (SELECT count(*) FROM sites WHERE delivered_date BETWEEN $date_from AND $date_to)
    UNION ALL SELECT 7, '尾欠户签约数', '户',
           (SELECT count(*) FROM households WHERE is_holdout AND signed_date BETWEEN $date_from AND $date_to)
), target AS (
    SELECT metric,
           CASE WHEN count(DISTINCT township) FILTER (WHERE list_contains($townships, township))
                     = len(list_distinct($townships))
                THEN sum(value) FILTER (WHERE list_contains($townships, township)) END AS town_target,
           any_value(value) FILTER (WHERE township IS NULL) AS district_target
    FROM clean.targets WHERE year = $year GROUP BY metric
), elapsed AS (
    SELECT least(greatest(date_diff('day', make_date($year, 1, 1), $as_of::DATE) + 1, 0),
                 date_diff('day', make_date($year, 1, 1), make_date($year + 1, 1, 1))) AS days,
           clean.pct(days, date_diff('day', make_date($year, 1, 1), make_date($year + 1, 1, 1))) AS pct
), tasks AS (
    SELECT a.sort, a.metric, a.unit,
           CAST(a.value AS DECIMAL(18, 4)) AS actual,
           CASE WHEN a.metric = '接房率(%)'
                    THEN CASE WHEN len($townships) = 1 THEN coalesce(t.town_target, t.district_target)
                              ELSE t.district_target END
                WHEN $sector IS NOT NULL OR coalesce($key_only, false) OR $project IS NOT NULL THEN NULL
                WHEN $townships IS NOT NULL THEN t.town_target
                ELSE t.district_target
           END::DECIMAL(18, 4) AS target,
           clean.pct(a.value, target) AS rate_pct,
           e.pct AS time_elapsed_pct, e.days AS days_elapsed
    FROM actual a LEFT JOIN target t USING (metric) CROSS JOIN elapsed e
), lagging AS (
    SELECT *, round(time_elapsed_pct - rate_pct, 2) AS lag_points,
           CASE WHEN lag_points >= $lag_red_points THEN '红'
                WHEN lag_points >= $lag_yellow_points THEN '黄' END AS level
    FROM tasks
)
SELECT '任务滞后' AS warning, metric AS entity_id, metric AS label,
       make_date($year, 1, 1) AS started_date, CAST(days_elapsed AS BIGINT) AS days_open, level,
       unit, actual, target, rate_pct, time_elapsed_pct, lag_points
FROM lagging
WHERE level IS NOT NULL
ORDER BY lag_points DESC, sort

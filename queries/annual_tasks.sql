-- 年度任务完成情况：各项年度任务在所选年度（截至D）的完成值、目标值、完成率与序时进度。
-- Grain: one row per 指标 of 年度目标 (seven rows, in the order of the center's review).
-- Parameters: $year, $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
-- Targets: when filtered by 镇街 only, the sum of those 镇街's own targets (if every one has
-- one); the district target when nothing is filtered; none otherwise (a district target is no
-- yardstick for one sector). 接房率 is a rate: one 镇街's own target, else the district's.
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
    SELECT clean.pct(least(greatest(date_diff('day', make_date($year, 1, 1), $as_of::DATE) + 1, 0),
                           date_diff('day', make_date($year, 1, 1), make_date($year + 1, 1, 1))),
                     date_diff('day', make_date($year, 1, 1), make_date($year + 1, 1, 1))) AS pct
)
SELECT a.metric, a.unit,
       CAST(a.value AS DECIMAL(38, 4)) AS actual,
       CASE WHEN a.metric = '接房率(%)'
                THEN CASE WHEN len($townships) = 1 THEN coalesce(t.town_target, t.district_target)
                          ELSE t.district_target END
            WHEN $sector IS NOT NULL OR coalesce($key_only, false) OR $project IS NOT NULL THEN NULL
            WHEN $townships IS NOT NULL THEN t.town_target
            ELSE t.district_target
       END AS target,
       clean.pct(a.value, target) AS rate_pct,
       e.pct AS time_elapsed_pct,
       rate_pct < e.pct AS is_behind
FROM actual a LEFT JOIN target t USING (metric) CROSS JOIN elapsed e
ORDER BY a.sort

-- 周调度要点：各项主要指标本周、上周、增减、本年累计，以及对应年度任务的目标、完成率与序时进度。
-- Weeks run Monday to Sunday (warehouse/weeks.py): this week from its Monday up to D, last week
-- the whole week before, 本年累计 from 1 January to D. A figure's 年度任务 (task_metric) is a row of
-- clean.task_progress, so ytd equals annual_tasks' actual and the target, 完成率 and 序时进度 are
-- its own; figures without a task (兑付, 接房套数, 信访, 隐患) have none. 接房率 is a rate, not a
-- sum of weeks: the 接房套数 row carries it in handover_rate_pct / handover_target_pct.
-- Grain: one row per headline figure (ten rows, in the order of the weekly briefing).
-- Parameters: $this_from, $this_to, $last_from, $last_to (the two weeks), $year, $date_from,
--   $date_to (the year up to D), $as_of (D); filters $townships (镇街 list, NULL = all), $sector,
--   $key_only, $project (resettlement: the site's own 镇街 only; petitions without a project
--   drop out when any filter is set).
WITH parcels AS (
    SELECT * FROM clean.parcels
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), households AS (
    SELECT * FROM clean.households
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), payments AS (
    SELECT * FROM clean.payments
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), petitions AS (
    SELECT * FROM clean.petitions
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), hazards AS (
    SELECT * FROM clean.hazards
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), units AS (
    SELECT * FROM clean.resettlement_units WHERE clean.in_towns(township, $townships)
),
-- One event per row: (figure, its date, the amount it adds).
events(figure, day, amount) AS (
    SELECT '征地面积', acquired_date, area_mu FROM parcels
    UNION ALL SELECT '签约户数', signed_date, 1 FROM households
    UNION ALL SELECT '签约面积', signed_date, signed_m2 FROM households
    UNION ALL SELECT '用地报批面积', approved_date, area_mu FROM parcels
    UNION ALL SELECT '兑付金额', paid_date, amount_yuan FROM payments
    UNION ALL SELECT '接房套数', handover_date, 1 FROM units
    UNION ALL SELECT '新增信访', received_date, 1 FROM petitions
    UNION ALL SELECT '办结信访', closed_date, 1 FROM petitions
    UNION ALL SELECT '尾欠户签约', signed_date, 1 FROM households WHERE is_holdout
    UNION ALL SELECT '隐患销号', closed_date, 1 FROM hazards
), figures(sort, figure, unit, task_metric) AS (
    VALUES (1, '征地面积', '亩', '征地面积(亩)'),
           (2, '签约户数', '户', '房屋征收户数'),
           (3, '签约面积', '㎡', '房屋征收面积(㎡)'),
           (4, '用地报批面积', '亩', '用地报批面积(亩)'),
           (5, '兑付金额', '元', NULL),
           (6, '接房套数', '套', NULL),
           (7, '新增信访', '件', NULL),
           (8, '办结信访', '件', NULL),
           (9, '尾欠户签约', '户', '尾欠户签约数'),
           (10, '隐患销号', '条', NULL)
), sums AS (
    SELECT figure,
           coalesce(sum(amount) FILTER (WHERE day BETWEEN $this_from AND $this_to AND day <= $as_of), 0) AS this_week,
           coalesce(sum(amount) FILTER (WHERE day BETWEEN $last_from AND $last_to AND day <= $as_of), 0) AS last_week,
           coalesce(sum(amount) FILTER (WHERE day BETWEEN $date_from AND $date_to), 0) AS ytd
    FROM events GROUP BY figure
), tasks AS (
    SELECT * FROM clean.task_progress($year, $date_from, $date_to, $as_of, $townships, $sector, $key_only, $project)
)
SELECT f.figure, f.unit,
       CAST(coalesce(s.this_week, 0) AS DECIMAL(18, 4)) AS this_week,
       CAST(coalesce(s.last_week, 0) AS DECIMAL(18, 4)) AS last_week,
       CAST(coalesce(s.this_week, 0) - coalesce(s.last_week, 0) AS DECIMAL(18, 4)) AS change,
       CAST(coalesce(s.ytd, 0) AS DECIMAL(18, 4)) AS ytd,
       f.task_metric, t.target, t.rate_pct, t.time_elapsed_pct,
       t.rate_pct < t.time_elapsed_pct AS is_behind,
       CASE WHEN f.figure = '接房套数' THEN h.actual END AS handover_rate_pct,
       CASE WHEN f.figure = '接房套数' THEN h.target END AS handover_target_pct
FROM figures f
LEFT JOIN sums s USING (figure)
LEFT JOIN tasks t ON t.metric = f.task_metric
LEFT JOIN tasks h ON h.metric = '接房率(%)'
ORDER BY f.sort

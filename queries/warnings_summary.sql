-- 预警汇总：截至D六类预警（任务滞后、资金卡滞、安置逾期、信访超期、隐患逾期、尾欠户滞留）的黄色、红色条数。
-- Each row counts exactly the rows of its list query (named in list_query; a test keeps them
-- in step): the rules and thresholds are documented there. A rule with one level (levels = 1:
-- the deadline has already passed) counts its rows as 红; its yellow is 0.
-- Grain: one row per warning kind (six rows, in metrics.md's order).
-- Parameters: $year, $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project (sites: $townships only);
--   thresholds $lag_yellow_points, $lag_red_points, $stuck_yellow_days, $stuck_red_days,
--   $overdue_red_days, $petition_overdue_days (NULL = that level never fires).
WITH households AS (
    SELECT * FROM clean.households
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), sites AS (
    SELECT * FROM clean.resettlement_sites WHERE clean.in_towns(township, $townships)
),
-- 任务滞后: annual_tasks' actual, target and 序时进度 (clean.task_progress, as in warning_tasks_behind).
task_lag AS (
    SELECT round(time_elapsed_pct - rate_pct, 2) AS lag
    FROM clean.task_progress($year, $date_from, $date_to, $as_of, $townships, $sector, $key_only, $project)
),
-- 资金卡滞: days at the stage a payment waits at as of D (as in warning_payments_stuck).
payment_wait AS (
    SELECT date_diff('day',
               clean.waiting_since(clean.waiting_stage(review1_date, review2_date, review3_date, paid_date, $as_of), applied_date, review1_date, review2_date, review3_date),
               $as_of::DATE) AS days
    FROM clean.payments
    WHERE applied_date <= $as_of AND status <> '已退回'
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), counts(sort, warning, list_query, levels, yellow, red) AS (
    SELECT 1, '任务滞后', 'warning_tasks_behind', 2,
           count(*) FILTER (WHERE lag >= $lag_yellow_points AND NOT coalesce(lag >= $lag_red_points, false)),
           count(*) FILTER (WHERE lag >= $lag_red_points)
    FROM task_lag
    UNION ALL
    SELECT 2, '资金卡滞', 'warning_payments_stuck', 2,
           count(*) FILTER (WHERE days > $stuck_yellow_days AND NOT coalesce(days > $stuck_red_days, false)),
           count(*) FILTER (WHERE days > $stuck_red_days)
    FROM payment_wait
    UNION ALL
    SELECT 3, '安置逾期', 'warning_sites_overdue', 2,
           count(*) FILTER (WHERE NOT coalesce(date_diff('day', planned_delivery_date, $as_of::DATE) > $overdue_red_days, false)),
           count(*) FILTER (WHERE date_diff('day', planned_delivery_date, $as_of::DATE) > $overdue_red_days)
    FROM sites
    WHERE planned_delivery_date < $as_of AND (delivered_date IS NULL OR delivered_date > $as_of)
    UNION ALL
    SELECT 4, '信访超期', 'warning_petitions_overdue', 1, 0, count(*)
    FROM clean.petitions
    WHERE received_date <= $as_of AND (closed_date IS NULL OR closed_date > $as_of)
      AND date_diff('day', received_date, $as_of::DATE) > $petition_overdue_days
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    UNION ALL
    SELECT 5, '隐患逾期', 'warning_hazards_overdue', 1, 0, count(*)
    FROM clean.hazards
    WHERE due_date < $as_of AND (closed_date IS NULL OR closed_date > $as_of)
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    UNION ALL
    SELECT 6, '尾欠户滞留', 'warning_holdouts_stranded', 1, 0, count(*)
    FROM households
    WHERE is_holdout AND project_planned_end_date < $as_of AND (signed_date IS NULL OR signed_date > $as_of)
)
SELECT warning, list_query, CAST(levels AS BIGINT) AS levels,
       CAST(yellow AS BIGINT) AS yellow, CAST(red AS BIGINT) AS red, CAST(yellow + red AS BIGINT) AS total
FROM counts
ORDER BY sort

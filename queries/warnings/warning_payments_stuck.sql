-- 预警·资金卡滞：截至D在某一环节（初审/复审/终审/兑付）等待超过黄色/红色阈值天数的拨付单。
-- Stage as in payments_pending_by_stage: the first of 初审, 复审, 终审, 兑付 whose date is blank or after D;
-- 已退回 is never waiting. The wait starts at the previous step's date (申请 for 初审).
-- 兑付 counts as a stage: money approved but unpaid is stuck too. 黄 when days_open > $stuck_yellow_days,
-- 红 when > $stuck_red_days.
-- Grain: one row per waiting payment over the yellow threshold, longest wait first (so red before
--   yellow: the level grows with the wait).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project;
--   thresholds $stuck_yellow_days, $stuck_red_days (days; NULL = that level never fires).
WITH waiting AS (
    SELECT *,
           clean.waiting_stage(review1_date, review2_date, review3_date, paid_date, $as_of) AS stage,
           clean.waiting_since(stage, applied_date, review1_date, review2_date, review3_date) AS waiting_since
    FROM clean.payments
    -- Only a payment unpaid by D can wait (paid by D, all its reviews are by D: the loader's order rule).
    WHERE applied_date <= $as_of AND (paid_date IS NULL OR paid_date > $as_of) AND status <> '已退回'
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), stuck AS (
    SELECT *, date_diff('day', waiting_since, $as_of::DATE) AS days_open,
           CASE WHEN days_open > $stuck_red_days THEN '红'
                WHEN days_open > $stuck_yellow_days THEN '黄' END AS level
    FROM waiting WHERE stage IS NOT NULL
)
SELECT '资金卡滞' AS warning, payment_id AS entity_id,
       project_name || ' · ' || fund_type || ' · ' || stage AS label,
       waiting_since AS started_date, CAST(days_open AS BIGINT) AS days_open, level,
       project_id, project_name, township, household_id, fund_type, amount_yuan, applied_date, stage
FROM stuck
WHERE level IS NOT NULL
ORDER BY days_open DESC, payment_id

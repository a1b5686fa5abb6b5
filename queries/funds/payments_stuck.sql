-- 卡滞拨付单：截至D在某一环节（初审/复审/终审/兑付）已等待超过指定天数的拨付单，等待最久的在前。
-- Stage and waiting_since as in payments_pending; stuck when days_waiting > $days.
-- Grain: one row per stuck payment, longest wait first (red before yellow, as warning_payments_stuck).
-- Parameters: $as_of (D); $days (days; NULL = every waiting payment);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH waiting AS (
    SELECT *,
           clean.waiting_stage(review1_date, review2_date, review3_date, paid_date, $as_of) AS stage,
           clean.waiting_since(stage, applied_date, review1_date, review2_date, review3_date) AS waiting_since,
           date_diff('day', waiting_since, $as_of::DATE) AS days_waiting
    FROM clean.payments
    -- Only a payment unpaid by D can wait (paid by D, all its reviews are by D: the loader's order rule).
    WHERE applied_date <= $as_of AND (paid_date IS NULL OR paid_date > $as_of) AND status <> '已退回'
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT payment_id, project_id, project_name, township, household_id, fund_type, amount_yuan,
       applied_date, stage, waiting_since, CAST(days_waiting AS BIGINT) AS days_waiting
FROM waiting
WHERE stage IS NOT NULL AND ($days IS NULL OR days_waiting > $days)
ORDER BY days_waiting DESC, payment_id

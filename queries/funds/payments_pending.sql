-- 在途拨付单明细：截至D已申请、尚在初审/复审/终审/兑付环节等待的拨付单，及所处环节与已等待天数。
-- Stage as in payments_pending_by_stage (its rows sum to those figures): the first of 初审, 复审, 终审, 兑付
-- whose date is blank or after D; 已退回 is never pending. waiting_since is the previous step's
-- date (申请 for 初审).
-- Grain: one row per waiting payment, by stage (初审 first) then longest wait first.
-- Parameters: $as_of (D); $stage (待初审 / 待复审 / 待终审 / 待兑付; NULL = every stage);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH waiting AS (
    SELECT *,
           clean.waiting_stage(review1_date, review2_date, review3_date, paid_date, $as_of) AS stage,
           clean.waiting_since(stage, applied_date, review1_date, review2_date, review3_date) AS waiting_since
    FROM clean.payments
    -- Only a payment unpaid by D can wait (paid by D, all its reviews are by D: the loader's order rule).
    WHERE applied_date <= $as_of AND (paid_date IS NULL OR paid_date > $as_of) AND status <> '已退回'
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT payment_id, project_id, project_name, township, household_id, fund_type, amount_yuan,
       applied_date, stage, waiting_since,
       CAST(date_diff('day', waiting_since, $as_of::DATE) AS BIGINT) AS days_waiting
FROM waiting
WHERE stage IS NOT NULL AND ($stage IS NULL OR stage = $stage)
ORDER BY list_position(['待初审', '待复审', '待终审', '待兑付'], stage), days_waiting DESC, payment_id

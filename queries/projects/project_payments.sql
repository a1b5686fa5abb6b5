-- 项目资金拨付明细：一个项目（或范围内全部项目）截至D已申请的拨付单，及截至D所处环节与等待天数。
-- stage as of D: 已退回 (status), 已兑付 (paid by D), else the first of 待初审/待复审/待终审/待兑付
-- whose date is blank or after D, as in payments_pending_by_stage. waiting_since is the previous step's
-- date (申请 for 初审); days_waiting is 0 for payments not waiting. Rows read as of D: a step
-- dated after D is blank (the ledger's 状态 is today's, so it is not shown; stage replaces it).
-- Grain: one row per payment applied on or before D, newest application first.
-- Parameters: $project_id (项目编号; NULL = every project in scope), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH staged AS (
    SELECT *,
           CASE WHEN status = '已退回' THEN '已退回' ELSE coalesce(clean.waiting_stage(review1_date, review2_date, review3_date, paid_date, $as_of), '已兑付') END AS stage,
           clean.waiting_since(stage, applied_date, review1_date, review2_date, review3_date) AS waiting_since
    FROM clean.payments
    WHERE applied_date <= $as_of
      AND ($project_id IS NULL OR project_id = $project_id)
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT payment_id, project_id, project_name, township, household_id, fund_type, amount_yuan,
       applied_date,
       CASE WHEN review1_date <= $as_of THEN review1_date END AS review1_date,
       CASE WHEN review2_date <= $as_of THEN review2_date END AS review2_date,
       CASE WHEN review3_date <= $as_of THEN review3_date END AS review3_date,
       CASE WHEN paid_date <= $as_of THEN paid_date END AS paid_date,
       stage, waiting_since,
       CAST(coalesce(date_diff('day', waiting_since, $as_of::DATE), 0) AS BIGINT) AS days_waiting
FROM staged
ORDER BY applied_date DESC, payment_id

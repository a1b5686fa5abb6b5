-- 本周变化：台账状态为“已退回”的拨付单（退回没有自己的日期：两个冻结周各查一次，按拨付单号比较，后一周有、前一周没有的就是期间退回的）。
-- Grain: one row per payment whose status is 已退回, applied by D.
-- The review dates show the step it stopped at (the last one filled).
-- Parameters: $as_of (D); filters $townships, $sector, $key_only, $project.
SELECT payment_id, project_id, project_name, township,
       household_id, fund_type, amount_yuan,
       applied_date, review1_date, review2_date, review3_date
FROM clean.payments
WHERE status = '已退回' AND applied_date <= $as_of
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY applied_date DESC, payment_id

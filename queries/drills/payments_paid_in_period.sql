-- 明细：所选期间内兑付的资金（兑付金额背后的台账行），可按资金类别筛选。
-- Grain: one row per payment paid in the period.
-- Parameters: $date_from, $date_to, $fund_type (NULL = all five);
--   filters $townships, $sector, $key_only, $project.
SELECT payment_id, project_id, project_name, township,
       household_id, fund_type, amount_yuan,
       applied_date, review1_date, review2_date,
       review3_date, paid_date
FROM clean.payments
WHERE paid_date BETWEEN $date_from AND $date_to
  AND ($fund_type IS NULL OR fund_type = $fund_type)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY paid_date DESC, payment_id

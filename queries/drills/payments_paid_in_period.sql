-- 明细：所选期间内兑付的资金（兑付金额背后的台账行），可按资金类别筛选。
-- Grain: one row per payment paid in the period.
-- Parameters: $date_from, $date_to, $fund_type (NULL = all five);
--   filters $townships, $sector, $key_only, $project.
SELECT payment_id AS 拨付单号, project_id AS 项目编号, project_name AS 项目名称, township AS 镇街,
       household_id AS 户编号, fund_type AS 资金类别, amount_yuan AS "金额(元)",
       applied_date AS 申请日期, review1_date AS 初审日期, review2_date AS 复审日期,
       review3_date AS 终审日期, paid_date AS 兑付日期
FROM clean.payments
WHERE paid_date BETWEEN $date_from AND $date_to
  AND ($fund_type IS NULL OR fund_type = $fund_type)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY paid_date DESC, payment_id

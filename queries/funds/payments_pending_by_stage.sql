-- 在途金额：截至D已申请、尚待初审/复审/终审/兑付的资金，按所处环节。
-- A payment waits at the first of 初审, 复审, 终审, 兑付 whose date is blank or after D;
-- 已退回 payments are never pending.
-- Grain: one row per stage (four rows).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH waiting AS (
    SELECT amount_yuan,
           clean.waiting_stage(review1_date, review2_date, review3_date, paid_date, $as_of) AS stage
    FROM clean.payments
    -- Only a payment unpaid by D can wait (paid by D, all its reviews are by D: the loader's order rule).
    WHERE applied_date <= $as_of AND (paid_date IS NULL OR paid_date > $as_of) AND status <> '已退回'
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT s.stage, coalesce(sum(w.amount_yuan), 0) AS pending_yuan, count(w.amount_yuan) AS payments
FROM (VALUES (1, '待初审'), (2, '待复审'), (3, '待终审'), (4, '待兑付')) AS s(sort, stage)
LEFT JOIN waiting w USING (stage)
GROUP BY s.sort, s.stage
ORDER BY s.sort

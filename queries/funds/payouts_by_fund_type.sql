-- 兑付金额：所选年度（截至D）已兑付的金额，按资金类别；五类都列出，没有兑付的为0。
-- Grain: one row per 资金类别 (five rows).
-- Parameters: $date_from, $date_to (the year up to D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH paid AS (
    SELECT fund_type, amount_yuan FROM clean.payments
    WHERE paid_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT f.fund_type, coalesce(sum(p.amount_yuan), 0) AS paid_yuan, count(p.amount_yuan) AS payments
FROM (VALUES (1, '征收补偿安置费'), (2, '拆迁补偿费'), (3, '过渡安置费'), (4, '安置补贴'), (5, '工作经费'))
     AS f(sort, fund_type)
LEFT JOIN paid p USING (fund_type)
GROUP BY f.sort, f.fund_type
ORDER BY f.sort

-- 逐月兑付金额：所选年度每月已兑付的金额与笔数，按资金类别（五类都列出）。
-- Months that start after D are listed with zero and in_period = false, as in monthly_progress.
-- Grain: one row per month (1–12) × 资金类别 (five, in the contract's order): 60 rows.
-- Parameters: $year, $date_from, $date_to (the year up to D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH months AS (
    SELECT m AS month, make_date($year, m, 1) AS month_start FROM range(1, 13) t(m)
), funds AS (
    SELECT * FROM (VALUES (1, '征收补偿安置费'), (2, '拆迁补偿费'), (3, '过渡安置费'), (4, '安置补贴'), (5, '工作经费'))
        AS f(sort, fund_type)
), paid AS (
    SELECT date_trunc('month', paid_date)::DATE AS month_start, fund_type,
           sum(amount_yuan) AS yuan, count(*) AS payments
    FROM clean.payments
    WHERE paid_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    GROUP BY 1, 2
)
SELECT m.month, m.month || '月' AS month_label, m.month_start,
       m.month_start <= $date_to AND last_day(m.month_start) >= $date_from AS in_period,
       f.fund_type,
       CAST(coalesce(p.yuan, 0) AS DECIMAL(18, 2)) AS paid_yuan,
       CAST(coalesce(p.payments, 0) AS BIGINT) AS payments
FROM months m CROSS JOIN funds f
LEFT JOIN paid p ON p.month_start = m.month_start AND p.fund_type = f.fund_type
ORDER BY m.month, f.sort

-- 环节用时：初审、复审、终审、兑付各环节的用时（上一环节日期到本环节日期的天数），取本环节在所选年度内完成的拨付单，给出笔数、中位数、90分位数与平均天数。
-- Steps: 初审 = 申请→初审, 复审 = 初审→复审, 终审 = 复审→终审, 兑付 = 终审→兑付. A step counts when
-- its own date falls in the period (所选年度截至D), 已退回 payments included for the steps they
-- passed. Percentiles are interpolated (quantile_cont), in days to one decimal.
-- Grain: one row per stage (four rows, in order); days are NULL for a stage with no payment.
-- Parameters: $date_from, $date_to (the year up to D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH payments AS (
    SELECT * FROM clean.payments
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), steps(sort, stage, done_date, days) AS (
    SELECT 1, '初审', review1_date, date_diff('day', applied_date, review1_date) FROM payments
    UNION ALL SELECT 2, '复审', review2_date, date_diff('day', review1_date, review2_date) FROM payments
    UNION ALL SELECT 3, '终审', review3_date, date_diff('day', review2_date, review3_date) FROM payments
    UNION ALL SELECT 4, '兑付', paid_date, date_diff('day', review3_date, paid_date) FROM payments
), done AS (
    SELECT * FROM steps WHERE done_date BETWEEN $date_from AND $date_to AND days IS NOT NULL
)
SELECT s.stage,
       CAST(count(d.days) AS BIGINT) AS payments,
       round(quantile_cont(d.days, 0.5), 1) AS median_days,
       round(quantile_cont(d.days, 0.9), 1) AS p90_days,
       round(avg(d.days), 1) AS mean_days
FROM (VALUES (1, '初审'), (2, '复审'), (3, '终审'), (4, '兑付')) AS s(sort, stage)
LEFT JOIN done d USING (sort, stage)
GROUP BY s.sort, s.stage
ORDER BY s.sort

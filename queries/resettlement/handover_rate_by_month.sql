-- 接房率逐月走势：所选年度每月末（当月为D）的接房率，口径同年度任务的接房率，并附当年接房率目标。
-- At each month end E (capped at D): units handed over by E ÷ units allocated by E, counting only
-- sites delivered by E (flats and shops alike). handed_over_units is 累计接房套数 at E (every site).
-- target_pct: the 接房率 target of $year — one 镇街's own when exactly one is filtered and it has
-- one, else the district's (as annual_tasks).
-- Grain: one row per month of $year that starts on or before D (no row for later months).
-- Parameters: $year, $as_of (D); filter $townships (the site's own 镇街; other filters do not apply to sites).
WITH months AS (
    SELECT m AS month, least(last_day(make_date($year, m, 1)), $as_of::DATE) AS month_end
    FROM range(1, 13) t(m) WHERE make_date($year, m, 1) <= $as_of
), units AS (
    SELECT * FROM clean.resettlement_units WHERE clean.in_towns(township, $townships)
), target AS (
    SELECT CASE WHEN len($townships) = 1
                THEN coalesce(any_value(value) FILTER (WHERE township = $townships[1]),
                              any_value(value) FILTER (WHERE township IS NULL))
                ELSE any_value(value) FILTER (WHERE township IS NULL) END AS target_pct
    FROM clean.targets WHERE year = $year AND metric = '接房率(%)'
), counted AS (
    SELECT m.month, m.month_end,
           count(u.unit_id) FILTER (WHERE u.site_delivered_date <= m.month_end AND u.allocated_date <= m.month_end)
               AS allocated_units,
           count(u.unit_id) FILTER (WHERE u.site_delivered_date <= m.month_end AND u.allocated_date <= m.month_end
                                      AND u.handover_date <= m.month_end) AS rate_handed_over_units,
           count(u.unit_id) FILTER (WHERE u.handover_date <= m.month_end) AS handed_over_units
    FROM months m LEFT JOIN units u ON true
    GROUP BY m.month, m.month_end
)
SELECT c.month, c.month || '月' AS month_label, c.month_end,
       CAST(c.allocated_units AS BIGINT) AS allocated_units,
       CAST(c.rate_handed_over_units AS BIGINT) AS rate_handed_over_units,
       clean.pct(c.rate_handed_over_units, c.allocated_units) AS handover_rate_pct,
       CAST(c.handed_over_units AS BIGINT) AS handed_over_units,
       t.target_pct
FROM counted c CROSS JOIN target t  -- an aggregate without GROUP BY: always one row
ORDER BY c.month

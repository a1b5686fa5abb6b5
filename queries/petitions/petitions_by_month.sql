-- 逐月信访：所选年度每月登记件数、办结件数，以及来访、下访人次（按登记月份）。
-- received/persons count by received_date, closed by closed_date, each within the period.
-- Months that start after D are listed with zeros and in_period = false, as in monthly_progress.
-- Grain: one row per month of $year (1–12).
-- Parameters: $year, $date_from, $date_to (the year up to D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter is set).
WITH months AS (
    SELECT m AS month, make_date($year, m, 1) AS month_start FROM range(1, 13) t(m)
), cases AS (
    SELECT * FROM clean.petitions
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), received AS (
    SELECT date_trunc('month', received_date)::DATE AS month_start, count(*) AS cases,
           sum(persons) FILTER (WHERE channel = '来访') AS visit_persons,
           sum(persons) FILTER (WHERE channel = '下访') AS outreach_persons
    FROM cases WHERE received_date BETWEEN $date_from AND $date_to GROUP BY 1
), closed AS (
    SELECT date_trunc('month', closed_date)::DATE AS month_start, count(*) AS cases
    FROM cases WHERE closed_date BETWEEN $date_from AND $date_to GROUP BY 1
)
SELECT m.month, m.month || '月' AS month_label, m.month_start,
       m.month_start <= $date_to AND last_day(m.month_start) >= $date_from AS in_period,
       CAST(coalesce(r.cases, 0) AS BIGINT) AS received,
       CAST(coalesce(c.cases, 0) AS BIGINT) AS closed,
       CAST(coalesce(r.visit_persons, 0) AS BIGINT) AS visit_persons,
       CAST(coalesce(r.outreach_persons, 0) AS BIGINT) AS outreach_persons
FROM months m LEFT JOIN received r USING (month_start) LEFT JOIN closed c USING (month_start)
ORDER BY m.month

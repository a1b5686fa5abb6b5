-- 信访办结率与平均办结天数：所选年度登记的信访件中截至D已办结的比例，及已办结件的平均办结天数（办结日期−登记日期）。
-- Grain: one row.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter is set).
WITH cases AS (
    SELECT *, closed_date <= $as_of AS closed FROM clean.petitions
    WHERE received_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT CAST(count(*) AS BIGINT) AS received,
       CAST(count(*) FILTER (WHERE closed) AS BIGINT) AS closed,
       CAST(count(*) FILTER (WHERE NOT coalesce(closed, false)) AS BIGINT) AS open,
       clean.pct(count(*) FILTER (WHERE closed), count(*)) AS closure_rate_pct,
       round(avg(date_diff('day', received_date, closed_date)) FILTER (WHERE closed), 1) AS mean_close_days
FROM cases

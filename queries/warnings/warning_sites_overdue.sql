-- 预警·安置逾期：截至D已过计划交付日期仍未交付的安置项目；逾期超过红色阈值（默认3年）为红，其余为黄。
-- Not delivered as of D: no delivered_date, or one after D. 红 when days_open > $overdue_red_days.
-- Grain: one row per overdue site, longest overdue first (so red before yellow).
-- Parameters: $as_of (D); filter $townships (the site's own 镇街; other filters do not apply to sites);
--   threshold $overdue_red_days (days; NULL = every overdue site is 黄).
SELECT '安置逾期' AS warning, site_id AS entity_id, site_name AS label,
       planned_delivery_date AS started_date,
       CAST(date_diff('day', planned_delivery_date, $as_of::DATE) AS BIGINT) AS days_open,
       CASE WHEN date_diff('day', planned_delivery_date, $as_of::DATE) > $overdue_red_days THEN '红' ELSE '黄' END AS level,
       site_id, site_name, township, total_units, started_date AS construction_started_date, planned_delivery_date
FROM clean.resettlement_sites
WHERE planned_delivery_date < $as_of
  AND (delivered_date IS NULL OR delivered_date > $as_of)
  AND clean.in_towns(township, $townships)
ORDER BY days_open DESC, site_id

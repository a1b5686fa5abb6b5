-- 安置还房分项目：每个安置项目截至D的房源、已分配、已接房、接房率、剩余安置房、办证及时率、交付（或计划交付）日期与逾期天数。
-- As of D, per docs/metrics.md: 接房率 counts only a delivered site (NULL before delivery); 剩余安置房 =
-- units of a delivered site with no household allocated by D (0 before delivery; remaining_flats
-- is the 住宅 part); 办证及时率 = units certified within 3 months of allocation ÷ units allocated at
-- least 3 months before D. A site is overdue when planned_delivery_date < D and it is not
-- delivered by D; overdue_days is 0 otherwise, overdue_red when over $overdue_red_days (3 years).
-- delivered_date is NULL when the delivery is after D; delivery_date = delivered, else planned.
-- Grain: one row per site, by 安置项目编号.
-- Parameters: $as_of (D); filter $townships (the site's own 镇街; other filters do not apply to sites);
--   $overdue_red_days (days; NULL = never red).
WITH units AS (
    SELECT site_id,
           count(*) AS units_listed,
           count(*) FILTER (WHERE allocated_date <= $as_of) AS allocated_units,
           count(*) FILTER (WHERE handover_date <= $as_of) AS handed_over_units,
           count(*) FILTER (WHERE household_id IS NULL OR allocated_date > $as_of) AS unallocated_units,
           count(*) FILTER (WHERE unit_type = '住宅' AND (household_id IS NULL OR allocated_date > $as_of))
               AS unallocated_flats,
           count(*) FILTER (WHERE CAST(allocated_date + INTERVAL 3 MONTH AS DATE) <= $as_of) AS certificate_due_units,
           count(*) FILTER (WHERE CAST(allocated_date + INTERVAL 3 MONTH AS DATE) <= $as_of
                              AND certificate_date <= CAST(allocated_date + INTERVAL 3 MONTH AS DATE))
               AS certificate_on_time_units
    FROM clean.resettlement_units GROUP BY site_id
), sites AS (
    SELECT s.*, coalesce(s.delivered_date <= $as_of, false) AS delivered,
           NOT delivered AND s.planned_delivery_date < $as_of AS overdue
    FROM clean.resettlement_sites s WHERE clean.in_towns(s.township, $townships)
)
SELECT s.site_id, s.site_name, s.township, CAST(s.total_units AS BIGINT) AS total_units,
       CAST(coalesce(u.units_listed, 0) AS BIGINT) AS units_listed,
       CAST(coalesce(u.allocated_units, 0) AS BIGINT) AS allocated_units,
       CAST(coalesce(u.handed_over_units, 0) AS BIGINT) AS handed_over_units,
       CASE WHEN s.delivered THEN clean.pct(coalesce(u.handed_over_units, 0), u.allocated_units) END AS handover_rate_pct,
       CAST(CASE WHEN s.delivered THEN coalesce(u.unallocated_units, 0) ELSE 0 END AS BIGINT) AS remaining_units,
       CAST(CASE WHEN s.delivered THEN coalesce(u.unallocated_flats, 0) ELSE 0 END AS BIGINT) AS remaining_flats,
       CAST(coalesce(u.certificate_due_units, 0) AS BIGINT) AS certificate_due_units,
       CAST(coalesce(u.certificate_on_time_units, 0) AS BIGINT) AS certificate_on_time_units,
       clean.pct(coalesce(u.certificate_on_time_units, 0), u.certificate_due_units) AS certificate_timely_pct,
       s.delivered,
       CASE WHEN s.delivered THEN s.delivered_date END AS delivered_date,
       s.planned_delivery_date,
       CASE WHEN s.delivered THEN s.delivered_date ELSE s.planned_delivery_date END AS delivery_date,
       s.overdue,
       CAST(CASE WHEN s.overdue THEN date_diff('day', s.planned_delivery_date, $as_of::DATE) ELSE 0 END AS BIGINT)
           AS overdue_days,
       coalesce(s.overdue AND date_diff('day', s.planned_delivery_date, $as_of::DATE) > $overdue_red_days, false)
           AS overdue_red
FROM sites s LEFT JOIN units u USING (site_id)
ORDER BY s.site_id

-- 安置房源明细：一个安置项目（或范围内全部安置项目）的房源，截至D的分配、接房、办证状态，即各项安置指标背后的房源。
-- state as of D: 未分配 / 已分配待接房 / 已接房. in_handover_rate: counted in 接房率 (site delivered
-- and unit allocated by D); remaining: a 剩余安置房 (delivered site, no household by D);
-- certificate_due / certificate_on_time: the 办证及时率 base and numerator (as in resettlement_by_site).
-- Rows read as of D: an allocation (household and date), handover or certificate after D is blank.
-- Grain: one row per unit, by site then 房号.
-- Parameters: $site_id (安置项目编号; NULL = every site in scope), $as_of (D);
--   filter $townships (the site's own 镇街; other filters do not apply to sites).
SELECT unit_id, site_id, site_name, township, unit_type, unit_m2,
       CASE WHEN allocated_date <= $as_of THEN household_id END AS household_id,
       CASE WHEN allocated_date <= $as_of THEN allocated_date END AS allocated_date,
       CASE WHEN handover_date <= $as_of THEN handover_date END AS handover_date,
       CASE WHEN certificate_date <= $as_of THEN certificate_date END AS certificate_date,
       CASE WHEN site_delivered_date <= $as_of THEN site_delivered_date END AS site_delivered_date,
       CASE WHEN handover_date <= $as_of THEN '已接房'
            WHEN allocated_date <= $as_of THEN '已分配待接房'
            ELSE '未分配' END AS state,
       coalesce(site_delivered_date <= $as_of AND allocated_date <= $as_of, false) AS in_handover_rate,
       coalesce(site_delivered_date <= $as_of, false)
           AND (household_id IS NULL OR allocated_date > $as_of) AS remaining,
       coalesce(CAST(allocated_date + INTERVAL 3 MONTH AS DATE) <= $as_of, false) AS certificate_due,
       coalesce(CAST(allocated_date + INTERVAL 3 MONTH AS DATE) <= $as_of
                AND certificate_date <= CAST(allocated_date + INTERVAL 3 MONTH AS DATE), false) AS certificate_on_time
FROM clean.resettlement_units
WHERE ($site_id IS NULL OR site_id = $site_id)
  AND clean.in_towns(township, $townships)
ORDER BY site_id, unit_id

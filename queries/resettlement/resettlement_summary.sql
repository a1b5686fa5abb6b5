-- 安置还房概况：安置项目数、累计接房套数、接房率的分子与分母（已交付项目中已接房、已分配套数）、剩余安置房，截至D。
-- handed_over_units is 累计接房套数: every site. allocated_units and rate_handed_over_units are
-- 接房率's denominator and numerator: sites delivered by D only, so a unit handed over before its
-- site's delivery counts in handed_over_units, in neither of these. The 接房 shortfall on 安置还房 and
-- 周调度's 倒排进度 both read these two. 接房率 itself is a row of annual_tasks (with its target).
-- Grain: one row. Filter: the site's own 镇街 ($townships); other filters do not apply to sites.
-- Parameters: $as_of (D), $townships.
WITH units AS (
    SELECT * FROM clean.resettlement_units WHERE clean.in_towns(township, $townships)
)
SELECT (SELECT count(*) FROM clean.resettlement_sites WHERE clean.in_towns(township, $townships))
           AS resettlement_sites,
       (SELECT count(*) FROM clean.resettlement_sites
        WHERE (clean.in_towns(township, $townships)) AND delivered_date <= $as_of) AS sites_delivered_to_date,
       count(*) FILTER (WHERE handover_date <= $as_of) AS handed_over_units,
       count(*) FILTER (WHERE site_delivered_date <= $as_of AND allocated_date <= $as_of) AS allocated_units,
       count(*) FILTER (WHERE site_delivered_date <= $as_of AND allocated_date <= $as_of
                          AND handover_date <= $as_of) AS rate_handed_over_units,
       count(*) FILTER (WHERE site_delivered_date <= $as_of
                          AND (household_id IS NULL OR allocated_date > $as_of)) AS remaining_units
FROM units

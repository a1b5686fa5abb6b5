-- 安置还房概况：安置项目数、累计接房套数、已交付项目中已分配套数、剩余安置房，截至D。
-- 接房率 itself is a row of annual_tasks (its 指标 carries the target).
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
       count(*) FILTER (WHERE site_delivered_date <= $as_of
                          AND (household_id IS NULL OR allocated_date > $as_of)) AS remaining_units
FROM units

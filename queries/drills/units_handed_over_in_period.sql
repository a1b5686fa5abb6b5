-- 明细：所选期间内接房的安置房源（接房套数背后的台账行）。
-- Grain: one row per unit handed over in the period. Filter: the site's own 镇街.
-- Parameters: $date_from, $date_to, $townships.
SELECT unit_id, site_id, site_name, township,
       unit_type, unit_m2, household_id,
       allocated_date, handover_date, certificate_date
FROM clean.resettlement_units
WHERE handover_date BETWEEN $date_from AND $date_to AND clean.in_towns(township, $townships)
ORDER BY handover_date DESC, unit_id

-- 明细：所选期间内接房的安置房源（接房套数背后的台账行）。
-- Grain: one row per unit handed over in the period. Filter: the site's own 镇街.
-- Parameters: $date_from, $date_to, $townships.
SELECT unit_id AS 房号, site_id AS 安置项目编号, site_name AS 安置项目名称, township AS 镇街,
       unit_type AS 房屋类型, unit_m2 AS "建筑面积(㎡)", household_id AS 分配户编号,
       allocated_date AS 分房日期, handover_date AS 接房日期, certificate_date AS 办证日期
FROM clean.resettlement_units
WHERE handover_date BETWEEN $date_from AND $date_to AND clean.in_towns(township, $townships)
ORDER BY handover_date DESC, unit_id

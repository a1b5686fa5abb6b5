-- 筛选项：数据中出现的镇街（项目与安置项目的）与年份范围，供侧栏筛选使用。
-- Grain: one row per 镇街 (first_year/last_year repeat on every row).
-- Parameters: $as_of (the data's as-of date bounds the last year).
WITH towns AS (
    SELECT township FROM clean.projects UNION SELECT township FROM clean.resettlement_sites
)
SELECT township,
       (SELECT min(year(start_date)) FROM clean.projects) AS first_year,
       year($as_of::DATE) AS last_year
FROM towns
ORDER BY township

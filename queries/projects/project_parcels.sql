-- 项目地块明细：一个项目（或范围内全部项目）的地块，及截至D所处阶段（未报批/已报批/已征收/已交地）。
-- Rows read as of D: a date after D is blank (the step had not happened yet).
-- Grain: one row per parcel, by project then 地块编号.
-- Parameters: $project_id (项目编号; NULL = every project in scope), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT parcel_id, project_id, project_name, township, area_mu, land_use,
       CASE WHEN approved_date <= $as_of THEN approved_date END AS approved_date,
       CASE WHEN acquired_date <= $as_of THEN acquired_date END AS acquired_date,
       CASE WHEN transferred_date <= $as_of THEN transferred_date END AS transferred_date,
       CASE WHEN transferred_date <= $as_of THEN '已交地'
            WHEN acquired_date <= $as_of THEN '已征收'
            WHEN approved_date <= $as_of THEN '已报批'
            ELSE '未报批' END AS stage
FROM clean.parcels
WHERE ($project_id IS NULL OR project_id = $project_id)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY project_id, parcel_id

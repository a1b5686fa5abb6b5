-- 预警·尾欠户滞留：所在项目已过计划完成日期、截至D仍未签约的尾欠户。
-- The wait starts at the project's planned_end_date; a project without one never strands a
-- household. One level only (红). The label is project and 户编号, never the owner's name, so
-- the list needs no masking.
-- Grain: one row per stranded holdout household, longest first.
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT '尾欠户滞留' AS warning, household_id AS entity_id, project_name || ' · ' || household_id AS label,
       project_planned_end_date AS started_date,
       CAST(date_diff('day', project_planned_end_date, $as_of::DATE) AS BIGINT) AS days_open, '红' AS level,
       project_id, project_name, township, house_m2, surveyed_date
FROM clean.households
WHERE is_holdout AND project_planned_end_date < $as_of
  AND (signed_date IS NULL OR signed_date > $as_of)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, household_id

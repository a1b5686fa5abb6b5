-- 预警·隐患逾期：截至D已过整改期限仍未销号的隐患（不论检查年度）。
-- Not closed as of D: no closed_date, or one after D; overdue when due_date < D, as in
-- safety_summary. One level only (红): the deadline has passed. stage is where the loop
-- 整改 → 复查 → 销号 stands as of D.
-- Grain: one row per overdue hazard, longest overdue first.
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT '隐患逾期' AS warning, hazard_id AS entity_id, description || ' · ' || project_name AS label,
       due_date AS started_date, CAST(date_diff('day', due_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       CASE WHEN rectified_date IS NULL OR rectified_date > $as_of THEN '待整改'
            WHEN rechecked_date IS NULL OR rechecked_date > $as_of THEN '待复查'
            ELSE '待销号' END AS stage,
       inspection_id, inspected_date, project_id, project_name, township, description, due_date
FROM clean.hazards
WHERE due_date < $as_of AND (closed_date IS NULL OR closed_date > $as_of)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, hazard_id

-- 明细：所选期间内销号的隐患（周调度“隐患销号”背后的台账行）。
-- Grain: one row per hazard closed in the period, newest first.
-- Parameters: $date_from, $date_to, $as_of (D); filters $townships, $sector, $key_only, $project.
SELECT hazard_id, inspection_id, project_name, township,
       description, due_date, rectified_date,
       rechecked_date, closed_date
FROM clean.hazards
WHERE closed_date BETWEEN $date_from AND least($date_to, $as_of)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY closed_date DESC, hazard_id

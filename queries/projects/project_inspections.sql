-- 项目安全检查明细：一个项目（或范围内全部项目）截至D的专项检查、整改函份数，及该次检查交办的隐患数与截至D已销号数。
-- Grain: one row per (检查编号, 项目编号), newest first.
-- Parameters: $project_id (项目编号; NULL = every project in scope), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH hazards AS (
    SELECT inspection_id, project_id, count(*) AS hazards,
           count(*) FILTER (WHERE closed_date <= $as_of) AS hazards_closed
    FROM clean.hazards GROUP BY inspection_id, project_id
)
SELECT i.inspection_id, i.inspected_date, i.inspection_type, i.project_id, i.project_name, i.township,
       CAST(i.letters AS BIGINT) AS letters,
       CAST(coalesce(z.hazards, 0) AS BIGINT) AS hazards,
       CAST(coalesce(z.hazards_closed, 0) AS BIGINT) AS hazards_closed
FROM clean.inspections i LEFT JOIN hazards z USING (inspection_id, project_id)
WHERE i.inspected_date <= $as_of
  AND ($project_id IS NULL OR i.project_id = $project_id)
  AND clean.in_scope(i.township, i.sector, i.is_key, i.project_id, i.project_name, $townships, $sector, $key_only, $project)
ORDER BY i.inspected_date DESC, i.inspection_id, i.project_id

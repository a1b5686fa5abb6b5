-- 年度专项检查：所选年度每次专项检查覆盖的项目、检查类型、整改函份数，及交办隐患数与截至D已销号、逾期未整改数。
-- Hazards belong to their inspection (clean.hazards), matched on 检查编号 and 项目编号.
-- Grain: one row per (检查编号, 项目编号) inspected in the period, newest first.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH hazards AS (
    SELECT inspection_id, project_id, count(*) AS hazards,
           count(*) FILTER (WHERE closed_date <= $as_of) AS closed,
           count(*) FILTER (WHERE (closed_date IS NULL OR closed_date > $as_of) AND due_date < $as_of) AS overdue
    FROM clean.hazards GROUP BY inspection_id, project_id
)
SELECT i.inspection_id, i.inspected_date, i.inspection_type, i.project_id, i.project_name, i.township,
       CAST(i.letters AS BIGINT) AS letters,
       CAST(coalesce(z.hazards, 0) AS BIGINT) AS hazards,
       CAST(coalesce(z.closed, 0) AS BIGINT) AS hazards_closed,
       CAST(coalesce(z.overdue, 0) AS BIGINT) AS hazards_overdue
FROM clean.inspections i LEFT JOIN hazards z USING (inspection_id, project_id)
WHERE i.inspected_date BETWEEN $date_from AND $date_to
  AND clean.in_scope(i.township, i.sector, i.is_key, i.project_id, i.project_name, $townships, $sector, $key_only, $project)
ORDER BY i.inspected_date DESC, i.inspection_id, i.project_id

-- 平安征收：所选年度专项检查次数、覆盖项目数、整改函份数；这些检查交办的隐患数、截至D销号数、逾期未整改数。
-- Grain: one row.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH inspections AS (
    SELECT * FROM clean.inspections
    WHERE inspected_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), hazards AS (
    SELECT * FROM clean.hazards
    WHERE inspected_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT (SELECT count(DISTINCT inspection_id) FROM inspections) AS inspections,
       (SELECT count(DISTINCT project_id) FROM inspections) AS inspected_projects,
       (SELECT CAST(coalesce(sum(letters), 0) AS BIGINT) FROM inspections) AS letters,
       (SELECT count(*) FROM hazards) AS hazards,
       (SELECT count(*) FILTER (WHERE closed_date <= $as_of) FROM hazards) AS hazards_closed,
       (SELECT count(*) FILTER (WHERE (closed_date IS NULL OR closed_date > $as_of) AND due_date < $as_of)
        FROM hazards) AS hazards_overdue

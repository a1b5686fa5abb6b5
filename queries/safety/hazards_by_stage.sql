-- 隐患整改环节分布：所选年度检查交办的隐患，截至D处于待整改、待复查、待销号、已销号各环节的项数，按是否逾期分列。
-- stage and overdue exactly as in hazards_in_year (a hazard belongs to the year of its inspection,
-- as safety_summary): stage as of D is the first step of 整改 → 复查 → 销号 not yet dated by D;
-- overdue = not closed by D and due_date < D (an 已销号 hazard is never overdue). Every stage is
-- listed under both statuses, zeros included: 未逾期 rows first, then 逾期, each in the order of the loop.
-- Grain: one row per (环节, 是否逾期): eight rows.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH staged AS (
    SELECT clean.hazard_stage(rectified_date, rechecked_date, closed_date, $as_of) AS stage,
           coalesce(stage <> '已销号' AND due_date < $as_of, false) AS overdue
    FROM clean.hazards
    WHERE inspected_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT s.stage, o.status, CAST(count(h.stage) AS BIGINT) AS hazards
FROM (VALUES (1, '待整改'), (2, '待复查'), (3, '待销号'), (4, '已销号')) AS s(sort, stage)
CROSS JOIN (VALUES (1, '未逾期', false), (2, '逾期', true)) AS o(sort, status, overdue)
LEFT JOIN staged h ON h.stage = s.stage AND h.overdue = o.overdue
GROUP BY o.sort, s.sort, s.stage, o.status
ORDER BY o.sort, s.sort

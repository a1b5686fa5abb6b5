-- 年度隐患整改：所选年度检查交办的隐患，截至D所处整改→复查→销号环节与是否逾期。
-- A hazard belongs to the year of its inspection (clean.hazards, as safety_summary). stage as of D:
-- 待整改 / 待复查 / 待销号 / 已销号; overdue = not closed by D and due_date < D; overdue_days 0 otherwise.
-- A step dated after D is blank.
-- Grain: one row per hazard, open ones first, most overdue first.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH staged AS (
    SELECT *,
           clean.hazard_stage(rectified_date, rechecked_date, closed_date, $as_of) AS stage,
           stage <> '已销号' AND due_date < $as_of AS overdue
    FROM clean.hazards
    WHERE inspected_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT hazard_id, inspection_id, inspected_date, project_id, project_name, township, description, due_date,
       CASE WHEN rectified_date <= $as_of THEN rectified_date END AS rectified_date,
       CASE WHEN rechecked_date <= $as_of THEN rechecked_date END AS rechecked_date,
       CASE WHEN closed_date <= $as_of THEN closed_date END AS closed_date,
       stage, overdue,
       CAST(CASE WHEN overdue THEN date_diff('day', due_date, $as_of::DATE) ELSE 0 END AS BIGINT) AS overdue_days
FROM staged
ORDER BY stage = '已销号', overdue_days DESC, hazard_id

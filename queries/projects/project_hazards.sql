-- 项目隐患明细：一个项目（或范围内全部项目）截至D交办的隐患，所处整改→复查→销号环节与是否逾期。
-- stage as of D: 待整改 / 待复查 / 待销号 / 已销号; overdue = not closed by D and due_date < D
-- (as in safety_summary); overdue_days is 0 when not overdue. A step dated after D is blank.
-- Grain: one row per hazard whose inspection was on or before D, newest inspection first.
-- Parameters: $project_id (项目编号; NULL = every project in scope), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH staged AS (
    SELECT *,
           clean.hazard_stage(rectified_date, rechecked_date, closed_date, $as_of) AS stage,
           stage <> '已销号' AND due_date < $as_of AS overdue
    FROM clean.hazards
    WHERE inspected_date <= $as_of
      AND ($project_id IS NULL OR project_id = $project_id)
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT hazard_id, inspection_id, inspected_date, project_id, project_name, township, description,
       due_date,
       CASE WHEN rectified_date <= $as_of THEN rectified_date END AS rectified_date,
       CASE WHEN rechecked_date <= $as_of THEN rechecked_date END AS rechecked_date,
       CASE WHEN closed_date <= $as_of THEN closed_date END AS closed_date,
       stage, overdue,
       CAST(CASE WHEN overdue THEN date_diff('day', due_date, $as_of::DATE) ELSE 0 END AS BIGINT) AS overdue_days
FROM staged
ORDER BY inspected_date DESC, hazard_id

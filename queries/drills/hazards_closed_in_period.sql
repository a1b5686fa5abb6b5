-- 明细：所选期间内销号的隐患（周调度“隐患销号”背后的台账行）。
-- Grain: one row per hazard closed in the period, newest first.
-- Parameters: $date_from, $date_to, $as_of (D); filters $townships, $sector, $key_only, $project.
SELECT hazard_id AS 隐患编号, inspection_id AS 检查编号, project_name AS 项目名称, township AS 镇街,
       description AS 隐患描述, due_date AS 整改期限, rectified_date AS 整改日期,
       rechecked_date AS 复查日期, closed_date AS 销号日期
FROM clean.hazards
WHERE closed_date BETWEEN $date_from AND least($date_to, $as_of)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY closed_date DESC, hazard_id

-- 明细：所选期间内签约的被征收户（房屋征收户数与面积背后的台账行；户主姓名由页面按角色遮蔽）。
-- Grain: one row per household signed in the period.
-- $holdout_only: only 尾欠户 (the 尾欠户签约 figure).
-- Parameters: $date_from, $date_to, $holdout_only; filters $townships, $sector, $key_only, $project.
SELECT household_id AS 户编号, project_id AS 项目编号, project_name AS 项目名称, township AS 镇街,
       owner_name AS 户主姓名, signed_date AS 签约日期, signed_m2 AS "签约面积(㎡)",
       agreed_yuan AS "协议补偿金额(元)", resettlement_mode AS 安置方式, is_holdout AS 是否尾欠户
FROM clean.households
WHERE signed_date BETWEEN $date_from AND $date_to AND (is_holdout OR NOT coalesce($holdout_only, false))
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY signed_date DESC, household_id

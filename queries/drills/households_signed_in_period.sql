-- 明细：所选期间内签约的被征收户（房屋征收户数与面积背后的台账行；户主姓名由页面按角色遮蔽）。
-- Grain: one row per household signed in the period.
-- $holdout_only: only 尾欠户 (the 尾欠户签约 figure).
-- Parameters: $date_from, $date_to, $holdout_only; filters $townships, $sector, $key_only, $project.
SELECT household_id, project_id, project_name, township,
       owner_name, signed_date, signed_m2,
       agreed_yuan, resettlement_mode, is_holdout
FROM clean.households
WHERE signed_date BETWEEN $date_from AND $date_to AND (is_holdout OR NOT coalesce($holdout_only, false))
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY signed_date DESC, household_id

-- 项目被征收户明细：一个项目（或范围内全部项目）的被征收户，截至D的签约/拆除状态与已兑付补偿款。含户主姓名（个人信息，由页面按角色脱敏）。
-- Rows read as of D: signing fields are blank until signed by D, a later date is blank.
-- state as of D: 已拆除 / 已签约 / 未签约. paid_compensation_yuan = 征收补偿安置费 + 拆迁补偿费
-- paid to the household on or before D (as in signed_unpaid_gap_by_project).
-- Grain: one row per household, by project then 户编号.
-- Parameters: $project_id (项目编号; NULL = every project in scope), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH households AS (
    SELECT *, coalesce(signed_date <= $as_of, false) AS signed FROM clean.households
    WHERE ($project_id IS NULL OR project_id = $project_id)
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), paid AS (
    SELECT household_id, sum(amount_yuan) AS yuan FROM clean.payments
    WHERE is_compensation AND paid_date <= $as_of AND household_id IS NOT NULL
    GROUP BY household_id
)
SELECT h.household_id, h.project_id, h.project_name, h.township, h.owner_name, h.house_m2,
       CASE WHEN h.surveyed_date <= $as_of THEN h.surveyed_date END AS surveyed_date,
       CASE WHEN h.signed THEN h.signed_date END AS signed_date,
       CASE WHEN h.signed THEN h.signed_m2 END AS signed_m2,
       CASE WHEN h.signed THEN h.agreed_yuan END AS agreed_yuan,
       CASE WHEN h.signed THEN h.resettlement_mode END AS resettlement_mode,
       h.is_holdout,
       CASE WHEN h.demolished_date <= $as_of THEN h.demolished_date END AS demolished_date,
       CASE WHEN h.demolished_date <= $as_of THEN '已拆除'
            WHEN h.signed THEN '已签约'
            ELSE '未签约' END AS state,
       CAST(coalesce(p.yuan, 0) AS DECIMAL(18, 2)) AS paid_compensation_yuan
FROM households h LEFT JOIN paid p USING (household_id)
ORDER BY h.project_id, h.household_id

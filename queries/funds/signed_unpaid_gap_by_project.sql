-- 已签协议待付款缺口：截至D已签约户的协议补偿金额减去已兑付给该户的补偿款（不为负），按项目。
-- Compensation paid = 征收补偿安置费 + 拆迁补偿费 with paid_date on or before D.
-- Grain: one row per project with signed households; largest gap first.
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH signed AS (
    SELECT household_id, project_id, project_name, township, agreed_yuan FROM clean.households
    WHERE signed_date <= $as_of
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), paid AS (
    SELECT household_id, sum(amount_yuan) AS paid_yuan FROM clean.payments
    WHERE is_compensation AND paid_date <= $as_of AND household_id IS NOT NULL
    GROUP BY household_id
)
SELECT s.project_id, s.project_name, s.township,
       count(*) AS signed_households,
       count(*) FILTER (WHERE s.agreed_yuan > coalesce(p.paid_yuan, 0)) AS households_owed,
       sum(s.agreed_yuan) AS agreed_yuan,
       coalesce(sum(p.paid_yuan), 0) AS paid_yuan,
       sum(greatest(s.agreed_yuan - coalesce(p.paid_yuan, 0), 0)) AS gap_yuan
FROM signed s LEFT JOIN paid p USING (household_id)
GROUP BY s.project_id, s.project_name, s.township
ORDER BY gap_yuan DESC, s.project_id

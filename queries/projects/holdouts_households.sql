-- 尾欠户明细：范围内全部尾欠户，截至D的签约状态、滞留天数与是否已过项目计划完成日期。含户主姓名（个人信息，由页面按角色脱敏）。
-- open_days: from 入户调查日期 (or the project's 立项日期 when blank) to D, for households unsigned
-- at D; 0 once signed. stranded as in warning_holdouts_stranded. Signing fields are blank until
-- signed by D.
-- Grain: one row per holdout household, unsigned first, longest wait first.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH holdouts AS (
    SELECT h.*, p.start_date AS project_start_date,
           coalesce(h.signed_date <= $as_of, false) AS signed
    FROM clean.households h JOIN clean.projects p USING (project_id)
    WHERE h.is_holdout
      AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
)
SELECT household_id, project_id, project_name, township, owner_name, house_m2, surveyed_date,
       CASE WHEN signed THEN signed_date END AS signed_date,
       CASE WHEN signed THEN signed_m2 END AS signed_m2,
       CASE WHEN signed THEN agreed_yuan END AS agreed_yuan,
       CASE WHEN signed THEN resettlement_mode END AS resettlement_mode,
       CASE WHEN signed THEN '已签约' ELSE '未签约' END AS state,
       coalesce(signed_date BETWEEN $date_from AND $date_to, false) AS signed_in_period,
       CAST(CASE WHEN signed THEN 0
                 ELSE date_diff('day', coalesce(surveyed_date, project_start_date), $as_of::DATE) END AS BIGINT) AS open_days,
       project_planned_end_date,
       NOT signed AND coalesce(project_planned_end_date < $as_of, false) AS stranded
FROM holdouts
ORDER BY signed, open_days DESC, household_id

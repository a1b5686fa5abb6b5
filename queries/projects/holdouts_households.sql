-- 尾欠户明细：范围内立项日期不晚于D的项目的全部尾欠户，截至D的签约状态、滞留天数与是否已过项目计划完成日期。含户主姓名（个人信息，由页面按角色脱敏）。
-- Projects started after D are left out, as projects_progress leaves them out. open_days: from
-- 入户调查日期 (or the project's 立项日期 when blank) to D, for households unsigned at D; 0 once
-- signed; NULL while not yet surveyed (入户调查日期 after D): its wait has not begun. stranded as in
-- warning_holdouts_stranded. Dates after D read blank: signing fields until signed by D, the survey.
-- Grain: one row per holdout household, unsigned first, longest wait first, not yet surveyed last.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH holdouts AS (
    SELECT h.*, p.start_date AS project_start_date,
           coalesce(h.signed_date <= $as_of, false) AS signed,
           coalesce(h.surveyed_date > $as_of, false) AS not_yet_surveyed
    FROM clean.households h JOIN clean.projects p USING (project_id)
    WHERE h.is_holdout AND p.start_date <= $as_of
      AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
)
SELECT household_id, project_id, project_name, township, owner_name, house_m2,
       CASE WHEN NOT not_yet_surveyed THEN surveyed_date END AS surveyed_date,
       CASE WHEN signed THEN signed_date END AS signed_date,
       CASE WHEN signed THEN signed_m2 END AS signed_m2,
       CASE WHEN signed THEN agreed_yuan END AS agreed_yuan,
       CASE WHEN signed THEN resettlement_mode END AS resettlement_mode,
       CASE WHEN signed THEN '已签约' ELSE '未签约' END AS state,
       coalesce(signed_date BETWEEN $date_from AND $date_to, false) AS signed_in_period,
       CAST(CASE WHEN signed THEN 0
                 WHEN not_yet_surveyed THEN NULL
                 ELSE date_diff('day', coalesce(surveyed_date, project_start_date), $as_of::DATE) END AS BIGINT) AS open_days,
       project_planned_end_date,
       NOT signed AND coalesce(project_planned_end_date < $as_of, false) AS stranded
FROM holdouts
ORDER BY signed, open_days DESC NULLS LAST, household_id

-- 尾欠户分项目：每个有尾欠户的项目的尾欠户数、截至D已签约与未签约数、清零率、年内签约数，以及最久未签约户的滞留天数。
-- Projects started after D are left out (as projects_progress). A holdout's wait starts at its
-- 入户调查日期 (surveyed_date: when the household's case opened), or at the project's 立项日期
-- (start_date) when the survey date is blank; a household surveyed after D has not begun to wait.
-- oldest_open_days is the longest wait to D among households still unsigned (0 when none waits).
-- holdouts and unsigned count every holdout of the project, surveyed or not (as projects_progress).
-- stranded: unsigned holdouts while the project is past its planned_end_date (as warning_holdouts_stranded).
-- Grain: one row per project with holdouts in scope, most unsigned first.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH holdouts AS (
    SELECT h.*, p.start_date, p.status,
           coalesce(h.signed_date <= $as_of, false) AS signed,
           CASE WHEN h.surveyed_date <= $as_of OR h.surveyed_date IS NULL
                THEN date_diff('day', coalesce(h.surveyed_date, p.start_date), $as_of::DATE) END AS open_days
    FROM clean.households h JOIN clean.projects p USING (project_id)
    WHERE h.is_holdout AND p.start_date <= $as_of
      AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
)
SELECT project_id, project_name, township, is_key, status, project_planned_end_date AS planned_end_date,
       CAST(count(*) AS BIGINT) AS holdouts,
       CAST(count(*) FILTER (WHERE signed) AS BIGINT) AS signed,
       CAST(count(*) FILTER (WHERE NOT signed) AS BIGINT) AS unsigned,
       clean.pct(count(*) FILTER (WHERE signed), count(*)) AS clear_rate_pct,
       CAST(count(*) FILTER (WHERE signed_date BETWEEN $date_from AND $date_to) AS BIGINT) AS signed_in_period,
       CAST(coalesce(max(open_days) FILTER (WHERE NOT signed), 0) AS BIGINT) AS oldest_open_days,
       CAST(count(*) FILTER (WHERE NOT signed AND project_planned_end_date < $as_of) AS BIGINT) AS stranded
FROM holdouts
GROUP BY project_id, project_name, township, is_key, status, project_planned_end_date
ORDER BY unsigned DESC, project_id

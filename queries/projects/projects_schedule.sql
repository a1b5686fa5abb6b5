-- 项目序时进度：范围内每个有计划完成日期的项目，截至D的完成率（签约率、征地进度中较低的一项）与项目序时进度。
-- A project's 序时进度 = days from its 立项日期 up to D (both counted) ÷ days from 立项日期 to
-- 计划完成日期 (both counted), within 0–100, as the year's 序时进度 counts its days. Its 完成率 is
-- the lower of 签约率 (households) and 征地进度 (parcels, against planned_land_mu), the one holding
-- it back; a project with only one of them takes that one (progress_basis says which).
-- Whether it lags, and by how much, is the one status rule's (warehouse.dispatch.projects_behind).
-- Grain: one row per project in scope started by D with a 计划完成日期 and a 完成率, by 项目编号.
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH projects AS (
    SELECT * FROM clean.projects
    WHERE start_date <= $as_of AND planned_end_date IS NOT NULL
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), households AS (
    SELECT project_id, count(*) AS total, count(*) FILTER (WHERE signed_date <= $as_of) AS signed
    FROM clean.households GROUP BY project_id
), land AS (
    SELECT project_id, sum(area_mu) FILTER (WHERE acquired_date <= $as_of) AS acquired_mu
    FROM clean.parcels GROUP BY project_id
), progress AS (
    SELECT p.*,
           clean.pct(coalesce(h.signed, 0), h.total) AS signed_pct,
           clean.pct(coalesce(l.acquired_mu, 0), p.planned_land_mu) AS land_pct,
           date_diff('day', p.start_date, p.planned_end_date) + 1 AS span_days
    FROM projects p
    LEFT JOIN households h USING (project_id)
    LEFT JOIN land l USING (project_id)
)
SELECT project_id, project_name, township, status, start_date, planned_end_date,
       CASE WHEN land_pct IS NULL OR signed_pct <= land_pct THEN '签约率' ELSE '征地进度' END AS progress_basis,
       least(signed_pct, land_pct) AS rate_pct,
       clean.pct(least(greatest(date_diff('day', start_date, $as_of::DATE) + 1, 0), span_days), span_days)
           AS time_elapsed_pct
FROM progress
WHERE signed_pct IS NOT NULL OR land_pct IS NOT NULL
ORDER BY project_id

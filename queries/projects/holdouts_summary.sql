-- 尾欠户：尾欠户总数、截至D已签约数与清零率，所选年度签约尾欠户的签约面积，涉及项目数。
-- Every holdout of the projects started by D (立项日期 ≤ D, as projects_progress lists them),
-- surveyed or not: the ledger lists a project's households from its start.
-- Grain: one row.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT count(*) AS holdouts_total,
       count(DISTINCT project_id) AS holdout_projects,
       count(*) FILTER (WHERE signed_date <= $as_of) AS holdouts_signed_to_date,
       clean.pct(count(*) FILTER (WHERE signed_date <= $as_of), count(*)) AS clear_rate_pct,
       coalesce(sum(signed_m2) FILTER (WHERE signed_date BETWEEN $date_from AND $date_to), 0) AS holdouts_signed_m2
FROM clean.households
WHERE is_holdout
  AND project_id IN (SELECT project_id FROM clean.projects WHERE start_date <= $as_of)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)

-- 房屋征收项目数：所选年度内有被征收户签约或拆除的项目个数。
-- Grain: one row.
-- Parameters: $date_from, $date_to (the year up to D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT count(DISTINCT project_id) FILTER (WHERE signed_date BETWEEN $date_from AND $date_to
                                             OR demolished_date BETWEEN $date_from AND $date_to) AS house_projects
FROM clean.households
WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)

-- 土地征收项目数、报批项目数、交地项目数：所选年度内有相应地块工作的项目个数。
-- Grain: one row.
-- Parameters: $date_from, $date_to (the year up to D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT
    count(DISTINCT project_id) FILTER (WHERE approved_date BETWEEN $date_from AND $date_to
                                          OR acquired_date BETWEEN $date_from AND $date_to
                                          OR transferred_date BETWEEN $date_from AND $date_to) AS land_projects,
    count(DISTINCT project_id) FILTER (WHERE approved_date BETWEEN $date_from AND $date_to) AS land_approved_projects,
    count(DISTINCT project_id) FILTER (WHERE transferred_date BETWEEN $date_from AND $date_to) AS transferred_projects
FROM clean.parcels
WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)

-- 重复信访率：所选年度登记的信访中，有两件及以上的信访人 ÷ 信访人数。
-- Grain: one row.
-- Parameters: $date_from, $date_to (the year up to D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH per_person AS (
    SELECT petitioner_id, count(*) AS cases FROM clean.petitions
    WHERE received_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    GROUP BY petitioner_id
)
SELECT count(*) AS petitioners,
       count(*) FILTER (WHERE cases >= 2) AS repeat_petitioners,
       coalesce(clean.pct(count(*) FILTER (WHERE cases >= 2), count(*)), 0) AS repeat_rate_pct
FROM per_person

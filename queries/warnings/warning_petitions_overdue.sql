-- 预警·信访超期：截至D尚未办结、登记已超过阈值天数（默认60天）的信访件。
-- Open as of D: received by D, no closed_date or one after D. One level only: a case past the
-- time limit is already late, so it is 红.
-- Grain: one row per overdue case, longest open first.
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter is set);
--   threshold $petition_overdue_days (days; NULL = no warning).
WITH open_cases AS (
    SELECT *, date_diff('day', received_date, $as_of::DATE) AS days_open FROM clean.petitions
    WHERE received_date <= $as_of AND (closed_date IS NULL OR closed_date > $as_of)
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT '信访超期' AS warning, case_id AS entity_id,
       channel || ' · ' || topic || coalesce(' · ' || project_name, '') AS label,
       received_date AS started_date, CAST(days_open AS BIGINT) AS days_open, '红' AS level,
       channel, persons, topic, is_backlog, project_id, project_name, township
FROM open_cases
WHERE days_open > $petition_overdue_days
ORDER BY days_open DESC, case_id

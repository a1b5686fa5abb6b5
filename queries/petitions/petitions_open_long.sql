-- 长期未办结信访：截至D尚未办结、登记已超过指定天数的信访件，最久的在前。
-- Open as of D: received by D, no closed_date or one after D; listed when days_open > $days.
-- Grain: one row per case.
-- Parameters: $as_of (D); $days (days; NULL = every open case);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter is set).
WITH open_cases AS (
    SELECT *, date_diff('day', received_date, $as_of::DATE) AS days_open FROM clean.petitions
    WHERE received_date <= $as_of AND (closed_date IS NULL OR closed_date > $as_of)
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT case_id, received_date, channel, persons, project_id, project_name, township, topic, is_backlog,
       CAST(days_open AS BIGINT) AS days_open
FROM open_cases
WHERE $days IS NULL OR days_open > $days
ORDER BY days_open DESC, case_id

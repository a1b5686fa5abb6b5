-- 信访积案：截至D仍未化解、或在所选年度内化解的积案，及其状态与已历时天数。
-- The cases that matter for the year: open as of D, or closed in the period (those closed in
-- the period are the 积案化解 figure of petitions_counts). days_open runs from received to
-- closing, or to D while open.
-- Grain: one row per backlog case, open ones first, oldest first.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter is set).
WITH backlog AS (
    SELECT *, closed_date <= $as_of AS closed FROM clean.petitions
    WHERE is_backlog AND received_date <= $as_of
      AND (closed_date IS NULL OR closed_date > $as_of OR closed_date BETWEEN $date_from AND $date_to)
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT case_id, received_date, channel, persons, project_id, project_name, township, topic,
       CASE WHEN closed THEN closed_date END AS closed_date,
       CASE WHEN closed THEN '已化解' ELSE '未化解' END AS state,
       CAST(date_diff('day', received_date, CASE WHEN closed THEN closed_date ELSE $as_of::DATE END) AS BIGINT)
           AS days_open
FROM backlog
ORDER BY coalesce(closed, false), received_date, case_id

-- 信访七项：来访/下访人次（登记在年内），书面/复议诉讼办结件数（办结在年内），
-- 市级/中央巡视组交办件数（登记在年内），积案化解件数（积案办结在年内）。
-- Grain: one row per figure (seven rows, in the order of the center's review).
-- Parameters: $date_from, $date_to (the year up to D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter is set).
WITH cases AS (
    SELECT *, received_date BETWEEN $date_from AND $date_to AS received_in,
              closed_date BETWEEN $date_from AND $date_to AS closed_in
    FROM clean.petitions
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT figure, unit, CAST(value AS BIGINT) AS value FROM (
    SELECT 1 AS sort, '来访人次' AS figure, '人次' AS unit,
           coalesce(sum(persons) FILTER (WHERE channel = '来访' AND received_in), 0) AS value FROM cases
    UNION ALL SELECT 2, '下访人次', '人次', coalesce(sum(persons) FILTER (WHERE channel = '下访' AND received_in), 0) FROM cases
    UNION ALL SELECT 3, '书面办结', '件', count(*) FILTER (WHERE channel = '书面' AND closed_in) FROM cases
    UNION ALL SELECT 4, '复议诉讼办结', '件', count(*) FILTER (WHERE channel = '复议诉讼' AND closed_in) FROM cases
    UNION ALL SELECT 5, '市级交办', '件', count(*) FILTER (WHERE channel = '市级交办' AND received_in) FROM cases
    UNION ALL SELECT 6, '中央巡视组交办', '件', count(*) FILTER (WHERE channel = '中央巡视组交办' AND received_in) FROM cases
    UNION ALL SELECT 7, '积案化解', '件', count(*) FILTER (WHERE is_backlog AND closed_in) FROM cases
)
ORDER BY sort

-- 信访诉求类别：所选年度登记的信访件数、人次，截至D已办结与未办结件数、办结率，按诉求类别（七类都列出）。
-- Grain: one row per 诉求类别 (seven rows), most cases first.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter is set).
WITH cases AS (
    SELECT topic, persons, closed_date <= $as_of AS closed FROM clean.petitions
    WHERE received_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
)
SELECT t.topic,
       CAST(count(c.topic) AS BIGINT) AS received,
       CAST(coalesce(sum(c.persons), 0) AS BIGINT) AS persons,
       CAST(count(c.topic) FILTER (WHERE c.closed) AS BIGINT) AS closed,
       CAST(count(c.topic) FILTER (WHERE NOT coalesce(c.closed, false)) AS BIGINT) AS open,
       clean.pct(count(c.topic) FILTER (WHERE c.closed), count(c.topic)) AS closure_rate_pct
FROM (VALUES (1, '补偿标准'), (2, '安置房'), (3, '资金拨付'), (4, '过渡安置费'), (5, '房屋拆除'), (6, '政策咨询'), (7, '其他'))
     AS t(sort, topic)
LEFT JOIN cases c USING (topic)
GROUP BY t.sort, t.topic
ORDER BY received DESC, t.sort

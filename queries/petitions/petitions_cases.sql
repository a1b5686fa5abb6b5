-- 信访件明细：所选年度登记或办结的信访件，即各项信访数字背后的案件，可按渠道、诉求类别筛选。含信访人编号（个人信息，由页面按角色脱敏）。
-- A figure counts cases received in the period (人次, 交办, 办结率) or closed in it (办结, 积案化解):
-- received_in_period / closed_in_period say which. state as of D: 已办结 / 办理中.
-- Grain: one row per case, newest received first.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D); $channel (信访渠道; NULL = all),
--   $topic (诉求类别; NULL = all); filters $townships (镇街 list, NULL = all), $sector, $key_only,
--   $project (a case without a project drops out when any filter is set).
SELECT case_id, received_date, channel, persons, petitioner_id, project_id, project_name, township, topic,
       is_backlog,
       CASE WHEN closed_date <= $as_of THEN closed_date END AS closed_date,
       CASE WHEN closed_date <= $as_of THEN '已办结' ELSE '办理中' END AS state,
       received_date BETWEEN $date_from AND $date_to AS received_in_period,
       coalesce(closed_date BETWEEN $date_from AND $date_to, false) AS closed_in_period
FROM clean.petitions
WHERE (received_date BETWEEN $date_from AND $date_to OR closed_date BETWEEN $date_from AND $date_to)
  AND ($channel IS NULL OR channel = $channel)
  AND ($topic IS NULL OR topic = $topic)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY received_date DESC, case_id

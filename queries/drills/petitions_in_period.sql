-- 明细：所选期间内登记（$event = 'received'）或办结（'closed'）的信访件（周调度新增/办结信访背后的案件）。
-- 信访人编号是个人信息，由页面按角色脱敏。
-- Grain: one row per case, newest first.
-- Parameters: $date_from, $date_to, $as_of (D: a closing dated after D is not yet one), $event;
--   filters $townships, $sector, $key_only, $project (a case without a project drops out when any filter is set).
SELECT case_id, received_date, channel, persons,
       petitioner_id, project_name, township, topic,
       is_backlog, CASE WHEN closed_date <= $as_of THEN closed_date END AS closed_date
FROM clean.petitions
WHERE CASE $event WHEN 'received' THEN received_date ELSE closed_date END BETWEEN $date_from AND least($date_to, $as_of)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY CASE $event WHEN 'received' THEN received_date ELSE closed_date END DESC, case_id

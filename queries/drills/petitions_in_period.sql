-- 明细：所选期间内登记（$event = 'received'）或办结（'closed'）的信访件（周调度新增/办结信访背后的案件）。
-- 信访人编号是个人信息，由页面按角色脱敏。
-- Grain: one row per case, newest first.
-- Parameters: $date_from, $date_to, $as_of (D: a closing dated after D is not yet one), $event;
--   filters $townships, $sector, $key_only, $project (a case without a project drops out when any filter is set).
SELECT case_id AS 信访件编号, received_date AS 登记日期, channel AS 信访渠道, persons AS 人次,
       petitioner_id AS 信访人编号, project_name AS 项目名称, township AS 镇街, topic AS 诉求类别,
       is_backlog AS 是否积案, CASE WHEN closed_date <= $as_of THEN closed_date END AS 办结日期
FROM clean.petitions
WHERE CASE $event WHEN 'received' THEN received_date ELSE closed_date END BETWEEN $date_from AND least($date_to, $as_of)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY CASE $event WHEN 'received' THEN received_date ELSE closed_date END DESC, case_id

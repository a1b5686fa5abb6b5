-- 项目信访明细：一个项目（或范围内全部项目）截至D登记的信访件及办理状态。含信访人编号（个人信息，由页面按角色脱敏）。
-- state as of D: 已办结 (closed by D) / 办理中; days_open counts from received to closing
-- (or to D while open); a closing after D is blank.
-- Grain: one row per case received on or before D, newest first.
-- Parameters: $project_id (项目编号; NULL = every case in scope), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project
--   (a case without a project drops out when any filter or $project_id is set).
SELECT case_id, received_date, channel, persons, petitioner_id, project_id, project_name, township,
       topic, is_backlog,
       CASE WHEN closed_date <= $as_of THEN closed_date END AS closed_date,
       CASE WHEN closed_date <= $as_of THEN '已办结' ELSE '办理中' END AS state,
       CAST(date_diff('day', received_date,
                      CASE WHEN closed_date <= $as_of THEN closed_date ELSE $as_of::DATE END) AS BIGINT) AS days_open
FROM clean.petitions
WHERE received_date <= $as_of
  AND ($project_id IS NULL OR project_id = $project_id)
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY received_date DESC, case_id

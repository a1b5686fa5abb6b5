-- 镇街排名（晒一晒、比一比）：各镇街每项年度任务的完成值、目标、完成率或占全区比重、排名，及较上周排名变化。
-- Ranked on 完成率 (the town's own target of $year) when the task has town targets, else on the
-- town's share of the district's progress (basis says which; a share is 0 while the district has
-- none); 接房率 is ranked on its rate against the town's own target, else the district's. A town
-- with nothing to rank on (no own target in a 完成率 task; no 接房率 without allocated units in a
-- delivered site) is not ranked: rank, tied and towns_behind are NULL and towns_ranked leaves it
-- out. Ties share a rank and the next is skipped (1, 1, 3); tied says so, towns_behind counts the
-- ranked towns strictly below. The marks (领先, 靠后, ...) are warehouse.status.for_rank's.
-- leader_value and total_value are the first place's value and the sum over the ranked towns of
-- the value the gaps are read on (warehouse.dispatch.standings): the 完成率 (接房率 without a
-- target: the rate) in a 完成率 task, the 完成值 in a share task (the same order as the share).
-- A $sector, $key_only or $project filter drops the town targets
-- (as annual_tasks: a town target is no yardstick for one sector), so tasks rank on share.
-- Last week's standing is the same ranking as at $last_to (last Sunday); NULL $last_to (the
-- year's first week) gives no last_rank. $townships only picks the rows shown: ranks are district-wide.
-- Grain: one row per (年度任务, 镇街), by task then rank.
-- Parameters: $year, $date_from (1 January), $as_of (D), $last_to (last Sunday or NULL);
--   filters $townships (rows shown), $sector, $key_only, $project.
WITH cutoffs(standing, d) AS (
    SELECT 'now', $as_of::DATE UNION ALL SELECT 'last', $last_to::DATE WHERE $last_to IS NOT NULL
), towns AS (
    SELECT township FROM clean.projects
    UNION SELECT township FROM clean.resettlement_sites
    UNION SELECT township FROM clean.targets WHERE year = $year AND township IS NOT NULL
), parcels AS (
    SELECT * FROM clean.parcels
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, NULL, $sector, $key_only, $project)
), households AS (
    SELECT * FROM clean.households
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, NULL, $sector, $key_only, $project)
), actual(sort, metric, unit, standing, township, value) AS (
    SELECT 1, '征地面积(亩)', '亩', c.standing, p.township, sum(p.area_mu)
    FROM cutoffs c JOIN parcels p ON p.acquired_date BETWEEN $date_from AND c.d GROUP BY ALL
    UNION ALL
    SELECT 2, '用地报批面积(亩)', '亩', c.standing, p.township, sum(p.area_mu)
    FROM cutoffs c JOIN parcels p ON p.approved_date BETWEEN $date_from AND c.d GROUP BY ALL
    UNION ALL
    SELECT 3, '房屋征收户数', '户', c.standing, h.township, count(*)
    FROM cutoffs c JOIN households h ON h.signed_date BETWEEN $date_from AND c.d GROUP BY ALL
    UNION ALL
    SELECT 4, '房屋征收面积(㎡)', '㎡', c.standing, h.township, sum(h.signed_m2)
    FROM cutoffs c JOIN households h ON h.signed_date BETWEEN $date_from AND c.d GROUP BY ALL
    UNION ALL
    SELECT 5, '接房率(%)', '%', c.standing, u.township,
           clean.pct(count(*) FILTER (WHERE u.handover_date <= c.d), count(*))
    FROM cutoffs c JOIN clean.resettlement_units u
      ON u.site_delivered_date <= c.d AND u.allocated_date <= c.d GROUP BY ALL
    UNION ALL
    SELECT 6, '安置项目交付数', '个', c.standing, s.township, count(*)
    FROM cutoffs c JOIN clean.resettlement_sites s ON s.delivered_date BETWEEN $date_from AND c.d GROUP BY ALL
    UNION ALL
    SELECT 7, '尾欠户签约数', '户', c.standing, h.township, count(*)
    FROM cutoffs c JOIN households h ON h.is_holdout AND h.signed_date BETWEEN $date_from AND c.d GROUP BY ALL
), metrics(sort, metric, unit) AS (
    SELECT DISTINCT sort, metric, unit FROM actual
    UNION SELECT * FROM (VALUES (1, '征地面积(亩)', '亩'), (2, '用地报批面积(亩)', '亩'), (3, '房屋征收户数', '户'),
                                (4, '房屋征收面积(㎡)', '㎡'), (5, '接房率(%)', '%'), (6, '安置项目交付数', '个'),
                                (7, '尾欠户签约数', '户'))
), targets AS (
    SELECT metric, township, value AS target FROM clean.targets
    WHERE year = $year AND township IS NOT NULL
      AND $sector IS NULL AND NOT coalesce($key_only, false) AND $project IS NULL
), district_targets AS (
    SELECT metric, value AS target FROM clean.targets WHERE year = $year AND township IS NULL
), grid AS (
    SELECT m.sort, m.metric, m.unit, c.standing, t.township,
           coalesce(a.value, CASE WHEN m.metric = '接房率(%)' THEN NULL ELSE 0 END) AS actual,
           CASE WHEN m.metric = '接房率(%)' THEN coalesce(g.target, dt.target) ELSE g.target END AS target,
           m.metric = '接房率(%)' OR EXISTS (SELECT 1 FROM targets x WHERE x.metric = m.metric) AS by_rate
    FROM metrics m CROSS JOIN cutoffs c CROSS JOIN towns t
    LEFT JOIN actual a ON a.metric = m.metric AND a.standing = c.standing AND a.township = t.township
    LEFT JOIN targets g ON g.metric = m.metric AND g.township = t.township
    LEFT JOIN district_targets dt ON dt.metric = m.metric
), scored AS (
    SELECT *,
           clean.pct(actual, target) AS rate_pct,
           CASE WHEN metric = '接房率(%)' THEN NULL
                ELSE clean.pct(actual, sum(actual) OVER (PARTITION BY metric, standing)) END AS share_pct,
           CASE WHEN NOT by_rate THEN coalesce(share_pct, 0)
                WHEN target IS NOT NULL THEN rate_pct
                WHEN metric = '接房率(%)' THEN actual END AS score,
           CAST(CASE WHEN score IS NULL THEN NULL WHEN NOT by_rate THEN actual ELSE score END AS DECIMAL(18, 4))
               AS compared
    FROM grid
), placed AS (
    SELECT *,
           max(compared) OVER (PARTITION BY metric, standing) AS leader_value,
           sum(compared) OVER (PARTITION BY metric, standing) AS total_value,
           CASE WHEN score IS NOT NULL
                THEN rank() OVER (PARTITION BY metric, standing, score IS NULL ORDER BY score DESC) END AS place,
           count(score) OVER (PARTITION BY metric, standing) AS towns_ranked,
           CASE WHEN score IS NOT NULL THEN count(*) OVER (PARTITION BY metric, standing, score) > 1 END AS tied,
           count(score) OVER (PARTITION BY metric, standing ORDER BY score DESC
                              RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS towns_at_or_above
    FROM scored
), ranked AS (
    SELECT *, CASE WHEN score IS NOT NULL THEN towns_ranked - towns_at_or_above END AS towns_behind FROM placed
), elapsed AS (
    SELECT clean.pct(least(greatest(date_diff('day', make_date($year, 1, 1), $as_of::DATE) + 1, 0),
                           date_diff('day', make_date($year, 1, 1), make_date($year + 1, 1, 1))),
                     date_diff('day', make_date($year, 1, 1), make_date($year + 1, 1, 1))) AS pct
)
SELECT n.metric, n.unit, n.township,
       CAST(n.actual AS DECIMAL(18, 4)) AS actual, CAST(n.target AS DECIMAL(18, 4)) AS target,
       n.rate_pct, n.share_pct,
       CASE WHEN NOT n.by_rate THEN '占全区比重' WHEN n.target IS NULL AND n.metric = '接房率(%)' THEN '接房率'
            ELSE '完成率' END AS basis,
       CAST(n.place AS BIGINT) AS rank, CAST(n.towns_ranked AS BIGINT) AS towns_ranked, n.tied,
       CAST(n.towns_behind AS BIGINT) AS towns_behind,
       CAST(n.leader_value AS DECIMAL(18, 4)) AS leader_value, CAST(n.total_value AS DECIMAL(18, 4)) AS total_value,
       CAST(l.place AS BIGINT) AS last_rank, CAST(l.place - n.place AS BIGINT) AS rank_change,
       e.pct AS time_elapsed_pct
FROM ranked n
LEFT JOIN ranked l ON l.standing = 'last' AND l.metric = n.metric AND l.township = n.township
CROSS JOIN elapsed e
WHERE n.standing = 'now' AND clean.in_towns(n.township, $townships)
ORDER BY n.sort, n.place NULLS LAST, n.township

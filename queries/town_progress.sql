-- 镇街进度：所选期间各镇街的征地面积、签约面积，镇街年度目标、完成率、占全区比重与排名（周调度“晒一晒、比一比”）。
-- Towns: every 镇街 with a project or a town target of $year. Shares are of the whole district's
-- total under the same filters (so a 镇街 filter only picks rows); ranks are district-wide, by
-- 完成率 (highest first; towns without a target rank last, then by area), ties share a rank.
-- Targets are the town's own of $year; none when $sector, $key_only or $project is set (as
-- annual_tasks: a town target is no yardstick for one sector).
-- Grain: one row per 镇街, by 征地 rank.
-- Parameters: $year, $date_from, $date_to (the period); filters $townships (rows shown), $sector, $key_only, $project.
WITH towns AS (
    SELECT township FROM clean.projects
    UNION SELECT township FROM clean.targets WHERE year = $year AND township IS NOT NULL
), land AS (
    SELECT township, sum(area_mu) AS mu FROM clean.parcels
    WHERE acquired_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, NULL, $sector, $key_only, $project)
    GROUP BY township
), house AS (
    SELECT township, sum(signed_m2) AS m2, count(*) AS households FROM clean.households
    WHERE signed_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, NULL, $sector, $key_only, $project)
    GROUP BY township
), targets AS (
    SELECT township,
           any_value(value) FILTER (WHERE metric = '征地面积(亩)') AS land_target_mu,
           any_value(value) FILTER (WHERE metric = '房屋征收面积(㎡)') AS house_target_m2
    FROM clean.targets
    WHERE year = $year AND township IS NOT NULL
      AND $sector IS NULL AND NOT coalesce($key_only, false) AND $project IS NULL
    GROUP BY township
), rows AS (
    SELECT t.township,
           CAST(coalesce(l.mu, 0) AS DECIMAL(18, 4)) AS acquired_mu,
           CAST(g.land_target_mu AS DECIMAL(18, 4)) AS land_target_mu,
           clean.pct(coalesce(l.mu, 0), g.land_target_mu) AS land_rate_pct,
           clean.pct(coalesce(l.mu, 0), sum(coalesce(l.mu, 0)) OVER ()) AS land_share_pct,
           CAST(coalesce(h.m2, 0) AS DECIMAL(18, 4)) AS signed_m2,
           CAST(coalesce(h.households, 0) AS BIGINT) AS households_signed,
           CAST(g.house_target_m2 AS DECIMAL(18, 4)) AS house_target_m2,
           clean.pct(coalesce(h.m2, 0), g.house_target_m2) AS house_rate_pct,
           clean.pct(coalesce(h.m2, 0), sum(coalesce(h.m2, 0)) OVER ()) AS house_share_pct
    FROM towns t LEFT JOIN land l USING (township) LEFT JOIN house h USING (township)
    LEFT JOIN targets g USING (township)
), ranked AS (
    SELECT *,
           rank() OVER (ORDER BY land_rate_pct DESC NULLS LAST, acquired_mu DESC) AS land_rank,
           rank() OVER (ORDER BY house_rate_pct DESC NULLS LAST, signed_m2 DESC) AS house_rank
    FROM rows
)
SELECT township, acquired_mu, land_target_mu, land_rate_pct, land_share_pct, CAST(land_rank AS BIGINT) AS land_rank,
       signed_m2, households_signed, house_target_m2, house_rate_pct, house_share_pct,
       CAST(house_rank AS BIGINT) AS house_rank
FROM ranked
WHERE clean.in_towns(township, $townships)
ORDER BY land_rank, township

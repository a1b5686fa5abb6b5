-- 项目进度：范围内每个项目截至D的签约户数与签约率、征地面积与征地进度、尾欠户、累计兑付金额。
-- Households total = every household of the project in the ledger (the ledger lists a project's
-- households from the start); signed = signed_date on or before D. 征地进度 = acquired by D ÷
-- planned_land_mu (NULL without a plan). 累计兑付 = all fund types paid on or before D.
-- Only projects started (start_date) on or before D are listed.
-- Grain: one row per project in scope; the ones at work first (实施中, 收尾, 前期, then 已完成),
--   key projects first within each, then by 项目编号.
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH projects AS (
    SELECT * FROM clean.projects
    WHERE start_date <= $as_of
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), households AS (
    SELECT project_id,
           count(*) AS households_total,
           count(*) FILTER (WHERE signed_date <= $as_of) AS households_signed,
           count(*) FILTER (WHERE is_holdout) AS holdouts_total,
           count(*) FILTER (WHERE is_holdout AND (signed_date IS NULL OR signed_date > $as_of)) AS holdouts_unsigned
    FROM clean.households GROUP BY project_id
), land AS (
    SELECT project_id, sum(area_mu) FILTER (WHERE acquired_date <= $as_of) AS acquired_mu
    FROM clean.parcels GROUP BY project_id
), paid AS (
    SELECT project_id, sum(amount_yuan) AS paid_yuan FROM clean.payments
    WHERE paid_date <= $as_of GROUP BY project_id
)
SELECT p.project_id, p.project_name, p.township, p.sector, p.is_key, p.status, p.kind,
       p.start_date, p.planned_end_date,
       CAST(coalesce(h.households_total, 0) AS BIGINT) AS households_total,
       CAST(coalesce(h.households_signed, 0) AS BIGINT) AS households_signed,
       clean.pct(coalesce(h.households_signed, 0), h.households_total) AS signed_rate_pct,
       p.planned_land_mu,
       CAST(coalesce(l.acquired_mu, 0) AS DECIMAL(18, 4)) AS acquired_mu,
       clean.pct(coalesce(l.acquired_mu, 0), p.planned_land_mu) AS land_progress_pct,
       CAST(coalesce(h.holdouts_total, 0) AS BIGINT) AS holdouts_total,
       CAST(coalesce(h.holdouts_unsigned, 0) AS BIGINT) AS holdouts_unsigned,
       CAST(coalesce(y.paid_yuan, 0) AS DECIMAL(18, 2)) AS paid_yuan
FROM projects p
LEFT JOIN households h USING (project_id)
LEFT JOIN land l USING (project_id)
LEFT JOIN paid y USING (project_id)
ORDER BY list_position(['实施中', '收尾', '前期', '已完成'], p.status), p.is_key DESC, p.project_id

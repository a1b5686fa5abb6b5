-- 月度进度：所选年度逐月的征地、报批、签约户数与面积、兑付金额、接房套数、新增信访件数，以及征地、签约面积的年内累计。
-- Grain: one row per month of $year (month 1–12), in order. Events count in the month of their date
--   and only within the period ($date_from..$date_to, the year up to D).
--   Months that start after D are listed with zero flows and in_period = false (zero, not NULL:
--   a NULL count would turn into a float in pandas); their cumulative columns are NULL, so a
--   cumulative line stops at D.
-- Parameters: $year, $date_from, $date_to (the year up to D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
--   接房 follows the site's own 镇街 ($townships) only, as in resettlement_summary; 兑付 counts all five fund types.
WITH months AS (
    SELECT m AS month, make_date($year, m, 1) AS month_start FROM range(1, 13) t(m)
), parcels AS (
    SELECT * FROM clean.parcels
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), acquired AS (
    SELECT date_trunc('month', acquired_date)::DATE AS month_start, sum(area_mu) AS mu FROM parcels
    WHERE acquired_date BETWEEN $date_from AND $date_to GROUP BY 1
), approved AS (
    SELECT date_trunc('month', approved_date)::DATE AS month_start, sum(area_mu) AS mu FROM parcels
    WHERE approved_date BETWEEN $date_from AND $date_to GROUP BY 1
), signed AS (
    SELECT date_trunc('month', signed_date)::DATE AS month_start, count(*) AS households, sum(signed_m2) AS m2
    FROM clean.households
    WHERE signed_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    GROUP BY 1
), paid AS (
    SELECT date_trunc('month', paid_date)::DATE AS month_start, sum(amount_yuan) AS yuan FROM clean.payments
    WHERE paid_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    GROUP BY 1
), handovers AS (
    SELECT date_trunc('month', handover_date)::DATE AS month_start, count(*) AS units FROM clean.resettlement_units
    WHERE handover_date BETWEEN $date_from AND $date_to AND clean.in_towns(township, $townships)
    GROUP BY 1
), petitions AS (
    SELECT date_trunc('month', received_date)::DATE AS month_start, count(*) AS cases FROM clean.petitions
    WHERE received_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    GROUP BY 1
), monthly AS (
    SELECT m.month, m.month_start,
           m.month_start <= $date_to AND last_day(m.month_start) >= $date_from AS in_period,
           CAST(coalesce(a.mu, 0) AS DECIMAL(18, 4)) AS acquired_mu,
           CAST(coalesce(r.mu, 0) AS DECIMAL(18, 4)) AS approved_mu,
           CAST(coalesce(s.households, 0) AS BIGINT) AS households_signed,
           CAST(coalesce(s.m2, 0) AS DECIMAL(18, 4)) AS signed_m2,
           CAST(coalesce(y.yuan, 0) AS DECIMAL(18, 2)) AS paid_yuan,
           CAST(coalesce(h.units, 0) AS BIGINT) AS handed_over_units,
           CAST(coalesce(c.cases, 0) AS BIGINT) AS petitions_received
    FROM months m
    LEFT JOIN acquired a USING (month_start)
    LEFT JOIN approved r USING (month_start)
    LEFT JOIN signed s USING (month_start)
    LEFT JOIN paid y USING (month_start)
    LEFT JOIN handovers h USING (month_start)
    LEFT JOIN petitions c USING (month_start)
)
SELECT month, month || '月' AS month_label, month_start, in_period,
       acquired_mu, approved_mu, households_signed, signed_m2, paid_yuan, handed_over_units, petitions_received,
       CASE WHEN in_period THEN CAST(sum(acquired_mu) OVER (ORDER BY month) AS DECIMAL(18, 4)) END AS acquired_mu_cum,
       CASE WHEN in_period THEN CAST(sum(signed_m2) OVER (ORDER BY month) AS DECIMAL(18, 4)) END AS signed_m2_cum
FROM monthly
ORDER BY month

-- 过渡安置费：所选年度已兑付的过渡安置费金额、笔数与户数，以及截至D仍在过渡期的户数（已签约产权调换、尚未接房）。
-- In transition: resettlement_mode 产权调换, signed on or before D, and no unit handed over to
-- the household by D (in any site: the household, not the site, is in scope here).
-- Grain: one row.
-- Parameters: $date_from, $date_to (the year up to D), $as_of (D);
--   filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH fees AS (
    SELECT * FROM clean.payments
    WHERE fund_type = '过渡安置费' AND paid_date BETWEEN $date_from AND $date_to
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), housed AS (
    SELECT DISTINCT household_id FROM clean.resettlement_units
    WHERE handover_date <= $as_of AND household_id IS NOT NULL
), in_transition AS (
    SELECT h.household_id FROM clean.households h
    WHERE h.resettlement_mode = '产权调换' AND h.signed_date <= $as_of
      AND h.household_id NOT IN (SELECT household_id FROM housed)
      AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
)
SELECT (SELECT CAST(coalesce(sum(amount_yuan), 0) AS DECIMAL(18, 2)) FROM fees) AS paid_yuan,
       (SELECT CAST(count(*) AS BIGINT) FROM fees) AS payments,
       (SELECT CAST(count(DISTINCT household_id) AS BIGINT) FROM fees) AS households_paid,
       (SELECT CAST(count(*) AS BIGINT) FROM in_transition) AS households_in_transition

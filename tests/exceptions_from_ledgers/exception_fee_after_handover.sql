-- 异常·过渡费超发：截至D已兑付的过渡安置费，申请于该户接房当月（另加可续发月数）之后的月份。
-- The ledger does not say which months a 过渡安置费 covers: the month it is applied for stands for
-- them. A household is housed from its first 接房 (any unit, any site, handover_date on or before
-- D), as 仍在过渡期 in transition_fees reads it. Fees of the handover month are still due; from the
-- month after it (or after $transition_grace_months more months, e.g. a decoration period the local
-- policy pays) a fee applied for is an excess. months_after_handover counts calendar months from the
-- handover month to the applied month. One level only (红). Scoped by the household's project.
-- Grain: one row per such fee payment, longest open first (earliest paid).
-- Parameters: $as_of (D); threshold $transition_grace_months (months a fee may run on after the
--   handover month; NULL = the rule never fires); filters $townships (镇街 list, NULL = all), $sector,
--   $key_only, $project.
WITH housed AS (
    SELECT household_id, unit_id, site_name, handover_date,
           row_number() OVER (PARTITION BY household_id ORDER BY handover_date, unit_id) AS nth
    FROM clean.resettlement_units
    WHERE household_id IS NOT NULL AND handover_date <= $as_of
)
SELECT '过渡费超发' AS warning, y.payment_id AS entity_id, h.project_name || ' · ' || h.household_id AS label,
       y.paid_date AS started_date, CAST(date_diff('day', y.paid_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       h.household_id, h.owner_name, h.project_id, h.project_name, h.township,
       y.payment_id, y.amount_yuan, y.applied_date, y.paid_date,
       u.unit_id, u.site_name, u.handover_date,
       CAST(date_diff('month', date_trunc('month', u.handover_date), date_trunc('month', y.applied_date)) AS BIGINT)
           AS months_after_handover
FROM clean.payments y
JOIN housed u ON u.household_id = y.household_id AND u.nth = 1
JOIN clean.households h ON h.household_id = y.household_id
WHERE y.fund_type = '过渡安置费' AND y.paid_date <= $as_of
  AND y.applied_date >= date_trunc('month', u.handover_date) + to_months(1 + $transition_grace_months)
  AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, entity_id

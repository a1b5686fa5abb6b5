-- 异常·过渡费超发：截至D已兑付的过渡安置费，申请于该户接房当月（另加可续发月数）之后的月份。
-- The ledger does not say which months a 过渡安置费 covers: the month it is applied for stands for
-- them. A household is housed from its first 接房 (any unit, any site, handover_date on or before
-- D), as 仍在过渡期 in transition_fees reads it. Fees of the handover month are still due; from the
-- month after it (or after $transition_grace_months more months, e.g. a decoration period the local
-- policy pays) a fee applied for is an excess. months_after_handover counts calendar months from the
-- handover month to the applied month. One level only (红). Scoped by the household's project.
-- Read from candidates.fee_after_handover: the fees applied for after the month of the
-- household's first 接房 ever, with that 接房 (warehouse/sql/exception_candidates.sql).
-- Grain: one row per such fee payment, longest open first (earliest paid).
-- Parameters: $as_of (D); threshold $transition_grace_months (months a fee may run on after the
--   handover month, 0 or more; NULL = the rule never fires); filters $townships (镇街 list,
--   NULL = all), $sector, $key_only, $project.
SELECT '过渡费超发' AS warning, c.payment_id AS entity_id, c.project_name || ' · ' || c.household_id AS label,
       c.paid_date AS started_date, CAST(date_diff('day', c.paid_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       c.household_id, c.owner_name, c.project_id, c.project_name, c.township,
       c.payment_id, c.amount_yuan, c.applied_date, c.paid_date,
       c.unit_id, c.site_name, c.handover_date,
       CAST(date_diff('month', date_trunc('month', c.handover_date), date_trunc('month', c.applied_date)) AS BIGINT)
           AS months_after_handover
FROM candidates.fee_after_handover c
WHERE c.paid_date <= $as_of AND c.handover_date <= $as_of
  AND c.applied_date >= date_trunc('month', c.handover_date) + to_months(1 + $transition_grace_months)
  AND clean.in_scope(c.township, c.sector, c.is_key, c.project_id, c.project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, entity_id

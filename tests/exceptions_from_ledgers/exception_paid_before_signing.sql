-- 异常·先付后签：截至D已兑付给某户的补偿款（征收补偿安置费、拆迁补偿费），兑付之日该户尚未签约。
-- Paid means paid_date on or before D (the payment reached 兑付). Not signed on the paid day:
-- no signed_date, or one after paid_date (paid on the day of signing is fine). signed_date and
-- agreed_yuan read as of D: blank when the household has not signed by D. One level only (红):
-- money went out without an agreement. Scoped by the household's project; the label names the
-- project, 户编号 and 资金类别, never the owner (the owner_name column is masked by role).
-- Grain: one row per such payment, longest open first (earliest paid).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT '先付后签' AS warning, y.payment_id AS entity_id,
       h.project_name || ' · ' || h.household_id || ' · ' || y.fund_type AS label,
       y.paid_date AS started_date, CAST(date_diff('day', y.paid_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       h.household_id, h.owner_name, h.project_id, h.project_name, h.township,
       y.payment_id, y.fund_type, y.amount_yuan, y.paid_date,
       CASE WHEN h.signed_date <= $as_of THEN h.signed_date END AS signed_date,
       CASE WHEN h.signed_date <= $as_of THEN h.agreed_yuan END AS agreed_yuan
FROM clean.payments y
JOIN clean.households h ON h.household_id = y.household_id
WHERE y.is_compensation AND y.paid_date <= $as_of
  AND (h.signed_date IS NULL OR h.signed_date > y.paid_date)
  AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, entity_id

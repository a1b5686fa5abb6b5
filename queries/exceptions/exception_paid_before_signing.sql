-- 异常·先付后签：截至D已兑付给某户的补偿款（征收补偿安置费、拆迁补偿费），兑付之日该户尚未签约。
-- Paid means paid_date on or before D (the payment reached 兑付). Not signed on the paid day:
-- no signed_date, or one after paid_date (paid on the day of signing is fine). signed_date and
-- agreed_yuan read as of D: blank when the household has not signed by D. One level only (红):
-- money went out without an agreement. Scoped by the household's project; the label names the
-- project, 户编号 and 资金类别, never the owner (the owner_name column is masked by role).
-- Read from candidates.paid_before_signing: the compensation payments not signed for on
-- their paid day, whatever D is (warehouse/sql/exception_candidates.sql).
-- Grain: one row per such payment, longest open first (earliest paid).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT '先付后签' AS warning, c.payment_id AS entity_id,
       c.project_name || ' · ' || c.household_id || ' · ' || c.fund_type AS label,
       c.paid_date AS started_date, CAST(date_diff('day', c.paid_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       c.household_id, c.owner_name, c.project_id, c.project_name, c.township,
       c.payment_id, c.fund_type, c.amount_yuan, c.paid_date,
       CASE WHEN c.signed_date <= $as_of THEN c.signed_date END AS signed_date,
       CASE WHEN c.signed_date <= $as_of THEN c.agreed_yuan END AS agreed_yuan
FROM candidates.paid_before_signing c
WHERE c.paid_date <= $as_of
  AND clean.in_scope(c.township, c.sector, c.is_key, c.project_id, c.project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, entity_id

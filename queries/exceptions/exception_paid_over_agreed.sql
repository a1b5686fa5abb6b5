-- 异常·超协议兑付：截至D已签约的户，截至D已兑付给该户的补偿款（征收补偿安置费、拆迁补偿费）超过协议补偿金额。
-- Compensation paid as in signed_unpaid_gap_by_project: summed by 户编号 whatever project the
-- payment is booked under, paid_date on or before D. Any excess counts (0.01 元 is an excess).
-- The row names the payment that took the running total (by paid_date, then 拨付单号) past the
-- agreed amount; the excess is the whole paid total minus the agreed amount. One level only (红).
-- Scoped by the household's project; the label names the project and 户编号, never the owner.
-- Read from candidates.paid_over_agreed: the paid compensation payments of the signed
-- households ever paid past their agreed amount (warehouse/sql/exception_candidates.sql).
-- Grain: one row per overpaid household, longest open first (earliest crossing payment).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH paid AS (
    SELECT *,
           sum(amount_yuan) OVER (PARTITION BY household_id) AS paid_total,
           sum(amount_yuan) OVER (PARTITION BY household_id ORDER BY paid_date, payment_id) AS paid_to_date
    FROM candidates.paid_over_agreed
    WHERE signed_date <= $as_of AND paid_date <= $as_of
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
), crossing AS (
    -- Every amount is above 0 (the loader's rule), so a running total passes the agreed amount
    -- exactly when the whole total does; the first payment past it is the crossing one.
    SELECT *, row_number() OVER (PARTITION BY household_id ORDER BY paid_date, payment_id) AS nth
    FROM paid
    WHERE paid_total > agreed_yuan AND paid_to_date > agreed_yuan
)
SELECT '超协议兑付' AS warning, household_id AS entity_id, project_name || ' · ' || household_id AS label,
       paid_date AS started_date, CAST(date_diff('day', paid_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       household_id, owner_name, project_id, project_name, township, signed_date, agreed_yuan,
       CAST(paid_total AS DECIMAL(18, 2)) AS paid_compensation_yuan,
       CAST(paid_total - agreed_yuan AS DECIMAL(18, 2)) AS over_agreed_yuan,
       payment_id, fund_type, amount_yuan, paid_date
FROM crossing
WHERE nth = 1
ORDER BY days_open DESC, entity_id

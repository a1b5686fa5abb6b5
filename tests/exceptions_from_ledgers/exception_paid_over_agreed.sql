-- 异常·超协议兑付：截至D已签约的户，截至D已兑付给该户的补偿款（征收补偿安置费、拆迁补偿费）超过协议补偿金额。
-- Compensation paid as in signed_unpaid_gap_by_project: summed by 户编号 whatever project the
-- payment is booked under, paid_date on or before D. Any excess counts (0.01 元 is an excess).
-- The row names the payment that took the running total (by paid_date, then 拨付单号) past the
-- agreed amount; the excess is the whole paid total minus the agreed amount. One level only (红).
-- Scoped by the household's project; the label names the project and 户编号, never the owner.
-- Grain: one row per overpaid household, longest open first (earliest crossing payment).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH paid_total AS (
    SELECT household_id, sum(amount_yuan) AS paid_total
    FROM clean.payments
    WHERE is_compensation AND paid_date <= $as_of AND household_id IS NOT NULL
    GROUP BY household_id
), overpaid AS (
    -- Every amount is above 0 (the loader's rule), so a running total passes the agreed amount
    -- exactly when the whole total does: the running totals are summed for these households only.
    SELECT h.household_id, h.owner_name, h.project_id, h.project_name, h.township, h.signed_date, h.agreed_yuan,
           t.paid_total
    FROM clean.households h
    JOIN paid_total t ON t.household_id = h.household_id
    WHERE h.signed_date <= $as_of AND t.paid_total > h.agreed_yuan
      AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
), paid AS (
    SELECT household_id, payment_id, fund_type, amount_yuan, paid_date,
           sum(amount_yuan) OVER (PARTITION BY household_id ORDER BY paid_date, payment_id) AS paid_to_date
    FROM clean.payments
    WHERE is_compensation AND paid_date <= $as_of AND household_id IN (SELECT household_id FROM overpaid)
), crossing AS (
    SELECT o.household_id, o.owner_name, o.project_id, o.project_name, o.township, o.signed_date, o.agreed_yuan,
           p.payment_id, p.fund_type, p.amount_yuan, p.paid_date, o.paid_total,
           row_number() OVER (PARTITION BY o.household_id ORDER BY p.paid_date, p.payment_id) AS nth
    FROM overpaid o
    JOIN paid p ON p.household_id = o.household_id
    WHERE p.paid_to_date > o.agreed_yuan
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

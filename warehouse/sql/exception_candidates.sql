-- The cross-ledger exceptions' candidates: for each rule, the rows that can be an exception on
-- some day D, whatever D is. A rule read straight from the ledgers scans every payment (5 million
-- at 100×) twice a 周调度 (this week and last Sunday); its candidates are a few hundred rows, so
-- the named query (queries/exceptions/) applies the day-D conditions to them alone.
-- Each table holds every row the rule can list on any D (the queries' headers give the rules;
-- the reasoning for each superset is above it), so a rule read here lists exactly what it would
-- list reading the ledgers: tests/test_exception_candidates.py compares both on every month's end.
-- Run with the warehouse as the default catalog, after the clean views, where `candidates` is
-- either a schema of the warehouse (the loader writes them into the file it builds) or, for a
-- file built before they existed, an in-memory catalog the reader attaches (warehouse.runner).

-- 先付后签: "not signed on the paid day" (signed_date blank or after paid_date) does not depend
-- on D; the query keeps the payments paid by D.
CREATE TABLE candidates.paid_before_signing AS
SELECT y.payment_id, y.fund_type, y.amount_yuan, y.paid_date,
       h.household_id, h.owner_name, h.project_id, h.project_name, h.township, h.sector, h.is_key,
       h.signed_date, h.agreed_yuan
FROM clean.payments y
JOIN clean.households h ON h.household_id = y.household_id
WHERE y.is_compensation AND y.paid_date IS NOT NULL
  AND (h.signed_date IS NULL OR h.signed_date > y.paid_date);

-- 超协议兑付: every amount is above 0 (the loader's rule), so compensation paid by D can pass the
-- agreed amount only in a household whose compensation paid ever passes it. Its paid payments,
-- one row each; the query sums those paid by D.
CREATE TABLE candidates.paid_over_agreed AS
WITH paid AS (
    SELECT household_id, payment_id, fund_type, amount_yuan, paid_date
    FROM clean.payments
    WHERE is_compensation AND paid_date IS NOT NULL AND household_id IS NOT NULL
), overpaid AS (
    SELECT h.household_id, h.owner_name, h.project_id, h.project_name, h.township, h.sector, h.is_key,
           h.signed_date, h.agreed_yuan
    FROM clean.households h
    JOIN (SELECT household_id, sum(amount_yuan) AS paid_total FROM paid GROUP BY household_id) t
      ON t.household_id = h.household_id
    WHERE h.signed_date IS NOT NULL AND t.paid_total > h.agreed_yuan
)
SELECT o.*, p.payment_id, p.fund_type, p.amount_yuan, p.paid_date
FROM overpaid o
JOIN paid p ON p.household_id = o.household_id;

-- 过渡费超发: a household's first 接房 by D is its first 接房 ever when that falls on or before D
-- (else it has none by D), so the first one is taken here and the query keeps it when
-- handover_date <= D. The grace months are 0 or more (warehouse.settings), so only fees applied
-- for from the month after the handover month on can be an excess.
CREATE TABLE candidates.fee_after_handover AS
WITH housed AS (
    SELECT household_id, unit_id, site_name, handover_date
    FROM clean.resettlement_units
    WHERE household_id IS NOT NULL AND handover_date IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY handover_date, unit_id) = 1
)
SELECT y.payment_id, y.amount_yuan, y.applied_date, y.paid_date,
       u.unit_id, u.site_name, u.handover_date,
       h.household_id, h.owner_name, h.project_id, h.project_name, h.township, h.sector, h.is_key
FROM clean.payments y
JOIN housed u ON u.household_id = y.household_id
JOIN clean.households h ON h.household_id = y.household_id
WHERE y.fund_type = '过渡安置费' AND y.paid_date IS NOT NULL
  AND y.applied_date >= date_trunc('month', u.handover_date) + INTERVAL 1 MONTH;

-- 违规交房: "not signed on the handover day, or not 产权调换" does not depend on D; the query
-- keeps the units handed over by D.
CREATE TABLE candidates.unit_without_agreement AS
SELECT u.unit_id, u.site_id, u.site_name, u.unit_type, u.unit_m2, u.allocated_date, u.handover_date,
       h.household_id, h.owner_name, h.project_id, h.project_name, h.township, h.sector, h.is_key,
       h.signed_date, h.resettlement_mode
FROM clean.resettlement_units u
JOIN clean.households h ON h.household_id = u.household_id
WHERE u.handover_date IS NOT NULL
  AND (h.signed_date IS NULL OR h.signed_date > u.handover_date OR h.resettlement_mode <> '产权调换');

-- 先拆后补: for a household demolished by D, its first compensation paid by D is on or before the
-- demolition day exactly when its first compensation ever is (that one is then paid by D too), so
-- the candidates are the demolished households whose first compensation ever is blank or later.
-- Their paid payments, one row each (a household paid nothing yet: one row, payment columns
-- blank); the query sums and dates those paid by D.
CREATE TABLE candidates.demolished_before_paid AS
WITH paid AS (
    SELECT household_id, payment_id, amount_yuan, paid_date
    FROM clean.payments
    WHERE is_compensation AND paid_date IS NOT NULL AND household_id IS NOT NULL
), late AS (
    SELECT h.household_id, h.owner_name, h.project_id, h.project_name, h.township, h.sector, h.is_key,
           h.signed_date, h.agreed_yuan, h.demolished_date
    FROM clean.households h
    LEFT JOIN (SELECT household_id, min(paid_date) AS first_paid_date FROM paid GROUP BY household_id) f
      ON f.household_id = h.household_id
    WHERE h.demolished_date IS NOT NULL
      AND (f.first_paid_date IS NULL OR f.first_paid_date > h.demolished_date)
)
SELECT l.*, p.payment_id, p.amount_yuan, p.paid_date
FROM late l
LEFT JOIN paid p ON p.household_id = l.household_id;

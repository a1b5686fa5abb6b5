-- 异常·先拆后补：截至D已拆除的户，拆除之日尚未兑付任何补偿款（征收补偿安置费、拆迁补偿费）。
-- 先补偿、后搬迁: the first compensation paid (paid_date on or before D, by 户编号 whatever project
-- the payment is booked under) must be on or before demolished_date; paid on the demolition day is
-- fine. first_paid_date is blank when nothing is paid by D yet. One level only (红). Scoped by the
-- household's project; the label names the project and 户编号, never the owner.
-- Grain: one row per such household, longest open first (earliest demolished).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH paid AS (
    SELECT household_id, min(paid_date) AS first_paid_date, sum(amount_yuan) AS yuan
    FROM clean.payments
    WHERE is_compensation AND paid_date <= $as_of AND household_id IS NOT NULL
    GROUP BY household_id
)
SELECT '先拆后补' AS warning, h.household_id AS entity_id, h.project_name || ' · ' || h.household_id AS label,
       h.demolished_date AS started_date,
       CAST(date_diff('day', h.demolished_date, $as_of::DATE) AS BIGINT) AS days_open, '红' AS level,
       h.household_id, h.owner_name, h.project_id, h.project_name, h.township, h.signed_date, h.agreed_yuan,
       h.demolished_date, p.first_paid_date, CAST(coalesce(p.yuan, 0) AS DECIMAL(18, 2)) AS paid_compensation_yuan
FROM clean.households h
LEFT JOIN paid p ON p.household_id = h.household_id
WHERE h.demolished_date <= $as_of
  AND (p.first_paid_date IS NULL OR p.first_paid_date > h.demolished_date)
  AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, entity_id

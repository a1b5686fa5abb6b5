-- 异常·先拆后补：截至D已拆除的户，拆除之日尚未兑付任何补偿款（征收补偿安置费、拆迁补偿费）。
-- 先补偿、后搬迁: the first compensation paid (paid_date on or before D, by 户编号 whatever project
-- the payment is booked under) must be on or before demolished_date; paid on the demolition day is
-- fine. first_paid_date is blank when nothing is paid by D yet. One level only (红). Scoped by the
-- household's project; the label names the project and 户编号, never the owner.
-- Read from candidates.demolished_before_paid: the demolished households whose first
-- compensation ever is blank or after the demolition day, one row per paid compensation payment
-- (warehouse/sql/exception_candidates.sql).
-- Grain: one row per such household, longest open first (earliest demolished).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
WITH late AS (
    SELECT household_id, owner_name, project_id, project_name, township, signed_date, agreed_yuan, demolished_date,
           min(paid_date) FILTER (WHERE paid_date <= $as_of) AS first_paid_date,
           sum(amount_yuan) FILTER (WHERE paid_date <= $as_of) AS yuan
    FROM candidates.demolished_before_paid
    WHERE demolished_date <= $as_of
      AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
    GROUP BY ALL
)
SELECT '先拆后补' AS warning, household_id AS entity_id, project_name || ' · ' || household_id AS label,
       demolished_date AS started_date,
       CAST(date_diff('day', demolished_date, $as_of::DATE) AS BIGINT) AS days_open, '红' AS level,
       household_id, owner_name, project_id, project_name, township, signed_date, agreed_yuan,
       demolished_date, first_paid_date, CAST(coalesce(yuan, 0) AS DECIMAL(18, 2)) AS paid_compensation_yuan
FROM late
ORDER BY days_open DESC, entity_id

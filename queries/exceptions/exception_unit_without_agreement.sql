-- 异常·违规交房：截至D已接房的安置房，接房之日该户尚未签约，或该户的安置方式不是产权调换（货币补偿、安置补贴）。
-- Only 产权调换 entitles a household to a flat (仍在过渡期 in transition_fees waits for 产权调换
-- households only). Not signed on the handover day: no signed_date, or one after handover_date
-- (handed over on the day of signing is fine); that reason comes first. signed_date and
-- resettlement_mode read as of D. One level only (红). Scoped by the household's project (not the
-- site's 镇街), like every cross-ledger exception; the label names site, 房号 and 户编号.
-- Read from candidates.unit_without_agreement: the units handed over unsigned or not to a
-- 产权调换 household, whatever D is (warehouse/sql/exception_candidates.sql).
-- Grain: one row per such unit, longest open first (earliest handover).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT '违规交房' AS warning, c.unit_id AS entity_id,
       c.site_name || ' · ' || c.unit_id || ' · ' || c.household_id AS label,
       c.handover_date AS started_date, CAST(date_diff('day', c.handover_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       CASE WHEN c.signed_date IS NULL OR c.signed_date > c.handover_date THEN '接房时未签约'
            ELSE '安置方式为' || c.resettlement_mode END AS reason,
       c.household_id, c.owner_name, c.project_id, c.project_name, c.township,
       CASE WHEN c.signed_date <= $as_of THEN c.signed_date END AS signed_date,
       CASE WHEN c.signed_date <= $as_of THEN c.resettlement_mode END AS resettlement_mode,
       c.unit_id, c.site_id, c.site_name, c.unit_type, c.unit_m2, c.allocated_date, c.handover_date
FROM candidates.unit_without_agreement c
WHERE c.handover_date <= $as_of
  AND clean.in_scope(c.township, c.sector, c.is_key, c.project_id, c.project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, entity_id

-- 异常·违规交房：截至D已接房的安置房，接房之日该户尚未签约，或该户的安置方式不是产权调换（货币补偿、安置补贴）。
-- Only 产权调换 entitles a household to a flat (仍在过渡期 in transition_fees waits for 产权调换
-- households only). Not signed on the handover day: no signed_date, or one after handover_date
-- (handed over on the day of signing is fine); that reason comes first. signed_date and
-- resettlement_mode read as of D. One level only (红). Scoped by the household's project (not the
-- site's 镇街), like every cross-ledger exception; the label names site, 房号 and 户编号.
-- Grain: one row per such unit, longest open first (earliest handover).
-- Parameters: $as_of (D); filters $townships (镇街 list, NULL = all), $sector, $key_only, $project.
SELECT '违规交房' AS warning, u.unit_id AS entity_id,
       u.site_name || ' · ' || u.unit_id || ' · ' || h.household_id AS label,
       u.handover_date AS started_date, CAST(date_diff('day', u.handover_date, $as_of::DATE) AS BIGINT) AS days_open,
       '红' AS level,
       CASE WHEN h.signed_date IS NULL OR h.signed_date > u.handover_date THEN '接房时未签约'
            ELSE '安置方式为' || h.resettlement_mode END AS reason,
       h.household_id, h.owner_name, h.project_id, h.project_name, h.township,
       CASE WHEN h.signed_date <= $as_of THEN h.signed_date END AS signed_date,
       CASE WHEN h.signed_date <= $as_of THEN h.resettlement_mode END AS resettlement_mode,
       u.unit_id, u.site_id, u.site_name, u.unit_type, u.unit_m2, u.allocated_date, u.handover_date
FROM clean.resettlement_units u
JOIN clean.households h ON h.household_id = u.household_id
WHERE u.handover_date <= $as_of
  AND (h.signed_date IS NULL OR h.signed_date > u.handover_date OR h.resettlement_mode <> '产权调换')
  AND clean.in_scope(h.township, h.sector, h.is_key, h.project_id, h.project_name, $townships, $sector, $key_only, $project)
ORDER BY days_open DESC, entity_id

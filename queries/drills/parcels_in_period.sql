-- 明细：所选期间内有报批、征收或交地的地块（征地、报批、交地数字背后的台账行）。
-- $date_kind narrows to one of them: 'acquired' (征地), 'approved' (报批), 'transferred' (交地); NULL = any.
-- Grain: one row per parcel with any (or the chosen) of its three dates in the period.
-- Parameters: $date_from, $date_to, $date_kind; filters $townships, $sector, $key_only, $project.
SELECT parcel_id, project_id, project_name, township,
       area_mu, land_use,
       approved_date, acquired_date, transferred_date
FROM clean.parcels
WHERE ((coalesce($date_kind, 'approved') = 'approved' AND approved_date BETWEEN $date_from AND $date_to)
       OR (coalesce($date_kind, 'acquired') = 'acquired' AND acquired_date BETWEEN $date_from AND $date_to)
       OR (coalesce($date_kind, 'transferred') = 'transferred' AND transferred_date BETWEEN $date_from AND $date_to))
  AND clean.in_scope(township, sector, is_key, project_id, project_name, $townships, $sector, $key_only, $project)
ORDER BY coalesce(acquired_date, approved_date, transferred_date) DESC, parcel_id

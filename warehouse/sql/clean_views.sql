-- The clean layer: typed ledgers as named queries read them.
-- Every project-linked ledger carries its project's name, 镇街, 领域 and 重点 flag, so a
-- figure filters with one call to clean.in_scope(...) instead of repeating the join.
-- Executed with the warehouse as the default catalog, at build time.

CREATE SCHEMA IF NOT EXISTS clean;

-- One scope rule for every figure: 镇街 (a list: a 科长 may cover several), 领域, 重点项目 only,
-- one project (by id or name).
-- A NULL filter lets everything through; a row without a project fails any set filter
-- (a petition without a project drops out of a 镇街 view, as metrics.md says).
CREATE OR REPLACE MACRO clean.in_towns(township, f_townships) AS
    f_townships IS NULL OR list_contains(f_townships, township);

CREATE OR REPLACE MACRO clean.in_scope(township, sector, is_key, project_id, project_name,
                                       f_townships, f_sector, f_key_only, f_project) AS
    clean.in_towns(township, f_townships)
    AND (f_sector IS NULL OR sector = f_sector)
    AND (NOT coalesce(f_key_only, false) OR coalesce(is_key, false))
    AND (f_project IS NULL OR project_id = f_project OR project_name = f_project);

-- Days from d1 to d2; pct(a, b) = a ÷ b in percent, 2 places (NULL without a base).
CREATE OR REPLACE MACRO clean.pct(a, b) AS
    CASE WHEN b IS NOT NULL AND b <> 0 THEN round(100.0 * a / b, 2) END;

CREATE OR REPLACE VIEW clean.projects AS
SELECT project_id, project_name, kind, sector, township, is_key, start_date, planned_end_date,
       planned_land_mu, planned_households, planned_house_m2, status, lead
FROM raw.projects;

CREATE OR REPLACE VIEW clean.parcels AS
SELECT a.parcel_id, a.project_id, p.project_name, p.township, p.sector, p.is_key,
       a.area_mu, a.land_use, a.approved_date, a.acquired_date, a.transferred_date
FROM raw.parcels a JOIN raw.projects p USING (project_id);

CREATE OR REPLACE VIEW clean.households AS
SELECT h.household_id, h.project_id, p.project_name, p.township, p.sector, p.is_key,
       p.planned_end_date AS project_planned_end_date,
       h.owner_name, h.house_m2, h.surveyed_date, h.signed_date, h.signed_m2, h.agreed_yuan,
       h.resettlement_mode, h.is_holdout, h.demolished_date
FROM raw.households h JOIN raw.projects p USING (project_id);

CREATE OR REPLACE VIEW clean.payments AS
SELECT y.payment_id, y.project_id, p.project_name, p.township, p.sector, p.is_key,
       y.household_id, y.fund_type, y.amount_yuan, y.applied_date, y.review1_date,
       y.review2_date, y.review3_date, y.paid_date, y.status,
       y.fund_type IN ('征收补偿安置费', '拆迁补偿费') AS is_compensation
FROM raw.payments y JOIN raw.projects p USING (project_id);

CREATE OR REPLACE VIEW clean.resettlement_sites AS
SELECT site_id, site_name, township, total_units, started_date, planned_delivery_date, delivered_date
FROM raw.resettlement_sites;

CREATE OR REPLACE VIEW clean.resettlement_units AS
SELECT u.unit_id, u.site_id, s.site_name, s.township, s.delivered_date AS site_delivered_date,
       u.unit_type, u.unit_m2, u.household_id, u.allocated_date, u.handover_date, u.certificate_date
FROM raw.resettlement_units u JOIN raw.resettlement_sites s USING (site_id);

CREATE OR REPLACE VIEW clean.petitions AS
SELECT c.case_id, c.received_date, c.channel, c.persons, c.petitioner_id, c.project_id,
       p.project_name, p.township, p.sector, p.is_key, c.topic, c.is_backlog, c.closed_date
FROM raw.petitions c LEFT JOIN raw.projects p USING (project_id);

CREATE OR REPLACE VIEW clean.inspections AS
SELECT i.inspection_id, i.inspected_date, i.inspection_type, i.project_id, p.project_name,
       p.township, p.sector, p.is_key, i.letters
FROM raw.inspections i JOIN raw.projects p USING (project_id);

-- A hazard belongs to the year of its inspection (metrics.md: "hazards of Y's inspections").
CREATE OR REPLACE VIEW clean.hazards AS
SELECT z.hazard_id, z.inspection_id, i.inspected_date, z.project_id, p.project_name,
       p.township, p.sector, p.is_key, z.description, z.due_date, z.rectified_date,
       z.rechecked_date, z.closed_date
FROM raw.hazards z
JOIN raw.projects p USING (project_id)
LEFT JOIN (SELECT inspection_id, min(inspected_date) AS inspected_date
           FROM raw.inspections GROUP BY inspection_id) i USING (inspection_id);

CREATE OR REPLACE VIEW clean.targets AS
SELECT year, metric, value, township FROM raw.targets;

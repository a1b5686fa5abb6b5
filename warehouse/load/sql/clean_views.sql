-- The clean layer: typed ledgers as named queries read them.
-- Every project-linked ledger carries its project's name, 镇街, 领域 and 重点 flag, so a
-- figure filters with one call to clean.in_scope(...) instead of repeating the join.
-- Executed with the warehouse as the default catalog, at build time.

CREATE SCHEMA IF NOT EXISTS clean;

-- One scope rule for every figure: 镇街 (a list: a 科长 may cover several), 领域, 重点项目 only,
-- one project (by id or name).
-- A NULL filter lets everything through; a row without a project fails any set filter
-- (a petition without a project drops out of a 镇街 view, as docs/metrics.md says).
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

-- The review stage a payment waits at on day d: the first of 初审, 复审, 终审, 兑付 whose date is
-- blank or after d (NULL once paid by d). 在途金额 and every payment list read it from here.
CREATE OR REPLACE MACRO clean.waiting_stage(review1, review2, review3, paid, d) AS
    CASE WHEN review1 IS NULL OR review1 > d THEN '待初审'
         WHEN review2 IS NULL OR review2 > d THEN '待复审'
         WHEN review3 IS NULL OR review3 > d THEN '待终审'
         WHEN paid IS NULL OR paid > d THEN '待兑付' END;

-- Since when it waits there: the previous step's date (申请 for 初审).
CREATE OR REPLACE MACRO clean.waiting_since(stage, applied, review1, review2, review3) AS
    CASE stage WHEN '待初审' THEN applied WHEN '待复审' THEN review1
               WHEN '待终审' THEN review2 WHEN '待兑付' THEN review3 END;

-- Where a hazard stands on day d in its closed loop 整改 → 复查 → 销号: the last step done by d.
CREATE OR REPLACE MACRO clean.hazard_stage(rectified, rechecked, closed, d) AS
    CASE WHEN closed <= d THEN '已销号'
         WHEN rechecked <= d THEN '待销号'
         WHEN rectified <= d THEN '待复查'
         ELSE '待整改' END;

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

-- A hazard belongs to the year of its inspection (docs/metrics.md: "hazards of Y's inspections").
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

-- The seven annual tasks (年度任务) of a year up to D, defined once: annual_tasks.sql shows them,
-- the 任务滞后 warnings read their lag from here. Targets: when filtered by 镇街 only, the sum of
-- those 镇街's own targets (if every one has one); the district target when nothing is filtered;
-- none otherwise (a district target is no yardstick for one sector). 接房率 is a rate: one 镇街's
-- own target, else the district's.
CREATE OR REPLACE MACRO clean.task_progress(p_year, p_from, p_to, p_as_of, p_towns, p_sector, p_key_only, p_project) AS TABLE
WITH parcels AS (
    SELECT * FROM clean.parcels
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, p_towns, p_sector, p_key_only, p_project)
), households AS (
    SELECT * FROM clean.households
    WHERE clean.in_scope(township, sector, is_key, project_id, project_name, p_towns, p_sector, p_key_only, p_project)
), units AS (
    SELECT * FROM clean.resettlement_units WHERE clean.in_towns(township, p_towns)
), sites AS (
    SELECT * FROM clean.resettlement_sites WHERE clean.in_towns(township, p_towns)
), actual(sort, metric, unit, value) AS (
    SELECT 1, '征地面积(亩)', '亩',
           (SELECT coalesce(sum(area_mu), 0) FROM parcels WHERE acquired_date BETWEEN p_from AND p_to)
    UNION ALL SELECT 2, '用地报批面积(亩)', '亩',
           (SELECT coalesce(sum(area_mu), 0) FROM parcels WHERE approved_date BETWEEN p_from AND p_to)
    UNION ALL SELECT 3, '房屋征收户数', '户',
           (SELECT count(*) FROM households WHERE signed_date BETWEEN p_from AND p_to)
    UNION ALL SELECT 4, '房屋征收面积(㎡)', '㎡',
           (SELECT coalesce(sum(signed_m2), 0) FROM households WHERE signed_date BETWEEN p_from AND p_to)
    UNION ALL SELECT 5, '接房率(%)', '%',
           (SELECT clean.pct(count(*) FILTER (WHERE handover_date <= p_as_of), count(*)) FROM units
            WHERE site_delivered_date <= p_as_of AND allocated_date <= p_as_of)
    UNION ALL SELECT 6, '安置项目交付数', '个',
           (SELECT count(*) FROM sites WHERE delivered_date BETWEEN p_from AND p_to)
    UNION ALL SELECT 7, '尾欠户签约数', '户',
           (SELECT count(*) FROM households WHERE is_holdout AND signed_date BETWEEN p_from AND p_to)
), target AS (
    SELECT metric,
           CASE WHEN count(DISTINCT township) FILTER (WHERE list_contains(p_towns, township))
                     = len(list_distinct(p_towns))
                THEN sum(value) FILTER (WHERE list_contains(p_towns, township)) END AS town_target,
           any_value(value) FILTER (WHERE township IS NULL) AS district_target
    FROM clean.targets WHERE year = p_year GROUP BY metric
), elapsed AS (
    SELECT least(greatest(date_diff('day', make_date(p_year, 1, 1), p_as_of::DATE) + 1, 0),
                 date_diff('day', make_date(p_year, 1, 1), make_date(p_year + 1, 1, 1))) AS days,
           clean.pct(days, date_diff('day', make_date(p_year, 1, 1), make_date(p_year + 1, 1, 1))) AS pct
)
SELECT a.sort, a.metric, a.unit,
       CAST(a.value AS DECIMAL(18, 4)) AS actual,
       CAST(CASE WHEN a.metric = '接房率(%)'
                     THEN CASE WHEN len(p_towns) = 1 THEN coalesce(t.town_target, t.district_target)
                               ELSE t.district_target END
                 WHEN p_sector IS NOT NULL OR coalesce(p_key_only, false) OR p_project IS NOT NULL THEN NULL
                 WHEN p_towns IS NOT NULL THEN t.town_target
                 ELSE t.district_target
            END AS DECIMAL(18, 4)) AS target,
       clean.pct(a.value, target) AS rate_pct,
       e.pct AS time_elapsed_pct, e.days AS days_elapsed
FROM actual a LEFT JOIN target t USING (metric) CROSS JOIN elapsed e;

"""Shared by the page-query tests: the queries with their page-only parameters, and helpers.

test_page_queries.py checks whole rows on the small export set; test_page_queries_demo.py
checks the demo warehouse against docs/metrics.md's figures and the existing named queries.
"""

import datetime as dt
import math
from decimal import Decimal

import pandas as pd

from warehouse import warnings
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

SMALL_AS_OF = dt.date(2025, 6, 1)
DEMO_AS_OF = dt.date(2026, 11, 20)
THRESHOLDS = Thresholds().params()  # docs/metrics.md's defaults, as the loader's last check binds them

PAGE_QUERIES = {
    # name: its page-only parameters (beyond the scope's)
    "monthly_progress": {},
    "hazards_by_stage": {},
    "warning_payments_stuck": {"stuck_yellow_days": 15, "stuck_red_days": 30},
    "warning_sites_overdue": {"overdue_red_days": 1095},
    "warning_petitions_overdue": {"petition_overdue_days": 60},
    "warning_hazards_overdue": {},
    "warning_holdouts_stranded": {},
    "exception_paid_before_signing": {},
    "exception_paid_over_agreed": {},
    "exception_fee_after_handover": {"transition_grace_months": 0},
    "exception_unit_without_agreement": {},
    "exception_demolished_before_paid": {},
    "projects_progress": {},
    "projects_schedule": {},
    "project_parcels": {"project_id": "P1"},
    "project_households": {"project_id": "P1"},
    "project_payments": {"project_id": "P1"},
    "project_petitions": {"project_id": "P1"},
    "project_inspections": {"project_id": "P1"},
    "project_hazards": {"project_id": "P1"},
    "handover_rate_by_month": {},
    "resettlement_by_site": {"overdue_red_days": 1095},
    "handover_units": {"site_id": "S1"},
    "payouts_by_month": {},
    "payments_pending": {"stage": None},
    "payments_stage_durations": {},
    "payments_stuck": {"days": 15},
    "transition_fees": {},
    "petitions_by_month": {},
    "petitions_closure": {},
    "petitions_by_topic": {},
    "petitions_open_long": {"days": 60},
    "petitions_backlog": {},
    "petitions_cases": {"channel": None, "topic": None},
    "holdouts_by_project": {},
    "holdouts_households": {},
    "inspections_in_year": {},
    "hazards_in_year": {},
    "weekly_headline": {
        "this_from": dt.date(2025, 5, 26),
        "this_to": dt.date(2025, 6, 1),
        "last_from": dt.date(2025, 5, 19),
        "last_to": dt.date(2025, 5, 25),
    },
    "town_ranking": {"last_to": dt.date(2025, 5, 25)},
    "petitions_in_period": {"event": "received"},
    "hazards_closed_in_period": {},
}


def scope(year=2025, data_as_of=SMALL_AS_OF, **kw) -> Scope:
    return Scope.for_year(year, data_as_of, **kw)


def run(wh: Warehouse, name: str, sc: Scope, **extra) -> pd.DataFrame:
    return wh.run(name, **sc.params(), **extra)


def warning_summary(wh: Warehouse, sc: Scope) -> pd.DataFrame:
    """warehouse.warnings.summary at the default thresholds."""
    return warnings.summary(lambda name, **params: wh.run(name, **params), sc.params() | THRESHOLDS)


def plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def rows(df: pd.DataFrame, *columns: str) -> list[dict]:
    cols = list(columns) or list(df.columns)
    return [{c: plain(r[c]) for c in cols} for r in df.to_dict("records")]


def one(df: pd.DataFrame) -> dict:
    assert len(df) == 1, df
    return rows(df)[0]


D = Decimal
d = dt.date


def demo_scope(year=2025, **kw) -> Scope:
    """The demo's scope: its data runs to 2026-11-20, so 2025 reads as at 2025-12-31."""
    return Scope.for_year(year, DEMO_AS_OF, **kw)

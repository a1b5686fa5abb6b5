"""The figures JSON of docs/metrics.md, assembled from the named queries (no SQL of its own).

Decimals travel as exact strings, rates as numbers rounded to 2 places, counts as integers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pandas as pd

from warehouse.contract import FUND_TYPES, PENDING_STATUSES
from warehouse.scope import Scope

TASK_KEYS = {"征地面积(亩)": "land", "房屋征收面积(㎡)": "house"}


def _value(v):
    """JSON form: Decimal → exact string, float rate → 2 places, numpy ints → int."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, float):
        return round(v, 2)
    if isinstance(v, dt.date):
        return v.isoformat()
    if hasattr(v, "item"):
        return _value(v.item())
    return v


Run = Callable[[str, dict], pd.DataFrame]  # a named query by name and parameters (Generation.run)


def _one(run: Run, name: str, params: dict) -> dict:
    return run(name, params).iloc[0].to_dict()


def _rate(v):
    return None if v is None or v != v else round(float(v), 2)  # NaN → None


def compute(run: Run, scope: Scope) -> dict:
    """The figures of `scope`, from the named queries `run` answers (a generation's, or cached)."""
    p = scope.params()
    tasks = run("annual_tasks", p).set_index("metric")
    land = _one(run, "land_project_counts", p)
    house = _one(run, "house_project_counts", p)
    holdouts = _one(run, "holdouts_summary", p)
    paid = run("payouts_by_fund_type", p).set_index("fund_type")["paid_yuan"]
    pending = run("payments_pending_by_stage", p).set_index("stage")["pending_yuan"]
    gap = run("signed_unpaid_gap_by_project", p)["gap_yuan"]
    resettlement = _one(run, "resettlement_summary", p)
    petitions = run("petitions_counts", p).set_index("figure")["value"]
    repeat = _one(run, "petitions_repeat_rate", p)
    safety = _one(run, "safety_summary", p)

    def task(metric: str, column: str):
        return tasks.at[metric, column]

    figures = {
        "as_of": scope.as_of,
        "year": scope.year,
        "township": scope.township,
        "land_acquired_mu": task("征地面积(亩)", "actual"),
        "land_target_mu": task("征地面积(亩)", "target"),
        "land_rate_pct": _rate(task("征地面积(亩)", "rate_pct")),
        "land_projects": land["land_projects"],
        "house_projects": house["house_projects"],
        "land_approved_mu": task("用地报批面积(亩)", "actual"),
        "land_approved_projects": land["land_approved_projects"],
        "transferred_projects": land["transferred_projects"],
        "households_signed": int(task("房屋征收户数", "actual")),
        "house_signed_m2": task("房屋征收面积(㎡)", "actual"),
        "house_target_m2": task("房屋征收面积(㎡)", "target"),
        "house_rate_pct": _rate(task("房屋征收面积(㎡)", "rate_pct")),
        "holdouts_total": holdouts["holdouts_total"],
        "holdouts_signed": int(task("尾欠户签约数", "actual")),
        "holdouts_signed_m2": holdouts["holdouts_signed_m2"],
        "paid_yuan": {f: paid[f] for f in FUND_TYPES},
        "pending_yuan": {s: pending[s] for s in PENDING_STATUSES},
        "signed_unpaid_gap_yuan": sum(gap, Decimal("0.00")),
        "resettlement_sites": resettlement["resettlement_sites"],
        "sites_delivered": int(task("安置项目交付数", "actual")),
        "handed_over_units": resettlement["handed_over_units"],
        "handover_rate_pct": _rate(task("接房率(%)", "actual")),
        "handover_target_pct": _rate(task("接房率(%)", "target")),
        "remaining_units": resettlement["remaining_units"],
        "petitions": dict(petitions.items()),
        "petition_repeat_rate_pct": _rate(repeat["repeat_rate_pct"]),
        "inspections": safety["inspections"],
        "inspected_projects": safety["inspected_projects"],
        "letters": safety["letters"],
        "hazards": safety["hazards"],
        "hazards_closed": safety["hazards_closed"],
    }
    return _jsonable(figures)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    return _value(obj)

"""Drill-through queries: the ledger rows behind a figure, whole rows, and they add up to it."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import query
from warehouse.scope import Scope

YEAR_2025 = Scope.for_year(2025, dt.date(2025, 6, 1))


def rows(live, name, scope=YEAR_2025, **extra):
    frame = query(live, name, **scope.params(), **extra)
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_parcels_in_period(live):
    assert rows(live, "parcels_in_period", date_kind=None) == [
        ("D2", "P2", "水江工业园配套", "水江镇", Decimal("20.1234"), "林地", None, dt.date(2025, 6, 1), None),
        (
            "D1",
            "P1",
            "纵三路道路工程",
            "东城街道",
            Decimal("10.5000"),
            "耕地",
            dt.date(2025, 3, 1),
            dt.date(2025, 4, 1),
            dt.date(2025, 5, 1),
        ),
    ]


@pytest.mark.parametrize("kind,ids", [("acquired", ["D2", "D1"]), ("approved", ["D1"]), ("transferred", ["D1"])])
def test_parcels_in_period_by_date_kind(live, kind, ids):
    """The rows behind one figure only: 征地 by acquired_date, 报批 by approved_date, 交地 by transferred_date."""
    assert [r[0] for r in rows(live, "parcels_in_period", date_kind=kind)] == ids
    june = Scope.for_range(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    assert [r[0] for r in rows(live, "parcels_in_period", june, date_kind=kind)] == (
        ["D2"] if kind == "acquired" else []
    )


@pytest.mark.parametrize("holdout_only,ids", [(None, ["H1"]), (False, ["H1"]), (True, [])])
def test_households_signed_in_period(live, holdout_only, ids):
    assert [r[0] for r in rows(live, "households_signed_in_period", holdout_only=holdout_only)] == ids


def test_households_signed_in_period_whole_row(live):
    assert rows(live, "households_signed_in_period", holdout_only=False) == [
        (
            "H1",
            "P1",
            "纵三路道路工程",
            "东城街道",
            "张三",
            dt.date(2025, 2, 1),
            Decimal("120.5000"),
            Decimal("500000.00"),
            "产权调换",
            False,
        )
    ]


@pytest.mark.parametrize("fund_type,ids", [(None, ["F1"]), ("拆迁补偿费", ["F1"]), ("工作经费", [])])
def test_payments_paid_in_period(live, fund_type, ids):
    assert [r[0] for r in rows(live, "payments_paid_in_period", fund_type=fund_type)] == ids


@pytest.mark.parametrize("towns,ids", [(None, ["U1"]), (("东城街道",), ["U1"]), (("水江镇",), [])])
def test_units_handed_over_in_period(live, towns, ids):
    scope = YEAR_2025.with_filters(townships=towns)
    assert [r[0] for r in rows(live, "units_handed_over_in_period", scope)] == ids


def test_demo_rows_behind_2025_figures_add_up(demo_warehouse):
    scope = Scope.for_year(2025, dt.date(2026, 11, 20))
    parcels = query(demo_warehouse, "parcels_in_period", **scope.params(), date_kind="acquired")
    assert sum(parcels["area_mu"]) == Decimal("2034.0000")
    approved = query(demo_warehouse, "parcels_in_period", **scope.params(), date_kind="approved")
    assert sum(approved["area_mu"]) == Decimal("1342.2445") and approved["project_id"].nunique() == 26
    holdouts = query(demo_warehouse, "households_signed_in_period", **scope.params(), holdout_only=True)
    assert len(holdouts) == 38 and sum(holdouts["signed_m2"]) == Decimal("24790.0700")
    paid = query(demo_warehouse, "payments_paid_in_period", **scope.params(), fund_type="拆迁补偿费")
    assert sum(paid["amount_yuan"]) == Decimal("235000000.00")
    units = query(
        demo_warehouse,
        "units_handed_over_in_period",
        **Scope.for_range(dt.date(2000, 1, 1), dt.date(2025, 12, 31)).params(),
    )
    assert len(units) == 5348


@pytest.mark.parametrize(
    "event,scope,ids",
    [
        ("received", YEAR_2025, ["C2", "C1"]),
        ("closed", YEAR_2025, ["C2", "C1"]),
        ("received", Scope.for_range(dt.date(2025, 3, 17), dt.date(2025, 3, 23)), []),
        ("closed", Scope.for_range(dt.date(2025, 3, 17), dt.date(2025, 3, 23)), ["C1"]),
        ("closed", Scope.for_year(2025, dt.date(2025, 4, 30)), ["C1"]),  # C2 closes 05-01, after D
    ],
)
def test_petitions_in_period(live, event, scope, ids):
    assert [r[0] for r in rows(live, "petitions_in_period", scope, event=event)] == ids


def test_hazards_closed_in_period(live):
    assert rows(live, "hazards_closed_in_period") == [
        (
            "Y1",
            "J1",
            "纵三路道路工程",
            "东城街道",
            "围挡缺失",
            dt.date(2025, 5, 20),
            dt.date(2025, 5, 18),
            dt.date(2025, 5, 19),
            dt.date(2025, 5, 20),
        )
    ]
    assert rows(live, "hazards_closed_in_period", Scope.for_year(2025, dt.date(2025, 5, 19))) == []

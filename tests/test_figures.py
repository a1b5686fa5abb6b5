"""The figures JSON on the small fixture, whole, and how each filter changes it."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

FULL_2025 = {
    "as_of": "2025-06-01",
    "year": 2025,
    "township": None,
    "land_acquired_mu": "30.6234",
    "land_target_mu": "100.0000",
    "land_rate_pct": 30.62,
    "land_projects": 2,
    "house_projects": 1,
    "land_approved_mu": "10.5000",
    "land_approved_projects": 1,
    "transferred_projects": 1,
    "households_signed": 1,
    "house_signed_m2": "120.5000",
    "house_target_m2": "1000.0000",
    "house_rate_pct": 12.05,
    "holdouts_total": 1,
    "holdouts_signed": 0,
    "holdouts_signed_m2": "0.0000",
    "paid_yuan": {
        "征收补偿安置费": "0.00",
        "拆迁补偿费": "300000.00",
        "过渡安置费": "0.00",
        "安置补贴": "0.00",
        "工作经费": "0.00",
    },
    "pending_yuan": {"待初审": "5000.50", "待复审": "2000.00", "待终审": "0.00", "待兑付": "0.00"},
    "signed_unpaid_gap_yuan": "200000.00",
    "resettlement_sites": 1,
    "sites_delivered": 1,
    "handed_over_units": 1,
    "handover_rate_pct": 100.0,
    "handover_target_pct": None,
    "remaining_units": 1,
    "petitions": {
        "来访人次": 3,
        "下访人次": 0,
        "书面办结": 1,
        "复议诉讼办结": 0,
        "市级交办": 0,
        "中央巡视组交办": 0,
        "积案化解": 0,
    },
    "petition_repeat_rate_pct": 100.0,
    "inspections": 1,
    "inspected_projects": 2,
    "letters": 3,
    "hazards": 1,
    "hazards_closed": 1,
}


def figures(live, *args):
    run = subprocess.run(
        [sys.executable, "-m", "warehouse", "figures", "--warehouse", str(live), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_whole_district_2025(live):
    assert figures(live, "--year", "2025") == FULL_2025


@pytest.mark.parametrize(
    "args,changes",
    [
        # 东城街道 has its own 征地 target (40 亩); the house target is district-only, so no rate.
        (
            ["--township", "东城街道"],
            {
                "township": "东城街道",
                "land_acquired_mu": "10.5000",
                "land_target_mu": "40.0000",
                "land_rate_pct": 26.25,
                "land_projects": 1,
                "house_target_m2": None,
                "house_rate_pct": None,
                "paid_yuan": {**FULL_2025["paid_yuan"]},
                "pending_yuan": {**FULL_2025["pending_yuan"], "待初审": "0.00"},
                "petitions": {**FULL_2025["petitions"], "书面办结": 0},  # the 书面 case has no project: it drops out
                "petition_repeat_rate_pct": 0.0,
                "inspected_projects": 1,
                "letters": 2,
            },
        ),
        (
            ["--township", "水江镇"],
            {
                "township": "水江镇",
                "land_acquired_mu": "20.1234",
                "land_target_mu": None,
                "land_rate_pct": None,
                "land_projects": 1,
                "house_projects": 0,
                "land_approved_mu": "0.0000",
                "land_approved_projects": 0,
                "transferred_projects": 0,
                "households_signed": 0,
                "house_signed_m2": "0.0000",
                "house_target_m2": None,
                "house_rate_pct": None,
                "holdouts_total": 0,
                "paid_yuan": {**FULL_2025["paid_yuan"], "拆迁补偿费": "0.00"},
                "pending_yuan": {**FULL_2025["pending_yuan"], "待复审": "0.00"},
                "signed_unpaid_gap_yuan": "0.00",
                "resettlement_sites": 0,
                "sites_delivered": 0,
                "handed_over_units": 0,
                "handover_rate_pct": None,
                "remaining_units": 0,
                "petitions": {k: 0 for k in FULL_2025["petitions"]},
                "petition_repeat_rate_pct": 0.0,
                "inspected_projects": 1,
                "letters": 1,
                "hazards": 0,
                "hazards_closed": 0,
            },
        ),
        (["--project", "水江工业园配套"], {"land_acquired_mu": "20.1234"}),
        (["--sector", "工业商贸"], {"land_acquired_mu": "20.1234"}),
        (["--key-only"], {"land_acquired_mu": "10.5000"}),
        (
            ["--as-of", "2025-03-09"],
            {
                "as_of": "2025-03-09",
                "land_acquired_mu": "0.0000",
                "handed_over_units": 0,
                "land_approved_mu": "10.5000",
                "households_signed": 1,
            },
        ),
    ],
)
def test_filters(live, args, changes):
    got = figures(live, "--year", "2025", *args)
    for key, value in changes.items():
        assert got[key] == value, key


def test_a_year_before_the_data_reads_as_of_its_31_december(live):
    got = figures(live, "--year", "2024")
    assert (got["as_of"], got["land_acquired_mu"], got["resettlement_sites"], got["handed_over_units"]) == (
        "2024-12-31",
        "0.0000",
        1,
        0,
    )


def test_keys_are_exactly_those_of_metrics_md(live):
    assert list(figures(live, "--year", "2025")) == list(FULL_2025)


def test_missing_warehouse_is_a_clear_message(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "warehouse", "figures", "--year", "2025", "--warehouse", str(tmp_path / "none.duckdb")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 1 and "数据仓库不存在" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    "towns,acquired,target",
    [
        (("东城街道",), "10.5000", "40.0000"),
        (("东城街道", "水江镇"), "30.6234", None),  # 水江镇 has no town target: no sum of half the towns
        (("西城街道",), "0.0000", None),
    ],
)
def test_a_chief_scoped_to_several_towns_sees_their_sum(live, towns, acquired, target):
    from warehouse.figures import compute
    from warehouse.runner import Warehouse
    from warehouse.scope import Scope

    with Warehouse(live) as wh:
        generation = wh.snapshot()
        got = compute(generation.run, Scope.for_year(2025, generation.as_of, townships=towns))
    assert (got["land_acquired_mu"], got["land_target_mu"]) == (acquired, target)


@pytest.mark.parametrize(
    "month,first,last",
    [
        (2, "2025-02-01", "2025-02-28"),
        (5, "2025-05-01", "2025-05-31"),
        (6, "2025-06-01", "2025-06-01"),
        (12, "2025-12-01", "2025-06-01"),
    ],
)
def test_a_month_of_a_scope_is_cut_at_the_as_of_date(month, first, last):
    import datetime as dt

    from warehouse.scope import Scope

    scope = Scope.for_year(2025, dt.date(2025, 6, 1), township="东城街道").month(month)
    assert (str(scope.date_from), str(scope.date_to), scope.townships) == (first, last, ("东城街道",))

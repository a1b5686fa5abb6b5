"""The cross-ledger exceptions (docs/metrics.md, 资金拨付异常核查): each kind on a small export set
of its own, with a case that is an exception and a near miss that is not, as whole rows; the
scope they read; the demo's planted cases; the 资金拨付 page's tables, masked by role."""

import datetime as dt
import os

import pandas as pd
import pytest

from access.roles import mask_name
from display.columns import chinese
from display.tables import for_display
from tests.demo_app_fixture import demo_app_env, open_page, table_with  # noqa: F401
from tests.exports_fixture import GOOD_ROWS, table, write_csv, write_good_set
from tests.page_queries_support import THRESHOLDS, D, d, demo_scope, rows
from warehouse import warnings
from warehouse.contract import LEDGER_BY_NAME
from warehouse.load.loader import load
from warehouse.runner import Warehouse
from warehouse.scope import Scope

AS_OF = d(2025, 6, 1)
KINDS = [rule.name for rule in warnings.EXCEPTIONS]


def household(hid, project, signed="", mode="产权调换", agreed="100000.00", demolished=""):
    return dict(
        household_id=hid,
        project_id=project,
        owner_name=f"王{hid}",
        house_m2="100",
        surveyed_date="2025-01-05",
        signed_date=signed,
        signed_m2="100" if signed else "",
        agreed_yuan=agreed if signed else "",
        resettlement_mode=mode if signed else "",
        is_holdout="否",
        demolished_date=demolished,
    )


def paid(pid, hid, fund, amount, day, project="P1", applied=None):
    applied = applied or day
    return dict(
        payment_id=pid,
        project_id=project,
        household_id=hid,
        fund_type=fund,
        amount_yuan=amount,
        applied_date=applied,
        review1_date=applied,
        review2_date=applied,
        review3_date=applied,
        paid_date=day,
        status="已兑付",
    )


def waiting(pid, hid, fund, amount, applied):
    blank = dict.fromkeys(("review1_date", "review2_date", "review3_date"), "")
    return paid(pid, hid, fund, amount, "", applied=applied) | blank | {"status": "待初审"}


def unit(uid, hid, allocated, handover):
    return dict(
        unit_id=uid,
        site_id="S1",
        unit_type="住宅",
        unit_m2="90",
        household_id=hid,
        allocated_date=allocated,
        handover_date=handover,
        certificate_date="",
    )


# Each kind's ledgers: the good set plus these rows. In the good set H1 (P1, 东城街道) signed
# 2025-02-01 (agreed 500000, 产权调换), was paid 300000 拆迁补偿费 on 02-15, demolished 03-01 and
# moved into U1 on 03-10; H2 (P1) never signed.
FIXTURES = {
    "先付后签": {
        "households": [household("H3", "P1", "2025-03-10"), household("H4", "P2", "2025-03-10")],
        "payments": [
            paid("F4", "H3", "征收补偿安置费", "100000.00", "2025-03-09"),  # the day before signing
            paid("F5", "H4", "拆迁补偿费", "80000.00", "2025-03-10", project="P2"),  # the day of signing: fine
            paid("F6", "H2", "拆迁补偿费", "50000.00", "2025-04-01"),  # never signed
            paid("F7", "H3", "过渡安置费", "900.00", "2025-03-01"),  # not compensation
        ],
    },
    "超协议兑付": {
        "households": [household("H3", "P2", "2025-03-01", mode="货币补偿", agreed="100000.00")],
        "payments": [
            # H1: 300000 + 200000.01 = 0.01 over its 500000, the second booked under P2
            paid("F4", "H1", "征收补偿安置费", "200000.01", "2025-04-01", project="P2"),
            # H3: exactly its 100000 in two payments; a third still waiting is not paid
            paid("F5", "H3", "拆迁补偿费", "60000.00", "2025-03-05", project="P2"),
            paid("F6", "H3", "拆迁补偿费", "40000.00", "2025-03-20", project="P2"),
            waiting("F7", "H3", "拆迁补偿费", "0.01", "2025-04-01"),
        ],
    },
    "过渡费超发": {
        "households": [household("H3", "P1", "2025-02-01")],
        "payments": [
            paid("F4", "H1", "过渡安置费", "1000.00", "2025-04-10", applied="2025-03-31"),  # handover month
            paid("F5", "H1", "过渡安置费", "1000.00", "2025-04-15", applied="2025-04-01"),  # the month after
            paid("F6", "H1", "过渡安置费", "1000.00", "2025-05-10", applied="2025-05-02"),  # two months after
            paid("F7", "H3", "过渡安置费", "1000.00", "2025-05-10", applied="2025-05-02"),  # not housed
        ],
    },
    "违规交房": {
        "households": [
            household("H3", "P2", "2025-01-20", mode="货币补偿"),
            household("H4", "P1", "2025-04-01"),
            household("H5", "P2", "2025-04-02"),
        ],
        "resettlement_units": [
            unit("U3", "H2", "2025-03-01", "2025-03-05"),  # never signed
            unit("U4", "H3", "2025-03-20", "2025-04-01"),  # paid in money
            unit("U5", "H4", "2025-04-01", "2025-04-01"),  # the day of signing: fine
            unit("U6", "H5", "2025-03-20", "2025-04-01"),  # signed the day after
        ],
    },
    "先拆后补": {
        "households": [
            household("H3", "P1", "2025-03-01", demolished="2025-03-20"),
            household("H4", "P2", "2025-03-01", demolished="2025-03-20"),
            household("H5", "P2", "2025-03-01", demolished="2025-03-25"),
        ],
        "payments": [
            paid("F4", "H3", "征收补偿安置费", "70000.00", "2025-03-21"),  # the day after demolition
            paid("F5", "H4", "拆迁补偿费", "70000.00", "2025-03-20", project="P2"),  # the same day: fine
            waiting("F6", "H5", "拆迁补偿费", "70000.00", "2025-03-10"),  # not paid yet
        ],
    },
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Each kind's export set, loaded once when first asked for."""
    found = {}

    def get(kind: str) -> Warehouse:
        if kind not in found:
            folder = write_good_set(tmp_path_factory.mktemp("exceptions") / "exports")
            for ledger, extra in FIXTURES[kind].items():
                if ledger == "resettlement_units":  # S1 holds every unit
                    sites = [dict(GOOD_ROWS["resettlement_sites"][0], total_units="6")]
                    path = folder / f"{LEDGER_BY_NAME['resettlement_sites'].title}导出.csv"
                    write_csv(path, table("resettlement_sites", sites))
                cells = table(ledger, GOOD_ROWS[ledger] + extra)
                write_csv(folder / f"{LEDGER_BY_NAME[ledger].title}导出.csv", cells)
            result = load(folder, folder.parent / "warehouse.duckdb")
            assert result.ok, result.errors[:5]
            found[kind] = Warehouse(folder.parent / "warehouse.duckdb")
        return found[kind]

    yield get
    for wh in found.values():
        wh.close()


def exceptions(wh, kind, as_of=AS_OF, thresholds=None, **filters):
    """One kind's rows on day as_of (default thresholds unless given)."""
    scope = Scope.for_year(as_of.year, as_of, **filters)
    params = scope.params() | THRESHOLDS | (thresholds or {})
    return warnings.RULE_BY_NAME[kind].rows(lambda name, **p: wh.run(name, **p), params)


COMMON = ("warning", "entity_id", "label", "started_date", "days_open", "level")


@pytest.mark.parametrize(
    "kind,as_of,thresholds,expected",
    [
        (
            "先付后签",
            AS_OF,
            {},
            [  # every list: longest open first
                # H2 never signed; F4 was paid the day before H3 signed; F5 (the day of signing) is fine
                ("先付后签", "F4", "纵三路道路工程 · H3 · 征收补偿安置费", d(2025, 3, 9), 84, "红",
                 "H3", "王H3", "P1", "东城街道", "征收补偿安置费", D("100000.00"), d(2025, 3, 9), d(2025, 3, 10),
                 D("100000.00")),
                ("先付后签", "F6", "纵三路道路工程 · H2 · 拆迁补偿费", d(2025, 4, 1), 61, "红",
                 "H2", "李四", "P1", "东城街道", "拆迁补偿费", D("50000.00"), d(2025, 4, 1), None, None),
            ],
        ),
        (
            "先付后签",  # on the day it was paid H3 had not signed: its signing reads blank
            d(2025, 3, 9),
            {},
            [
                ("先付后签", "F4", "纵三路道路工程 · H3 · 征收补偿安置费", d(2025, 3, 9), 0, "红",
                 "H3", "王H3", "P1", "东城街道", "征收补偿安置费", D("100000.00"), d(2025, 3, 9), None, None),
            ],
        ),
        (
            "超协议兑付",
            AS_OF,
            {},
            [
                # 500000.01 paid against 500000.00: 0.01 over, from F4 on; H3 paid exactly its agreement
                ("超协议兑付", "H1", "纵三路道路工程 · H1", d(2025, 4, 1), 61, "红",
                 "H1", "张三", "P1", "东城街道", d(2025, 2, 1), D("500000.00"), D("500000.01"), D("0.01"),
                 "F4", D("200000.01"), d(2025, 4, 1)),
            ],
        ),
        ("超协议兑付", d(2025, 3, 31), {}, []),  # F4 not paid yet
        (
            "过渡费超发",
            AS_OF,
            {},
            [
                # H1 moved in on 03-10: a fee applied for in March is due, April's and May's are not
                ("过渡费超发", "F5", "纵三路道路工程 · H1", d(2025, 4, 15), 47, "红",
                 "H1", "张三", "P1", "东城街道", D("1000.00"), d(2025, 4, 1), d(2025, 4, 15), "U1",
                 d(2025, 3, 10), 1),
                ("过渡费超发", "F6", "纵三路道路工程 · H1", d(2025, 5, 10), 22, "红",
                 "H1", "张三", "P1", "东城街道", D("1000.00"), d(2025, 5, 2), d(2025, 5, 10), "U1",
                 d(2025, 3, 10), 2),
            ],
        ),
        (
            "过渡费超发",  # one more month may be paid on: only May's fee is an excess
            AS_OF,
            {"transition_grace_months": 1},
            [
                ("过渡费超发", "F6", "纵三路道路工程 · H1", d(2025, 5, 10), 22, "红",
                 "H1", "张三", "P1", "东城街道", D("1000.00"), d(2025, 5, 2), d(2025, 5, 10), "U1",
                 d(2025, 3, 10), 2),
            ],
        ),
        ("过渡费超发", d(2025, 4, 14), {}, []),  # F5 is paid on 04-15
        (
            "违规交房",
            AS_OF,
            {},
            [
                ("违规交房", "U3", "东城花园 · U3 · H2", d(2025, 3, 5), 88, "红", "接房时未签约",
                 "H2", "李四", "P1", "东城街道", None, None, d(2025, 3, 1), d(2025, 3, 5)),
                # U4 and U6 were handed over the same day: by 房号
                ("违规交房", "U4", "东城花园 · U4 · H3", d(2025, 4, 1), 61, "红", "安置方式为货币补偿",
                 "H3", "王H3", "P2", "水江镇", d(2025, 1, 20), "货币补偿", d(2025, 3, 20), d(2025, 4, 1)),
                ("违规交房", "U6", "东城花园 · U6 · H5", d(2025, 4, 1), 61, "红", "接房时未签约",
                 "H5", "王H5", "P2", "水江镇", d(2025, 4, 2), "产权调换", d(2025, 3, 20), d(2025, 4, 1)),
            ],
        ),
        (
            "先拆后补",
            AS_OF,
            {},
            [
                ("先拆后补", "H3", "纵三路道路工程 · H3", d(2025, 3, 20), 73, "红",
                 "H3", "王H3", "P1", "东城街道", d(2025, 3, 1), D("100000.00"), d(2025, 3, 20), d(2025, 3, 21),
                 D("70000.00")),
                ("先拆后补", "H5", "水江工业园配套 · H5", d(2025, 3, 25), 68, "红",
                 "H5", "王H5", "P2", "水江镇", d(2025, 3, 1), D("100000.00"), d(2025, 3, 25), None, D("0.00")),
            ],
        ),
        (
            "先拆后补",  # on the demolition day H3's payment was a day away
            d(2025, 3, 20),
            {},
            [
                ("先拆后补", "H3", "纵三路道路工程 · H3", d(2025, 3, 20), 0, "红",
                 "H3", "王H3", "P1", "东城街道", d(2025, 3, 1), D("100000.00"), d(2025, 3, 20), None, D("0.00")),
            ],
        ),
    ],
)  # fmt: skip
def test_each_kind_an_exception_and_a_near_miss(loaded, kind, as_of, thresholds, expected):
    own = {
        "先付后签": ("household_id", "owner_name", "project_id", "township", "fund_type", "amount_yuan",
                     "paid_date", "signed_date", "agreed_yuan"),
        "超协议兑付": ("household_id", "owner_name", "project_id", "township", "signed_date", "agreed_yuan",
                       "paid_compensation_yuan", "over_agreed_yuan", "payment_id", "amount_yuan", "paid_date"),
        "过渡费超发": ("household_id", "owner_name", "project_id", "township", "amount_yuan", "applied_date",
                       "paid_date", "unit_id", "handover_date", "months_after_handover"),
        "违规交房": ("reason", "household_id", "owner_name", "project_id", "township", "signed_date",
                     "resettlement_mode", "allocated_date", "handover_date"),
        "先拆后补": ("household_id", "owner_name", "project_id", "township", "signed_date", "agreed_yuan",
                     "demolished_date", "first_paid_date", "paid_compensation_yuan"),
    }[kind]  # fmt: skip
    found = exceptions(loaded(kind), kind, as_of, thresholds)
    assert [tuple(r.values()) for r in rows(found, *COMMON, *own)] == expected


@pytest.mark.parametrize("kind", KINDS)
def test_the_good_set_has_none(small, kind):
    """Signed, paid, demolished, moved in: in that order, nothing contradicts."""
    assert exceptions(small, kind).empty


@pytest.mark.parametrize(
    "filters,expected",
    [
        ({}, ["H1"]),
        ({"townships": ("东城街道",)}, ["H1"]),  # H1's project is in 东城街道, though F4 is booked under P2
        ({"townships": ("水江镇",)}, []),
        ({"project": "P2"}, []),
        ({"sector": "基础设施"}, ["H1"]),
    ],
)
def test_an_exception_is_scoped_by_its_households_project(loaded, filters, expected):
    assert list(exceptions(loaded("超协议兑付"), "超协议兑付", **filters)["household_id"]) == expected


def test_a_flat_is_scoped_by_its_households_project_not_its_site(loaded):
    wh = loaded("违规交房")  # S1 lies in 东城街道; H3 and H5 belong to P2 in 水江镇
    assert list(exceptions(wh, "违规交房", townships=("水江镇",))["unit_id"]) == ["U4", "U6"]
    assert list(exceptions(wh, "违规交房", townships=("东城街道",))["unit_id"]) == ["U3"]


# ---- the demo -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year,counts",
    [
        # the planted cases are in 2026; HH-007125 was demolished on 2025-12-21 and paid on 2026-01-12
        (2025, {"先付后签": 0, "超协议兑付": 0, "过渡费超发": 0, "违规交房": 0, "先拆后补": 1}),
        (2026, {"先付后签": 2, "超协议兑付": 2, "过渡费超发": 2, "违规交房": 2, "先拆后补": 3}),
    ],
)
def test_the_demo_has_a_few_of_each_kind(demo_warehouse, year, counts):
    with Warehouse(demo_warehouse) as wh:
        run = lambda name, **p: wh.run(name, **p)  # noqa: E731
        found = {rule.name: len(rule.rows(run, demo_scope(year).params() | THRESHOLDS)) for rule in warnings.EXCEPTIONS}
    assert found == counts


# ---- the 资金拨付 page ---------------------------------------------------------------------------

PAGE = "pages/funds_page.py"


def expected_tables(year, **filters):
    """Each kind's rows as the page shows them, straight from the queries."""
    with Warehouse(os.environ["WAREHOUSE_PATH"]) as wh:
        run = lambda name, **p: wh.run(name, **p)  # noqa: E731
        scope = Scope.for_year(year, dt.date(2026, 11, 20), **filters)
        return {
            rule.name: for_display(chinese(rule.rows(run, scope.params() | THRESHOLDS), rule.list_query))
            for rule in warnings.EXCEPTIONS
        }


def shown_tables(at):
    """The section's tables, by kind (each tab's table has its own first column set)."""
    tabs = [t for t in at.tabs if t.label.split("（")[0] in KINDS]
    assert [t.label.split("（")[0] for t in tabs] == KINDS
    return {t.label.split("（")[0]: (t.label, t.dataframe[0].value.reset_index(drop=True)) for t in tabs}


@pytest.mark.parametrize("username", ["leader", "chief"])
def test_the_page_lists_each_kind_with_names_masked_by_role(demo_app_env, username):
    at = open_page(PAGE, username, year=2026)
    assert not at.exception
    expected = expected_tables(2026)
    for kind, (label, shown) in shown_tables(at).items():
        want = expected[kind].copy()
        assert label == f"{kind}（{len(want)}）" and len(want) > 0
        if username == "chief":
            want["户主姓名"] = want["户主姓名"].map(mask_name)
            assert all(name.endswith("*") for name in shown["户主姓名"])
        pd.testing.assert_frame_equal(shown, want.reset_index(drop=True), check_dtype=False, obj=kind)


def test_a_chief_scoped_to_one_town_sees_only_its_rows(demo_app_env):
    at = open_page(PAGE, "chief_dc", year=2026)
    assert not at.exception
    shown = shown_tables(at)
    ours = expected_tables(2026, townships=("东城街道",))
    every = expected_tables(2026)
    assert sum(len(t) for _, t in shown.values()) > 0
    assert sum(len(t) for t in every.values()) > sum(len(t) for t in ours.values())  # other towns have some
    for kind, (_, rows_shown) in shown.items():
        assert set(rows_shown["镇街"]) <= {"东城街道"}
        assert list(rows_shown["户编号"]) == list(ours[kind]["户编号"]), kind


def test_a_warning_record_uses_its_own_headers(demo_app_env):
    """总览: the 超协议兑付 row of the summary opens its list under that list's own headers."""
    at = open_page("pages/overview_page.py", "chief")
    summary = table_with(at, "合计(条)")
    row = list(summary["预警类型"]).index("超协议兑付")
    at.session_state["warnings"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    listed = table_with(at, "该笔金额(元)")
    assert len(listed) == 2 and {"超出协议(元)", "超出协议的那笔拨付单号"} <= set(listed.columns)
    assert all(name.endswith("*") for name in listed["户主姓名"])

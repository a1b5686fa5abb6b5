"""The named queries behind the six manager pages and the weekly dispatch, on the small export set.

Whole rows where every value can be checked by hand against exports_fixture.GOOD_ROWS (its
as-of date is 2025-06-01); the demo cross-checks are in test_page_queries_demo.py.
"""

import re

import pytest

from tests.page_queries_support import PAGE_QUERIES, D, d, one, rows, run, scope, warning_summary
from warehouse import warnings
from warehouse.runner import named_query, query_names

# ---- headers and house rules -------------------------------------------------------------------


@pytest.mark.parametrize("name", query_names())
def test_header_and_house_rules(name):
    sql = named_query(name).sql
    lines = sql.splitlines()
    assert re.search(r"[\u4e00-\u9fff]", lines[0]) and lines[0].startswith("-- "), "first line: the purpose in Chinese"
    header = "\n".join(line for line in lines if line.startswith("--"))
    assert "-- Grain:" in header and "-- Parameters:" in header
    for param in named_query(name).params:
        assert f"${param}" in header, f"${param} is not documented in the header"
    body = "\n".join(line.split("--", 1)[0] for line in lines)
    assert "raw." not in body and "typed." not in body, "queries read clean.* only"
    assert len(lines) < 400


def test_every_page_query_is_listed_with_its_extra_parameters():
    standard = set(scope().params())
    for name, extra in PAGE_QUERIES.items():
        assert named_query(name).params - standard == set(extra), name


def test_result_types(small):
    """Money and areas stay DECIMAL(18,2)/(18,4), counts BIGINT; DOUBLE only for rates and day statistics."""
    import duckdb

    con = duckdb.connect()
    con.execute("ATTACH $p AS wh (READ_ONLY)", {"p": str(small.path)})
    con.execute("USE wh")
    allowed = {"VARCHAR", "DATE", "BOOLEAN", "BIGINT", "DECIMAL(18,2)", "DECIMAL(18,4)", "DOUBLE"}
    params = scope().params()
    for name, extra in PAGE_QUERIES.items():
        query = named_query(name)
        rel = con.sql(query.sql, params={k: {**params, **extra}[k] for k in query.params})
        for column, kind in zip(rel.columns, map(str, rel.types)):
            assert kind in allowed, (name, column, kind)
            if kind == "DOUBLE":
                assert column.endswith(("_pct", "_days", "lag_points")), (name, column)
            if column.endswith("_yuan"):
                assert kind == "DECIMAL(18,2)", (name, column, kind)
            if column.endswith(("_mu", "_m2")) or column.endswith(("_mu_cum", "_m2_cum")):
                assert kind == "DECIMAL(18,4)", (name, column, kind)
    con.close()


@pytest.mark.parametrize("name", sorted(PAGE_QUERIES))
def test_runs_with_page_parameters_null(small, name):
    """What the loader's last check does: page-only parameters bound as NULL must not fail."""
    run(small, name, scope(), **dict.fromkeys(PAGE_QUERIES[name]))


# ---- 总览 --------------------------------------------------------------------------------------


def test_monthly_progress_small(small):
    df = run(small, "monthly_progress", scope())
    assert list(df["month"]) == list(range(1, 13))
    got = {r["month"]: r for r in rows(df)}
    zero = dict(
        acquired_mu=D("0"),
        approved_mu=D("0"),
        households_signed=0,
        signed_m2=D("0"),
        paid_yuan=D("0"),
        handed_over_units=0,
        petitions_received=0,
    )
    expected = {
        1: {**zero, "acquired_mu_cum": D("0"), "signed_m2_cum": D("0")},
        2: {
            **zero,
            "households_signed": 1,
            "signed_m2": D("120.5"),
            "paid_yuan": D("300000.00"),
            "acquired_mu_cum": D("0"),
            "signed_m2_cum": D("120.5"),
        },
        3: {
            **zero,
            "approved_mu": D("10.5"),
            "handed_over_units": 1,
            "petitions_received": 1,
            "acquired_mu_cum": D("0"),
            "signed_m2_cum": D("120.5"),
        },
        4: {
            **zero,
            "acquired_mu": D("10.5"),
            "petitions_received": 1,
            "acquired_mu_cum": D("10.5"),
            "signed_m2_cum": D("120.5"),
        },
        5: {**zero, "acquired_mu_cum": D("10.5"), "signed_m2_cum": D("120.5")},
        6: {**zero, "acquired_mu": D("20.1234"), "acquired_mu_cum": D("30.6234"), "signed_m2_cum": D("120.5")},
    }
    for month in range(1, 13):
        row = got[month]
        assert row["month_label"] == f"{month}月" and row["month_start"] == d(2025, month, 1)
        assert row["in_period"] == (month <= 6)
        want = expected.get(month, {**zero, "acquired_mu_cum": None, "signed_m2_cum": None})
        assert {k: row[k] for k in want} == want, month
    assert df["households_signed"].dtype == "int64"  # zeros after D keep counts integer


def test_warnings_on_small(small):
    # 2025-06-01 is day 152: 序时进度 41.64%. 征地 30.62% lags 11.02 (黄), 房屋征收面积 12.05% lags 29.59 (红).
    tasks = warnings.tasks_behind(
        lambda name, **params: small.run(name, **params),
        scope().params() | {"lag_yellow_points": 10, "lag_red_points": 20},
    )
    assert rows(
        tasks,
        "entity_id",
        "level",
        "actual",
        "target",
        "rate_pct",
        "time_elapsed_pct",
        "lag_points",
        "started_date",
        "days_open",
    ) == [
        {
            "entity_id": "房屋征收面积(㎡)",
            "level": "红",
            "actual": D("120.5"),
            "target": D("1000"),
            "rate_pct": 12.05,
            "time_elapsed_pct": 41.64,
            "lag_points": 29.59,
            "started_date": d(2025, 1, 1),
            "days_open": 152,
        },
        {
            "entity_id": "征地面积(亩)",
            "level": "黄",
            "actual": D("30.6234"),
            "target": D("100"),
            "rate_pct": 30.62,
            "time_elapsed_pct": 41.64,
            "lag_points": 11.02,
            "started_date": d(2025, 1, 1),
            "days_open": 152,
        },
    ]
    stuck = run(small, "warning_payments_stuck", scope(), stuck_yellow_days=15, stuck_red_days=30)
    assert rows(stuck, "entity_id", "label", "stage", "started_date", "days_open", "level", "amount_yuan") == [
        {
            "entity_id": "F2",
            "label": "纵三路道路工程 · 过渡安置费 · 待复审",
            "stage": "待复审",
            "started_date": d(2025, 3, 2),
            "days_open": 91,
            "level": "红",
            "amount_yuan": D("2000.00"),
        },
        {
            "entity_id": "F3",
            "label": "水江工业园配套 · 工作经费 · 待初审",
            "stage": "待初审",
            "started_date": d(2025, 4, 1),
            "days_open": 61,
            "level": "红",
            "amount_yuan": D("5000.50"),
        },
    ]
    assert rows(
        run(small, "warning_payments_stuck", scope(), stuck_yellow_days=60, stuck_red_days=90), "entity_id", "level"
    ) == [{"entity_id": "F2", "level": "红"}, {"entity_id": "F3", "level": "黄"}]
    summary = warning_summary(small, scope())
    assert rows(summary, "warning", "levels", "yellow", "red", "total") == [
        {"warning": "任务滞后", "levels": 2, "yellow": 1, "red": 1, "total": 2},
        {"warning": "资金卡滞", "levels": 2, "yellow": 0, "red": 2, "total": 2},
        {"warning": "安置逾期", "levels": 2, "yellow": 0, "red": 0, "total": 0},
        {
            "warning": "信访超期",
            "levels": 1,
            "yellow": 0,
            "red": 0,
            "total": 0,
        },
        {
            "warning": "隐患逾期",
            "levels": 1,
            "yellow": 0,
            "red": 0,
            "total": 0,
        },
        {
            "warning": "尾欠户滞留",
            "levels": 1,
            "yellow": 0,
            "red": 0,
            "total": 0,
        },
        # the small set's ledgers agree: H1 signed 02-01, paid 02-15, demolished 03-01, moved in 03-10
        *(
            {"warning": name, "levels": 1, "yellow": 0, "red": 0, "total": 0}
            for name in ("先付后签", "超协议兑付", "过渡费超发", "违规交房", "先拆后补")
        ),
    ]


def test_warnings_at_other_dates_on_small(small):
    # S1 was due 2024-12-31 and delivered 2025-01-15: overdue on 2025-01-10 by 10 days.
    early = scope(as_of=d(2025, 1, 10))
    assert rows(
        run(small, "warning_sites_overdue", early, overdue_red_days=1095),
        "entity_id",
        "label",
        "started_date",
        "days_open",
        "level",
    ) == [{"entity_id": "S1", "label": "东城花园", "started_date": d(2024, 12, 31), "days_open": 10, "level": "黄"}]
    assert run(small, "warning_sites_overdue", early, overdue_red_days=5).at[0, "level"] == "红"
    # C2 (书面, no project) is open on 2025-04-25, 24 days after it was received; C1 closed on 03-20.
    april = scope(as_of=d(2025, 4, 25))
    assert rows(
        run(small, "warning_petitions_overdue", april, petition_overdue_days=20),
        "entity_id",
        "label",
        "started_date",
        "days_open",
        "level",
    ) == [{"entity_id": "C2", "label": "书面 · 其他", "started_date": d(2025, 4, 1), "days_open": 24, "level": "红"}]
    assert run(
        small, "warning_petitions_overdue", april.with_filters(township="东城街道"), petition_overdue_days=20
    ).empty  # no project: drops out of a 镇街 view
    # H2 (尾欠户, unsigned) is stranded once P1 passes its planned end, 2026-06-30.
    later = scope(2026, as_of=d(2026, 7, 10))
    assert rows(
        run(small, "warning_holdouts_stranded", later),
        "entity_id",
        "label",
        "started_date",
        "days_open",
        "level",
        "project_id",
    ) == [
        {
            "entity_id": "H2",
            "label": "纵三路道路工程 · H2",
            "started_date": d(2026, 6, 30),
            "days_open": 10,
            "level": "红",
            "project_id": "P1",
        }
    ]
    summary = warning_summary(small, later).set_index("warning")
    assert summary.at["尾欠户滞留", "red"] == 1


# ---- 项目进度 ----------------------------------------------------------------------------------


def test_project_progress_small(small):
    assert rows(run(small, "projects_progress", scope())) == [
        dict(
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            sector="基础设施",
            is_key=True,
            status="实施中",
            kind="土地及房屋征收",
            start_date=d(2024, 3, 1),
            planned_end_date=d(2026, 6, 30),
            households_total=2,
            households_signed=1,
            signed_rate_pct=50.0,
            planned_land_mu=D("30.5"),
            acquired_mu=D("10.5"),
            land_progress_pct=34.43,
            holdouts_total=1,
            holdouts_unsigned=1,
            paid_yuan=D("300000.00"),
        ),
        dict(
            project_id="P2",
            project_name="水江工业园配套",
            township="水江镇",
            sector="工业商贸",
            is_key=False,
            status="实施中",
            kind="土地征收",
            start_date=d(2025, 1, 10),
            planned_end_date=None,
            households_total=0,
            households_signed=0,
            signed_rate_pct=None,
            planned_land_mu=D("40"),
            acquired_mu=D("20.1234"),
            land_progress_pct=50.31,
            holdouts_total=0,
            holdouts_unsigned=0,
            paid_yuan=D("0.00"),
        ),
    ]
    # As of 2025-01-31 P1 has no acquired land and nothing signed; P2 (started 01-10) is listed.
    jan = rows(
        run(small, "projects_progress", scope(as_of=d(2025, 1, 31))),
        "project_id",
        "households_signed",
        "acquired_mu",
        "paid_yuan",
    )
    assert jan == [
        dict(project_id="P1", households_signed=0, acquired_mu=D("0"), paid_yuan=D("0")),
        dict(project_id="P2", households_signed=0, acquired_mu=D("0"), paid_yuan=D("0")),
    ]
    assert list(run(small, "projects_progress", scope(key_only=True))["project_id"]) == ["P1"]


def test_project_details_small(small):
    sc = scope()
    assert rows(run(small, "project_parcels", sc, project_id="P1")) == [
        dict(
            parcel_id="D1",
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            area_mu=D("10.5"),
            land_use="耕地",
            approved_date=d(2025, 3, 1),
            acquired_date=d(2025, 4, 1),
            transferred_date=d(2025, 5, 1),
            stage="已交地",
        )
    ]
    assert rows(
        run(small, "project_parcels", scope(as_of=d(2025, 3, 15)), project_id=None),
        "parcel_id",
        "stage",
        "acquired_date",
    ) == [
        dict(parcel_id="D1", stage="已报批", acquired_date=None),
        dict(parcel_id="D2", stage="未报批", acquired_date=None),
    ]
    assert rows(run(small, "project_households", sc, project_id="P1")) == [
        dict(
            household_id="H1",
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            owner_name="张三",
            house_m2=D("120.5"),
            surveyed_date=d(2025, 1, 10),
            signed_date=d(2025, 2, 1),
            signed_m2=D("120.5"),
            agreed_yuan=D("500000.00"),
            resettlement_mode="产权调换",
            is_holdout=False,
            demolished_date=d(2025, 3, 1),
            state="已拆除",
            paid_compensation_yuan=D("300000.00"),
        ),
        dict(
            household_id="H2",
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            owner_name="李四",
            house_m2=D("80"),
            surveyed_date=d(2025, 1, 12),
            signed_date=None,
            signed_m2=None,
            agreed_yuan=None,
            resettlement_mode=None,
            is_holdout=True,
            demolished_date=None,
            state="未签约",
            paid_compensation_yuan=D("0.00"),
        ),
    ]
    assert rows(
        run(small, "project_payments", sc, project_id="P1"),
        "payment_id",
        "stage",
        "waiting_since",
        "days_waiting",
        "review2_date",
        "paid_date",
    ) == [
        dict(
            payment_id="F2",
            stage="待复审",
            waiting_since=d(2025, 3, 2),
            days_waiting=91,
            review2_date=None,
            paid_date=None,
        ),
        dict(
            payment_id="F1",
            stage="已兑付",
            waiting_since=None,
            days_waiting=0,
            review2_date=d(2025, 2, 8),
            paid_date=d(2025, 2, 15),
        ),
    ]
    # On 2025-02-09 F1 was waiting at 终审 (复审 done 02-08), for 1 day; its later dates are blank.
    assert rows(
        run(small, "project_payments", scope(as_of=d(2025, 2, 9)), project_id="P1"),
        "payment_id",
        "stage",
        "days_waiting",
        "review3_date",
    ) == [dict(payment_id="F1", stage="待终审", days_waiting=1, review3_date=None)]
    assert rows(run(small, "project_petitions", sc, project_id="P1")) == [
        dict(
            case_id="C1",
            received_date=d(2025, 3, 1),
            channel="来访",
            persons=3,
            petitioner_id="XFR1",
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            topic="补偿标准",
            is_backlog=False,
            closed_date=d(2025, 3, 20),
            state="已办结",
            days_open=19,
        )
    ]
    assert len(run(small, "project_petitions", sc, project_id=None)) == 2  # the case without a project too
    assert rows(run(small, "project_inspections", sc, project_id="P1")) == [
        dict(
            inspection_id="J1",
            inspected_date=d(2025, 5, 10),
            inspection_type="拆除安全",
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            letters=2,
            hazards=1,
            hazards_closed=1,
        )
    ]
    assert rows(
        run(small, "project_hazards", sc, project_id="P1"), "hazard_id", "stage", "overdue", "overdue_days"
    ) == [dict(hazard_id="Y1", stage="已销号", overdue=False, overdue_days=0)]
    assert rows(
        run(small, "project_hazards", scope(as_of=d(2025, 5, 18)), project_id="P1"),
        "stage",
        "closed_date",
        "rectified_date",
    ) == [dict(stage="待复查", closed_date=None, rectified_date=d(2025, 5, 18))]
    assert run(small, "project_hazards", sc, project_id="P2").empty


# ---- 安置还房 ----------------------------------------------------------------------------------


def test_resettlement_small(small):
    sc = scope()
    months = run(small, "handover_rate_by_month", sc)
    assert rows(months, "month", "month_end", "allocated_units", "handed_over_units", "handover_rate_pct") == [
        dict(month=1, month_end=d(2025, 1, 31), allocated_units=0, handed_over_units=0, handover_rate_pct=None),
        dict(month=2, month_end=d(2025, 2, 28), allocated_units=1, handed_over_units=0, handover_rate_pct=0.0),
        dict(month=3, month_end=d(2025, 3, 31), allocated_units=1, handed_over_units=1, handover_rate_pct=100.0),
        dict(month=4, month_end=d(2025, 4, 30), allocated_units=1, handed_over_units=1, handover_rate_pct=100.0),
        dict(month=5, month_end=d(2025, 5, 31), allocated_units=1, handed_over_units=1, handover_rate_pct=100.0),
        dict(month=6, month_end=d(2025, 6, 1), allocated_units=1, handed_over_units=1, handover_rate_pct=100.0),
    ]
    assert months["target_pct"].isna().all()  # the fixture has no 接房率 target
    assert rows(run(small, "resettlement_by_site", sc, overdue_red_days=1095)) == [
        dict(
            site_id="S1",
            site_name="东城花园",
            township="东城街道",
            total_units=2,
            units_listed=2,
            allocated_units=1,
            handed_over_units=1,
            handover_rate_pct=100.0,
            remaining_units=1,
            remaining_flats=0,
            certificate_due_units=1,
            certificate_on_time_units=0,
            certificate_timely_pct=0.0,
            delivered=True,
            delivered_date=d(2025, 1, 15),
            planned_delivery_date=d(2024, 12, 31),
            delivery_date=d(2025, 1, 15),
            overdue=False,
            overdue_days=0,
            overdue_red=False,
        )
    ]
    early = rows(
        run(small, "resettlement_by_site", scope(as_of=d(2025, 1, 10)), overdue_red_days=1095),
        "delivered",
        "delivered_date",
        "delivery_date",
        "handover_rate_pct",
        "remaining_units",
        "overdue",
        "overdue_days",
    )
    assert early == [
        dict(
            delivered=False,
            delivered_date=None,
            delivery_date=d(2024, 12, 31),
            handover_rate_pct=None,
            remaining_units=0,
            overdue=True,
            overdue_days=10,
        )
    ]
    assert rows(
        run(small, "handover_units", sc, site_id="S1"),
        "unit_id",
        "unit_type",
        "household_id",
        "state",
        "in_handover_rate",
        "remaining",
        "certificate_due",
        "certificate_on_time",
    ) == [
        dict(
            unit_id="U1",
            unit_type="住宅",
            household_id="H1",
            state="已接房",
            in_handover_rate=True,
            remaining=False,
            certificate_due=True,
            certificate_on_time=False,
        ),
        dict(
            unit_id="U2",
            unit_type="门面",
            household_id=None,
            state="未分配",
            in_handover_rate=False,
            remaining=True,
            certificate_due=False,
            certificate_on_time=False,
        ),
    ]
    assert run(small, "handover_units", sc.with_filters(township="水江镇"), site_id=None).empty


# ---- 资金拨付 ----------------------------------------------------------------------------------


def test_funds_small(small):
    sc = scope()
    by_month = run(small, "payouts_by_month", sc)
    assert len(by_month) == 60 and list(by_month["fund_type"][:5]) == [
        "征收补偿安置费",
        "拆迁补偿费",
        "过渡安置费",
        "安置补贴",
        "工作经费",
    ]
    paid = by_month[by_month["paid_yuan"] != 0]
    assert rows(paid, "month", "fund_type", "paid_yuan", "payments") == [
        dict(month=2, fund_type="拆迁补偿费", paid_yuan=D("300000.00"), payments=1)
    ]
    pending = run(small, "payments_pending", sc, stage=None)
    assert rows(pending) == [
        dict(
            payment_id="F3",
            project_id="P2",
            project_name="水江工业园配套",
            township="水江镇",
            household_id=None,
            fund_type="工作经费",
            amount_yuan=D("5000.50"),
            applied_date=d(2025, 4, 1),
            stage="待初审",
            waiting_since=d(2025, 4, 1),
            days_waiting=61,
        ),
        dict(
            payment_id="F2",
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            household_id="H1",
            fund_type="过渡安置费",
            amount_yuan=D("2000.00"),
            applied_date=d(2025, 3, 1),
            stage="待复审",
            waiting_since=d(2025, 3, 2),
            days_waiting=91,
        ),
    ]
    assert list(run(small, "payments_pending", sc, stage="待复审")["payment_id"]) == ["F2"]
    assert run(small, "payments_pending", sc, stage="待兑付").empty
    # F1: applied 02-05, 初审 02-06 (1 day), 复审 02-08 (2), 终审 02-10 (2), 兑付 02-15 (5); F2's 初审 took 1 day.
    assert rows(run(small, "payments_stage_durations", sc)) == [
        dict(stage="初审", payments=2, median_days=1.0, p90_days=1.0, mean_days=1.0),
        dict(stage="复审", payments=1, median_days=2.0, p90_days=2.0, mean_days=2.0),
        dict(stage="终审", payments=1, median_days=2.0, p90_days=2.0, mean_days=2.0),
        dict(stage="兑付", payments=1, median_days=5.0, p90_days=5.0, mean_days=5.0),
    ]
    assert rows(
        run(small, "payments_stage_durations", scope(2024, as_of=d(2024, 12, 31))), "stage", "payments", "median_days"
    )[0] == dict(stage="初审", payments=0, median_days=None)
    # longest wait first: F2 (since 03-02, 91 days) before F3 (since 04-01, 61 days); over 70 days only F2.
    assert list(run(small, "payments_stuck", sc, days=15)["payment_id"]) == ["F2", "F3"]
    assert list(run(small, "payments_stuck", sc, days=70)["payment_id"]) == ["F2"]
    # H1 signed 产权调换 on 02-01 and took U1 on 03-10: in transition in February, not after.
    assert one(run(small, "transition_fees", sc)) == dict(
        paid_yuan=D("0.00"), payments=0, households_paid=0, households_in_transition=0
    )
    assert one(run(small, "transition_fees", scope(as_of=d(2025, 2, 20))))["households_in_transition"] == 1


# ---- 信访 --------------------------------------------------------------------------------------


def test_petitions_small(small):
    sc = scope()
    months = rows(
        run(small, "petitions_by_month", sc), "month", "received", "closed", "visit_persons", "outreach_persons"
    )
    busy = [m for m in months if any(v for k, v in m.items() if k != "month")]
    assert busy == [
        dict(month=3, received=1, closed=1, visit_persons=3, outreach_persons=0),
        dict(month=4, received=1, closed=0, visit_persons=0, outreach_persons=0),
        dict(month=5, received=0, closed=1, visit_persons=0, outreach_persons=0),
    ]
    # C1: 03-01 → 03-20 (19 days); C2: 04-01 → 05-01 (30 days).
    assert one(run(small, "petitions_closure", sc)) == dict(
        received=2, closed=2, open=0, closure_rate_pct=100.0, mean_close_days=24.5
    )
    assert one(run(small, "petitions_closure", scope(as_of=d(2025, 4, 25)))) == dict(
        received=2, closed=1, open=1, closure_rate_pct=50.0, mean_close_days=19.0
    )
    topics = run(small, "petitions_by_topic", sc)
    assert len(topics) == 7
    assert rows(topics.head(2)) == [
        dict(topic="补偿标准", received=1, persons=3, closed=1, open=0, closure_rate_pct=100.0),
        dict(topic="其他", received=1, persons=1, closed=1, open=0, closure_rate_pct=100.0),
    ]
    assert run(small, "petitions_open_long", sc, days=60).empty
    assert rows(
        run(small, "petitions_open_long", scope(as_of=d(2025, 4, 25)), days=None), "case_id", "days_open", "project_id"
    ) == [dict(case_id="C2", days_open=24, project_id=None)]
    assert run(small, "petitions_backlog", sc).empty
    cases = run(small, "petitions_cases", sc, channel=None, topic=None)
    assert rows(cases, "case_id", "petitioner_id", "state", "received_in_period", "closed_in_period") == [
        dict(case_id="C2", petitioner_id="XFR1", state="已办结", received_in_period=True, closed_in_period=True),
        dict(case_id="C1", petitioner_id="XFR1", state="已办结", received_in_period=True, closed_in_period=True),
    ]
    assert list(run(small, "petitions_cases", sc, channel="来访", topic=None)["case_id"]) == ["C1"]
    assert list(run(small, "petitions_cases", sc, channel=None, topic="其他")["case_id"]) == ["C2"]


# ---- 尾欠户与平安征收 ---------------------------------------------------------------------------


def test_holdouts_and_safety_small(small):
    sc = scope()
    # H2 was surveyed on 2025-01-12: 140 days unsigned on 2025-06-01.
    assert rows(run(small, "holdouts_by_project", sc)) == [
        dict(
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            is_key=True,
            status="实施中",
            planned_end_date=d(2026, 6, 30),
            holdouts=1,
            signed=0,
            unsigned=1,
            clear_rate_pct=0.0,
            signed_in_period=0,
            oldest_open_days=140,
            stranded=0,
        )
    ]
    assert rows(
        run(small, "holdouts_households", sc), "household_id", "owner_name", "state", "open_days", "stranded"
    ) == [dict(household_id="H2", owner_name="李四", state="未签约", open_days=140, stranded=False)]
    assert rows(
        run(small, "inspections_in_year", sc),
        "inspection_id",
        "project_id",
        "letters",
        "hazards",
        "hazards_closed",
        "hazards_overdue",
    ) == [
        dict(inspection_id="J1", project_id="P1", letters=2, hazards=1, hazards_closed=1, hazards_overdue=0),
        dict(inspection_id="J1", project_id="P2", letters=1, hazards=0, hazards_closed=0, hazards_overdue=0),
    ]
    assert rows(run(small, "hazards_in_year", sc)) == [
        dict(
            hazard_id="Y1",
            inspection_id="J1",
            inspected_date=d(2025, 5, 10),
            project_id="P1",
            project_name="纵三路道路工程",
            township="东城街道",
            description="围挡缺失",
            due_date=d(2025, 5, 20),
            rectified_date=d(2025, 5, 18),
            rechecked_date=d(2025, 5, 19),
            closed_date=d(2025, 5, 20),
            stage="已销号",
            overdue=False,
            overdue_days=0,
        )
    ]
    assert run(small, "hazards_in_year", scope(as_of=d(2025, 5, 15))).at[0, "stage"] == "待整改"

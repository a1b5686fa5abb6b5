"""The page queries on the demo warehouse: the figures of docs/metrics.md (2025, seed 000) and the
existing named queries must agree with them; each warning list adds up to the summary."""

import pytest

from tests.page_queries_support import (
    DEMO_AS_OF,
    THRESHOLDS,
    D,
    d,
    demo_scope,
    one,
    rows,
    run,
    warning_summary,
)
from warehouse import warnings
from warehouse.runner import Warehouse


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    with Warehouse(demo_warehouse) as wh:
        yield wh


def test_demo_monthly_sums_match_the_2025_figures(demo):
    df = run(demo, "monthly_progress", demo_scope())
    assert df["acquired_mu"].sum() == D("2034.0000") == df["acquired_mu_cum"].iloc[-1]
    assert df["approved_mu"].sum() == D("1342.2445")
    assert df["signed_m2"].sum() == D("112200.0000") == df["signed_m2_cum"].iloc[-1]
    assert df["households_signed"].sum() == 425
    assert df["handed_over_units"].sum() == len(
        run(demo, "handover_units", demo_scope(), site_id=None).query(
            "handover_date >= @d(2025, 1, 1)", local_dict={"d": d}
        )
    )
    by_fund = run(demo, "payouts_by_month", demo_scope()).groupby("fund_type")["paid_yuan"].sum()
    assert by_fund["征收补偿安置费"] == D("84000000.00") and by_fund["拆迁补偿费"] == D("235000000.00")
    assert df["paid_yuan"].sum() == sum(by_fund)


def test_demo_resettlement_matches_2025_12_31(demo):
    sites = run(demo, "resettlement_by_site", demo_scope(), overdue_red_days=1095)
    summary = one(run(demo, "resettlement_summary", demo_scope()))
    assert len(sites) == 16 and sites["handed_over_units"].sum() == 5348
    assert sites["remaining_units"].sum() == summary["remaining_units"]
    december = one(run(demo, "handover_rate_by_month", demo_scope()).tail(1))
    assert (
        december["month_end"],
        december["handed_over_units"],
        december["handover_rate_pct"],
        december["target_pct"],
    ) == (d(2025, 12, 31), 5348, 80.0, D("80"))
    # 2026: the months stop at D's month and the last one reads as annual_tasks' 接房率.
    months = run(demo, "handover_rate_by_month", demo_scope(2026))
    tasks = run(demo, "annual_tasks", demo_scope(2026)).set_index("metric")
    assert list(months["month"]) == list(range(1, 12)) and months["month_end"].iloc[-1] == DEMO_AS_OF
    assert months["handover_rate_pct"].iloc[-1] == float(tasks.at["接房率(%)", "actual"])
    overdue = sites.query("overdue")
    assert list(overdue["site_id"]) == ["AZ-16"] and not overdue["overdue_red"].any()  # 915 days on 2025-12-31


def test_demo_petitions_match_the_2025_figures(demo):
    months = run(demo, "petitions_by_month", demo_scope())
    assert months["visit_persons"].sum() == 457 and months["outreach_persons"].sum() == 219
    cases = run(demo, "petitions_cases", demo_scope(), channel=None, topic=None)
    assert cases.query("channel == '书面' and closed_in_period").shape[0] == 113
    assert cases.query("channel == '复议诉讼' and closed_in_period").shape[0] == 47
    assert cases.query("channel == '来访' and received_in_period")["persons"].sum() == 457
    closure = one(run(demo, "petitions_closure", demo_scope()))
    assert (
        closure["received"]
        == months["received"].sum()
        == run(demo, "petitions_by_topic", demo_scope())["received"].sum()
    )
    backlog = run(demo, "petitions_backlog", demo_scope())
    assert (backlog["state"] == "已化解").sum() == 2  # 积案化解 2 件
    assert (backlog["state"] == "未化解").sum() == len(
        run(demo, "petitions_open_long", demo_scope(), days=None).query("is_backlog")
    )


def test_demo_funds_agree_with_the_stage_figures(demo):
    sc = demo_scope(2026)
    pending = run(demo, "payments_pending", sc, stage=None).groupby("stage")["amount_yuan"].sum()
    by_stage = run(demo, "payments_pending_by_stage", sc).set_index("stage")["pending_yuan"]
    assert {s: pending.get(s, D("0")) for s in by_stage.index} == dict(by_stage)
    assert (by_stage > 0).all()
    stuck = run(demo, "payments_stuck", sc, days=30)
    assert (stuck["days_waiting"] > 30).all() and list(stuck["waiting_since"]) == sorted(stuck["waiting_since"])
    fees = one(run(demo, "transition_fees", demo_scope()))
    assert (
        fees["paid_yuan"]
        == run(demo, "payouts_by_fund_type", demo_scope()).set_index("fund_type").at["过渡安置费", "paid_yuan"]
    )
    durations = run(demo, "payments_stage_durations", demo_scope())
    assert list(durations["stage"]) == ["初审", "复审", "终审", "兑付"]
    assert (durations["median_days"] <= durations["p90_days"]).all() and (durations["payments"] > 0).all()


@pytest.mark.parametrize(
    "year,filters",
    [
        (2025, {}),
        (2026, {}),
        (2026, {"township": "水江镇"}),
        (2026, {"key_only": True}),
        (2026, {"sector": "基础设施"}),
    ],
)
def test_demo_warning_lists_add_up_to_the_summary(demo, year, filters):
    sc = demo_scope(year, **filters)
    summary = warning_summary(demo, sc).set_index("warning")
    run_demo = lambda name, **params: demo.run(name, **params)  # noqa: E731
    for rule in warnings.RULES:
        listed = rule.rows(run_demo, sc.params() | THRESHOLDS)
        assert (summary.at[rule.name, "yellow"], summary.at[rule.name, "red"]) == (
            (listed["level"] == "黄").sum(),
            (listed["level"] == "红").sum(),
        ), rule.name
        assert (listed["days_open"] >= 0).all()


def test_demo_2026_has_every_warning_kind(demo):
    summary = warning_summary(demo, demo_scope(2026)).set_index("warning")
    assert (summary["total"] > 0).all(), summary


@pytest.mark.parametrize(
    "filters", [{}, {"township": "水江镇"}, {"townships": ("东城街道", "水江镇")}, {"key_only": True}]
)
def test_demo_task_lag_reads_annual_tasks(demo, filters):
    sc = demo_scope(2026, **filters)
    tasks = run(demo, "annual_tasks", sc).set_index("metric")
    run_demo = lambda name, **params: demo.run(name, **params)  # noqa: E731
    lagging = warnings.tasks_behind(run_demo, sc.params() | {"lag_yellow_points": 0, "lag_red_points": None})
    # with a yellow lag of 0: every task behind 序时进度; 接房率 (a level to hold) whenever below its target
    level = tasks.index == "接房率(%)"
    behind = tasks[(~level & (tasks["rate_pct"] < tasks["time_elapsed_pct"])) | (level & (tasks["rate_pct"] < 100))]
    assert sorted(lagging["entity_id"]) == sorted(behind.index)
    for r in rows(lagging):
        t = tasks.loc[r["entity_id"]]
        assert (r["actual"], r["target"], r["rate_pct"], r["time_elapsed_pct"]) == (
            t["actual"],
            t["target"],
            t["rate_pct"],
            t["time_elapsed_pct"],
        )


def test_demo_projects_holdouts_and_safety(demo):
    sc = demo_scope()
    progress = run(demo, "projects_progress", sc)
    assert progress["holdouts_total"].sum() == 99
    g353 = run(demo, "project_households", sc.with_filters(project="G353博览城至福南桥段改建工程"), project_id=None)
    in_2025 = g353[g353["signed_date"].map(lambda v: v is not None and v.year == 2025)]
    assert (len(in_2025), in_2025["signed_m2"].sum()) == (39, D("14851.2500"))
    holdouts = run(demo, "holdouts_by_project", sc)
    assert (len(holdouts), holdouts["holdouts"].sum(), holdouts["signed_in_period"].sum()) == (4, 99, 38)
    assert holdouts["holdouts"].sum() == len(run(demo, "holdouts_households", sc))
    inspections = run(demo, "inspections_in_year", sc)
    assert (
        inspections["inspection_id"].nunique(),
        inspections["project_id"].nunique(),
        inspections["letters"].sum(),
    ) == (11, 22, 25)
    hazards = run(demo, "hazards_in_year", sc)
    assert len(hazards) == 36 == inspections["hazards"].sum()
    safety = one(run(demo, "safety_summary", sc))
    assert (hazards["stage"] == "已销号").sum() == safety["hazards_closed"]
    assert hazards["overdue"].sum() == safety["hazards_overdue"]

"""周调度 figures: the week arithmetic, weekly_headline and town_ranking (whole rows on the small
export set), and the demo's weekly figures against `python -m warehouse figures`."""

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.page_queries_support import D, d, rows
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.weeks import DispatchWeeks, Week

DEMO_AS_OF = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "as_of,this_week,last_week,last_standing,labels",
    [
        # a Monday: this week is that one day; last week the whole week before
        (
            d(2026, 11, 16),
            (d(2026, 11, 16), d(2026, 11, 16)),
            (d(2026, 11, 9), d(2026, 11, 15)),
            d(2026, 11, 15),
            ("2026年第47周", "11月16日—11月16日"),
        ),
        # a Sunday: the whole week up to it
        (
            d(2026, 11, 22),
            (d(2026, 11, 16), d(2026, 11, 22)),
            (d(2026, 11, 9), d(2026, 11, 15)),
            d(2026, 11, 15),
            ("2026年第47周", "11月16日—11月22日"),
        ),
        # across a year end: the week of 2 January starts in December; no standing of 2026 last Sunday
        (
            d(2026, 1, 2),
            (d(2025, 12, 29), d(2026, 1, 2)),
            (d(2025, 12, 22), d(2025, 12, 28)),
            None,
            ("2026年第1周", "2025年12月29日—2026年1月2日"),
        ),
        # the first Monday after it: last week straddles the year end, its Sunday is in the new year
        (
            d(2026, 1, 5),
            (d(2026, 1, 5), d(2026, 1, 5)),
            (d(2025, 12, 29), d(2026, 1, 4)),
            d(2026, 1, 4),
            ("2026年第2周", "1月5日—1月5日"),
        ),
        # 31 December on a Wednesday
        (
            d(2025, 12, 31),
            (d(2025, 12, 29), d(2025, 12, 31)),
            (d(2025, 12, 22), d(2025, 12, 28)),
            d(2025, 12, 28),
            ("2026年第1周", "12月29日—12月31日"),
        ),
    ],
)
def test_week_arithmetic(as_of, this_week, last_week, last_standing, labels):
    weeks = DispatchWeeks.at(as_of)
    assert (weeks.this_week.start, weeks.this_week.end) == this_week
    assert (weeks.last_week.start, weeks.last_week.end) == last_week
    assert weeks.last_week.start.weekday() == 0 and weeks.last_week.end.weekday() == 6
    assert weeks.year_start == dt.date(as_of.year, 1, 1)
    assert weeks.last_standing_date == last_standing
    assert (weeks.this_week.iso_label, weeks.this_week.span_label) == labels
    assert weeks.days_left == (dt.date(as_of.year, 12, 31) - as_of).days
    assert weeks.params() == {
        "this_from": this_week[0],
        "this_to": this_week[1],
        "last_from": last_week[0],
        "last_to": last_week[1],
    }


def test_every_day_of_a_year_falls_in_exactly_one_week():
    day = dt.date(2024, 12, 30)
    while day <= dt.date(2027, 1, 3):
        week = Week.holding(day)
        assert week.start <= day <= week.end and week.start.weekday() == 0 and (week.end - week.start).days == 6
        day += dt.timedelta(days=1)


def headline(wh, as_of, year=None, **filters):
    scope = Scope.for_year(year or as_of.year, as_of, **filters)
    return wh.run("weekly_headline", **scope.params(), **DispatchWeeks.at(scope.as_of).params())


def test_weekly_headline_small(small):
    # 2025-06-01 is a Sunday: this week 05-26..06-01 holds D2's acquisition (20.1234 亩);
    # last week 05-19..05-25 holds Y1's closing (05-20). Day 152 of 365: 序时进度 41.64%.
    cols = (
        "figure",
        "unit",
        "this_week",
        "last_week",
        "change",
        "ytd",
        "task_metric",
        "target",
        "rate_pct",
        "time_elapsed_pct",
        "is_behind",
        "handover_rate_pct",
        "handover_target_pct",
    )
    got = rows(headline(small, d(2025, 6, 1)), *cols)
    zero = D("0.0000")
    assert got == [
        dict(zip(cols, r))
        for r in [
            (
                "征地面积",
                "亩",
                D("20.1234"),
                zero,
                D("20.1234"),
                D("30.6234"),
                "征地面积(亩)",
                D("100"),
                30.62,
                41.64,
                True,
                None,
                None,
            ),
            ("签约户数", "户", zero, zero, zero, D("1"), "房屋征收户数", None, None, 41.64, None, None, None),
            (
                "签约面积",
                "㎡",
                zero,
                zero,
                zero,
                D("120.5"),
                "房屋征收面积(㎡)",
                D("1000"),
                12.05,
                41.64,
                True,
                None,
                None,
            ),
            (
                "用地报批面积",
                "亩",
                zero,
                zero,
                zero,
                D("10.5"),
                "用地报批面积(亩)",
                None,
                None,
                41.64,
                None,
                None,
                None,
            ),
            ("兑付金额", "元", zero, zero, zero, D("300000"), None, None, None, None, None, None, None),
            ("接房套数", "套", zero, zero, zero, D("1"), None, None, None, None, None, D("100"), None),
            ("新增信访", "件", zero, zero, zero, D("2"), None, None, None, None, None, None, None),
            ("办结信访", "件", zero, zero, zero, D("2"), None, None, None, None, None, None, None),
            ("尾欠户签约", "户", zero, zero, zero, zero, "尾欠户签约数", None, None, 41.64, None, None, None),
            ("隐患销号", "条", zero, D("1"), D("-1"), D("1"), None, None, None, None, None, None, None),
        ]
    ]


@pytest.mark.parametrize(
    "as_of,figure,this_week,last_week",
    [
        (d(2025, 4, 1), "征地面积", D("10.5"), D("0")),  # D1 acquired on Tuesday 04-01; D is that day
        (d(2025, 4, 6), "征地面积", D("10.5"), D("0")),  # the Sunday of that week
        (d(2025, 4, 7), "征地面积", D("0"), D("10.5")),  # the next Monday: now last week's
        (d(2025, 2, 15), "兑付金额", D("300000"), D("0")),  # F1 paid on Saturday 02-15
        (d(2025, 3, 20), "办结信访", D("1"), D("0")),  # C1 closed Thursday 03-20
        (d(2025, 3, 5), "新增信访", D("0"), D("1")),  # C1 received Saturday 03-01: last week
    ],
)
def test_a_day_counts_in_its_own_week(small, as_of, figure, this_week, last_week):
    row = headline(small, as_of).set_index("figure").loc[figure]
    assert (row["this_week"], row["last_week"], row["change"]) == (this_week, last_week, this_week - last_week)


def test_a_town_filter_reaches_the_headline(small):
    row = headline(small, d(2025, 6, 1), township="东城街道").set_index("figure").loc["征地面积"]
    assert (row["this_week"], row["ytd"], row["target"], row["rate_pct"]) == (D("0"), D("10.5"), D("40"), 26.25)


def test_town_ranking_small(small):
    # Only 东城街道 has a 征地 target (40 亩): 10.5 亩 = 26.25%, first of one; 水江镇 has none, so it
    # is not ranked, whatever its area. The other tasks have no town target: ranked on share.
    scope = Scope.for_year(2025, d(2025, 6, 1))
    ranking = small.run("town_ranking", **scope.params(), last_to=d(2025, 5, 25))
    cols = (
        "metric",
        "township",
        "actual",
        "target",
        "rate_pct",
        "share_pct",
        "basis",
        "rank",
        "towns_ranked",
        "tied",
        "towns_behind",
        "last_rank",
        "rank_change",
    )
    got = rows(ranking, *cols)
    assert got[:4] == [
        dict(zip(cols, r))
        for r in [
            ("征地面积(亩)", "东城街道", D("10.5"), D("40"), 26.25, 34.29, "完成率", 1, 1, False, 0, 1, 0),
            ("征地面积(亩)", "水江镇", D("20.1234"), None, None, 65.71, "完成率", None, 1, None, None, None, None),
            ("用地报批面积(亩)", "东城街道", D("10.5"), None, None, 100.0, "占全区比重", 1, 2, False, 1, 1, 0),
            ("用地报批面积(亩)", "水江镇", D("0"), None, None, 0.0, "占全区比重", 2, 2, False, 0, 2, 0),
        ]
    ]
    assert [r["metric"] for r in got] == [
        m
        for m in (
            "征地面积(亩)",
            "用地报批面积(亩)",
            "房屋征收户数",
            "房屋征收面积(㎡)",
            "接房率(%)",
            "安置项目交付数",
            "尾欠户签约数",
        )
        for _ in range(2)
    ]
    # 接房率: 东城街道's site handed over U1 of the one allocated unit (100%); 水江镇 has no site: not ranked.
    handover = [r for r in got if r["metric"] == "接房率(%)"]
    assert [(r["township"], r["actual"], r["basis"], r["rank"]) for r in handover] == [
        ("东城街道", D("100"), "接房率", 1),
        ("水江镇", None, "接房率", None),
    ]
    # A sector filter drops the town targets: 征地 then ranks on share.
    by_sector = small.run("town_ranking", **scope.with_filters(sector="基础设施").params(), last_to=None)
    land = rows(by_sector[by_sector["metric"] == "征地面积(亩)"], "township", "basis", "rank", "last_rank")
    assert land == [
        {"township": "东城街道", "basis": "占全区比重", "rank": 1, "last_rank": None},
        {"township": "水江镇", "basis": "占全区比重", "rank": 2, "last_rank": None},
    ]


# ---- the demo: weekly figures are differences of `python -m warehouse figures` -----------------


def figures_cli(warehouse, as_of: dt.date, township: str | None = None) -> dict:
    town = ["--township", township] if township else []
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "warehouse",
            "figures",
            "--year",
            str(as_of.year),
            "--as-of",
            as_of.isoformat(),
            "--warehouse",
            str(warehouse),
            *town,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.stdout)


FIGURE_KEYS = {
    "征地面积": "land_acquired_mu",
    "签约户数": "households_signed",
    "签约面积": "house_signed_m2",
    "用地报批面积": "land_approved_mu",
    "尾欠户签约": "holdouts_signed",
}


def test_demo_this_week_is_the_growth_of_the_year_to_date(demo_warehouse):
    weeks = DispatchWeeks.at(DEMO_AS_OF)
    now, last_sunday = figures_cli(demo_warehouse, DEMO_AS_OF), figures_cli(demo_warehouse, weeks.last_week.end)
    before = figures_cli(demo_warehouse, weeks.last_week.start - dt.timedelta(days=1))
    with Warehouse(demo_warehouse) as wh:
        table = headline(wh, DEMO_AS_OF).set_index("figure")
    for figure, key in FIGURE_KEYS.items():
        assert table.at[figure, "ytd"] == Decimal(str(now[key])), figure
        assert table.at[figure, "this_week"] == Decimal(str(now[key])) - Decimal(str(last_sunday[key])), figure
        assert table.at[figure, "last_week"] == Decimal(str(last_sunday[key])) - Decimal(str(before[key])), figure
    paid = lambda f: sum(Decimal(v) for v in f["paid_yuan"].values())  # noqa: E731
    assert table.at["兑付金额", "ytd"] == paid(now)
    assert table.at["兑付金额", "this_week"] == paid(now) - paid(last_sunday)
    assert table.at["接房套数", "handover_rate_pct"] == Decimal(str(now["handover_rate_pct"]))
    assert table.at["征地面积", "rate_pct"] == now["land_rate_pct"]
    # The seed demo runs to Friday 2026-11-20: 24.5027 亩 acquired this week, 15.5027 the week before.
    assert (table.at["征地面积", "this_week"], table.at["征地面积", "last_week"]) == (D("24.5027"), D("15.5027"))


def test_demo_week_across_the_year_end(demo_warehouse):
    """The week of 2026-01-02 counts 2025-12-29..31 too; 本年累计 only 2026's two days."""
    with Warehouse(demo_warehouse) as wh:
        old_year = headline(wh, d(2025, 12, 31)).set_index("figure")
        new_year = headline(wh, d(2026, 1, 2)).set_index("figure")
    for figure in new_year.index:
        assert new_year.at[figure, "this_week"] == old_year.at[figure, "this_week"] + new_year.at[figure, "ytd"], figure
        assert new_year.at[figure, "last_week"] == old_year.at[figure, "last_week"], figure
    assert old_year.at["兑付金额", "this_week"] == D("2625114.38")


def test_demo_rank_changes_are_last_sundays_ranks(demo_warehouse):
    weeks = DispatchWeeks.at(DEMO_AS_OF)
    scope = Scope.for_year(2026, DEMO_AS_OF)
    with Warehouse(demo_warehouse) as wh:
        now = wh.run("town_ranking", **scope.params(), last_to=weeks.last_standing_date)
        then = wh.run("town_ranking", **Scope.for_year(2026, weeks.last_week.end).params(), last_to=None)
        tasks = wh.run("annual_tasks", **scope.params()).set_index("metric")
    merged = now.merge(then[["metric", "township", "rank"]], on=["metric", "township"], suffixes=("", "_then"))
    assert len(merged) == len(now) == 14 * 7
    # a town not ranked (no target, no 接房率) is NaN on both sides
    pd.testing.assert_series_equal(merged["last_rank"], merged["rank_then"], check_names=False)
    pd.testing.assert_series_equal(merged["rank_change"], merged["rank_then"] - merged["rank"], check_names=False)
    land = now[now["metric"] == "征地面积(亩)"]
    # every town has a 2026 征地 target: ranked on 完成率, best first, and the towns add up to the district
    assert list(land["basis"].unique()) == ["完成率"]
    assert list(land["rate_pct"]) == sorted(land["rate_pct"], reverse=True)
    assert sum(land["actual"]) == tasks.at["征地面积(亩)", "actual"]
    assert list(land["township"][:3]) == ["大观镇", "南城街道", "三泉镇"]

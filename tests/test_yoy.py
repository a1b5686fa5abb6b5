"""同比（较去年同期）: one definition of the same period last year (Scope.same_period_last_year), the
change (增减, 增幅) and the way a card writes it, and 总览's cards and monthly trend on the demo data,
held against sums taken straight from the clean ledgers."""

import datetime as dt
from decimal import Decimal as D

import duckdb
import pytest

from display import formatting
from display.views import overview
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds
from warehouse.yoy import Change

DEMO_AS_OF = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "year,as_of,expected",
    [
        # a year to D: 1 January to D, a year back
        (2026, DEMO_AS_OF, (2025, dt.date(2025, 1, 1), dt.date(2025, 11, 20), dt.date(2025, 11, 20))),
        # 29 February, which 2027 has not, is 28 February
        (2028, dt.date(2028, 2, 29), (2027, dt.date(2027, 1, 1), dt.date(2027, 2, 28), dt.date(2027, 2, 28))),
        # 28 February of the year after a leap year stays 28 February: 29 February 2024 is not in it
        (2025, dt.date(2025, 2, 28), (2024, dt.date(2024, 1, 1), dt.date(2024, 2, 28), dt.date(2024, 2, 28))),
        # a year that has ended reads to 31 December: last year's whole year
        (2025, None, (2024, dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))),
    ],
)
def test_the_same_period_last_year(year, as_of, expected):
    scope = Scope.for_year(year, DEMO_AS_OF, as_of=as_of, township="东城街道", sector="基础设施", key_only=True)
    last = scope.same_period_last_year()
    assert (last.year, last.date_from, last.date_to, last.as_of) == expected
    assert (last.townships, last.sector, last.key_only, last.project) == (("东城街道",), "基础设施", True, None)


@pytest.mark.parametrize(
    "current,last,delta,growth,written",
    [
        (D("1234.5678"), D("1000.0000"), D("234.5678"), D("23.46"), "增长 23.46%"),
        (D("879.2100"), D("1756.3936"), D("-877.1836"), D("-49.94"), "下降 49.94%"),
        # half up, as every rate: 0.125% → 0.13%, −0.125% → −0.13% (not to the even 0.12)
        (D("200.25"), D("200"), D("0.25"), D("0.13"), "增长 0.13%"),
        (D("199.75"), D("200"), D("-0.25"), D("-0.13"), "下降 0.13%"),
        (D("100000.01"), D("100000.00"), D("0.01"), D("0.00"), "持平"),
        # nothing last year: no 增幅, the change still exact
        (D("647"), D("0"), D("647"), None, "—"),
        (D("0"), D("0"), D("0"), None, "—"),
    ],
)
def test_the_change_and_how_it_reads(current, last, delta, growth, written):
    change = Change(current, last)
    assert (change.delta, change.growth_pct) == (delta, growth)
    assert formatting.growth(change.growth_pct) == written


def test_a_card_line_names_last_years_figure_and_why_there_is_no_growth():
    assert (
        overview.versus_last_year("1,756.39 亩", ("", Change(D("879.21"), D("1756.3936"))))
        == "较去年同期 下降 49.94%（去年同期 1,756.39 亩）"
    )
    assert (
        overview.versus_last_year("0 套", ("", Change(D("119"), D("0")))) == "较去年同期 —（去年同期 0 套，不计增幅）"
    )
    assert (
        overview.versus_last_year("4 户 · 0.05 万㎡", ("户数", Change(D(8), D(4))), ("面积", Change(D(400), D(500))))
        == "较去年同期 户数增长 100.00%、面积下降 20.00%（去年同期 4 户 · 0.05 万㎡）"
    )


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    with Warehouse(demo_warehouse) as wh, duckdb.connect(str(demo_warehouse), read_only=True) as db:
        generation = wh.snapshot()
        yield (lambda name, **params: generation.run(name, params)), db


def ledger_sums(db, date_from, date_to, town=None) -> dict:
    """The card figures for a date range, summed straight from the clean ledgers (no named query)."""
    town_sql = "AND township = $town" if town else ""

    def one(sql):
        params = {"f": date_from, "t": date_to} | ({"town": town} if town else {})
        return db.execute(sql.format(town=town_sql), params).fetchone()

    land = one("SELECT coalesce(sum(area_mu), 0) FROM clean.parcels WHERE acquired_date BETWEEN $f AND $t {town}")
    house = one(
        "SELECT count(*), coalesce(sum(signed_m2), 0) FROM clean.households WHERE signed_date BETWEEN $f AND $t {town}"
    )
    paid = one("SELECT coalesce(sum(amount_yuan), 0) FROM clean.payments WHERE paid_date BETWEEN $f AND $t {town}")
    units = one("SELECT count(*) FROM clean.resettlement_units WHERE handover_date BETWEEN $f AND $t {town}")
    visits = one(
        "SELECT coalesce(sum(persons), 0) FROM clean.petitions WHERE channel = '来访' AND received_date BETWEEN $f AND $t {town}"
    )
    return {
        "land": land[0],
        "households": house[0],
        "m2": house[1],
        "paid": paid[0],
        "units": units[0],
        "visits": visits[0],
    }


def growth(current, last) -> str:
    if last == 0:
        return "—"
    percent = (D(current) - D(last)) * 100 / D(last)
    return formatting.growth(percent)


def compare_lines(query, scope) -> dict[str, str]:
    return {card.label: card.compare for row in overview.headline(query, scope, Thresholds()) for card in row}


def test_the_cards_set_this_year_beside_last_years_same_period(demo):
    query, db = demo
    now = ledger_sums(db, dt.date(2026, 1, 1), DEMO_AS_OF)
    then = ledger_sums(db, dt.date(2025, 1, 1), dt.date(2025, 11, 20))
    assert then["land"] > 0 and then["paid"] > 0  # the demo has last year's figures to compare with
    shown = compare_lines(query, Scope.for_year(2026, DEMO_AS_OF))
    house_then = f"{formatting.count(then['households'], '户')} · {formatting.m2(then['m2'], wan=True)}"
    assert shown == {
        "征地完成面积": f"较去年同期 {growth(now['land'], then['land'])}（去年同期 {formatting.mu(then['land'])}）",
        "房屋征收": f"较去年同期 户数{growth(now['households'], then['households'])}、"
        f"面积{growth(now['m2'], then['m2'])}（去年同期 {house_then}）",
        "用地报批": "",
        "接房率": f"年内接房 {now['units']} 套 · 较去年同期 {growth(now['units'], then['units'])}"
        f"（去年同期 {then['units']} 套）",
        "兑付金额": f"较去年同期 {growth(now['paid'], then['paid'])}（去年同期 {formatting.yuan(then['paid'])}）",
        "信访": f"来访较去年同期 {growth(now['visits'], then['visits'])}（去年同期 {then['visits']} 人次）",
        "尾欠户": "",
        "安置项目交付": "",
    }
    # the demo's figures, as a reader checks them: 879.21 亩 this year against 1,756.39 亩
    assert shown["征地完成面积"] == "较去年同期 下降 49.94%（去年同期 1,756.39 亩）"
    assert shown["兑付金额"] == "较去年同期 下降 61.61%（去年同期 3.19 亿元）"


def test_nothing_last_year_reads_a_dash_with_its_reason(demo):
    """大观镇 handed over its first units in 2026; the demo's 信访 ledger starts in 2024."""
    query, db = demo
    town = compare_lines(query, Scope.for_year(2026, DEMO_AS_OF, township="大观镇"))
    units = ledger_sums(db, dt.date(2026, 1, 1), DEMO_AS_OF, town="大观镇")["units"]
    assert units > 0
    assert town["接房率"] == f"年内接房 {units} 套 · 较去年同期 —（去年同期 0 套，不计增幅）"
    first = compare_lines(query, Scope.for_year(2024, DEMO_AS_OF))
    assert first["信访"] == "来访较去年同期 —（去年同期 0 人次，不计增幅）"


def test_a_leap_day_compares_with_28_february(demo):
    """D = 29 February 2024: last year's same period is 1 January to 28 February 2023."""
    query, db = demo
    shown = compare_lines(query, Scope.for_year(2024, DEMO_AS_OF, as_of=dt.date(2024, 2, 29)))
    now = ledger_sums(db, dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    then = ledger_sums(db, dt.date(2023, 1, 1), dt.date(2023, 2, 28))
    leap_day = ledger_sums(db, dt.date(2024, 2, 29), dt.date(2024, 2, 29))["paid"]
    assert leap_day > 0 and then["paid"] > 0  # the day counts this year, and last year has none
    assert shown["兑付金额"] == (
        f"较去年同期 {growth(now['paid'], then['paid'])}（去年同期 {formatting.yuan(then['paid'])}）"
    )


def monthly_sums(db, column_sql, table, date_column, date_from, date_to) -> dict[int, D]:
    rows = db.execute(
        f"SELECT month({date_column}), sum({column_sql}) FROM clean.{table} "
        f"WHERE {date_column} BETWEEN $f AND $t GROUP BY 1",
        {"f": date_from, "t": date_to},
    ).fetchall()
    return dict(rows)


@pytest.mark.parametrize(
    "chosen,table,date_column,value_sql,to_plot",
    [
        ("征地面积（亩）", "parcels", "acquired_date", "area_mu", float),
        ("兑付金额（万元）", "payments", "paid_date", "amount_yuan", lambda v: float(D(v) / 10000)),
        ("接房套数（套）", "resettlement_units", "handover_date", "1", float),
        ("新增信访（件）", "petitions", "received_date", "1", float),
    ],
)
def test_the_trend_draws_last_years_same_months_beside_this_years(demo, chosen, table, date_column, value_sql, to_plot):
    query, db = demo
    fig = overview.trend(query, Scope.for_year(2026, DEMO_AS_OF), chosen)
    bars, line = fig.data
    assert (bars.type, bars.name, line.type, line.name) == ("bar", "2026年", "scatter", "2025年同期")
    now = monthly_sums(db, value_sql, table, date_column, dt.date(2026, 1, 1), DEMO_AS_OF)
    then = monthly_sums(db, value_sql, table, date_column, dt.date(2025, 1, 1), dt.date(2025, 11, 20))
    assert list(bars.y) == [to_plot(now.get(m, 0)) for m in range(1, 13)]
    # last year only up to the same day: January to November, November cut at the 20th
    assert list(line.x) == [f"{m}月" for m in range(1, 12)]
    assert list(line.y) == [to_plot(then.get(m, 0)) for m in range(1, 12)]
    assert [c[0] for c in line.customdata] == [f"2025-{m:02d}" for m in range(1, 12)]
    assert [c[0] for c in bars.customdata] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert all(s.showlegend for s in fig.data)
    assert fig.layout.title.subtitle.text.endswith("口径：按事件日期计月；去年同期计至2025年11月20日")


def test_money_reads_in_wan_yuan_on_the_axis_and_exactly_on_the_bars(demo):
    query, db = demo
    fig = overview.trend(query, Scope.for_year(2026, DEMO_AS_OF), "兑付金额（万元）")
    assert fig.layout.yaxis.title.text == "万元"
    assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands  # not "10M"
    march = db.execute(
        "SELECT sum(amount_yuan) FROM clean.payments WHERE paid_date BETWEEN '2025-03-01' AND '2025-03-31'"
    ).fetchone()[0]
    assert fig.data[1].customdata[2][1] == formatting.yuan(march)


def test_a_point_on_last_years_line_opens_last_years_month(demo):
    query, db = demo
    scope = Scope.for_year(2026, DEMO_AS_OF)
    heading, rows = overview.month_rows(query, scope, "兑付金额（万元）", "2025-11")
    expected = db.execute(
        "SELECT count(*), sum(amount_yuan) FROM clean.payments WHERE paid_date BETWEEN '2025-11-01' AND '2025-11-20'"
    ).fetchone()
    assert heading == "2025年11月兑付金额明细"
    assert (len(rows), sum(rows["金额(元)"])) == expected
    heading, rows = overview.month_rows(query, scope, "兑付金额（万元）", "2026-11")
    assert heading == "2026年11月兑付金额明细" and all(str(d).startswith("2026-11") for d in rows["兑付日期"])

"""The briefing paragraph: every number in it read back and checked against
`python -m warehouse figures` (run as the command line, as a briefing writer would)."""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from display import briefing
from tests.test_weekly import figures_cli
from warehouse import dispatch
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds
from warehouse.weeks import DispatchWeeks


def write(warehouse, as_of: dt.date, **filters) -> tuple[str, dispatch.DispatchData]:
    scope = Scope.for_year(as_of.year, as_of, **filters)
    with Warehouse(warehouse) as wh:
        data = dispatch.assemble(lambda name, **p: wh.run(name, **p), scope, Thresholds())
    return briefing.paragraph(
        data.headline,
        data.handed_over_units,
        data.summary,
        data.warnings,
        data.weeks,
        "、".join(scope.townships) if scope.townships else None,
    ), data


def grab(pattern: str, text: str) -> tuple[str, ...]:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text}"
    return found.groups()


def wan(yuan: Decimal) -> Decimal:
    return (yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("as_of", [dt.date(2026, 11, 20), dt.date(2025, 12, 31)])
def test_every_number_is_the_figures_commands(demo_warehouse, as_of):
    text, data = write(demo_warehouse, as_of)
    now = figures_cli(demo_warehouse, as_of)
    last_sunday = figures_cli(demo_warehouse, DispatchWeeks.at(as_of).last_week.end)
    D = lambda v: Decimal(str(v))  # noqa: E731
    assert text.startswith(f"截至{as_of.month}月{as_of.day}日，本年累计完成征地")
    land, land_rate, elapsed = grab(r"本年累计完成征地([\d.]+)亩，达年度任务的([\d.]+)%（序时进度([\d.]+)%）", text)
    assert (D(land), float(land_rate)) == (D(now["land_acquired_mu"]), now["land_rate_pct"])
    assert float(elapsed) == float(data.tasks["time_elapsed_pct"].iloc[0])
    grown = D(now["land_acquired_mu"]) - D(last_sunday["land_acquired_mu"])
    if grown:
        assert D(grab(r"较上周增加([\d.]+)亩", text)[0]) == grown
    households, m2, rate_h, rate_m2 = grab(
        r"完成房屋征收(\d+)户、([\d.]+)平方米，分别达年度任务的([\d.]+)%、([\d.]+)%", text
    )
    assert (int(households), D(m2), float(rate_m2)) == (
        now["households_signed"],
        D(now["house_signed_m2"]),
        now["house_rate_pct"],
    )
    assert D(grab(r"完成用地报批([\d.]+)亩", text)[0]) == D(now["land_approved_mu"])
    paid = sum(D(v) for v in now["paid_yuan"].values())
    assert D(grab(r"兑付资金([\d.]+)万元", text)[0]) == wan(paid)
    this_week_paid = paid - sum(D(v) for v in last_sunday["paid_yuan"].values())
    assert D(grab(r"本周兑付([\d.]+)万元", text)[0]) == wan(this_week_paid)
    handed, rate, target = grab(r"累计接房(\d+)套，接房率([\d.]+)%（目标([\d.]+)%）", text)
    assert (int(handed), D(rate), D(target)) == (
        now["handed_over_units"],
        D(now["handover_rate_pct"]).quantize(Decimal("0.1")),
        D(now["handover_target_pct"]),
    )
    assert int(grab(r"尾欠户签约(\d+)户", text)[0]) == now["holdouts_signed"]
    assert int(grab(r"本年累计销号(\d+)条", text)[0]) == int(data.headline.set_index("figure").at["隐患销号", "ytd"])
    total, red, yellow = grab(r"当前预警(\d+)条（红色(\d+)条、黄色(\d+)条）", text)
    assert (int(total), int(red), int(yellow)) == (
        data.summary["total"].sum(),
        data.summary["red"].sum(),
        data.summary["yellow"].sum(),
    )
    assert "None" not in text and "nan" not in text


def test_the_demo_paragraph_of_20_november(demo_warehouse):
    text, _ = write(demo_warehouse, dt.date(2026, 11, 20))
    assert text.startswith(
        "截至11月20日，本年累计完成征地879.21亩，达年度任务的87.92%（序时进度88.77%），较上周增加24.5027亩；"
        "完成房屋征收85户、17816.54平方米，分别达年度任务的106.25%、89.08%，本周签约1户、134.9平方米；"
        "完成用地报批742.3952亩，达年度任务的82.49%，本周无新增；兑付资金12226.26万元，本周兑付300.44万元；"
        "累计接房5995套，接房率86.90%（目标90%），本年接房647套、本周9套；"
    )
    assert (
        "征地面积、用地报批面积、尾欠户签约低于序时进度。当前预警79条（红色63条、黄色16条）：任务滞后3项，资金卡滞24笔，"
        "安置逾期2个，信访超期13件，隐患逾期10条，尾欠户滞留16户，先付后签2笔，超协议兑付2户，过渡费超发2笔，违规交房2套，"
        "先拆后补3户。" in text
    )
    assert "持续最久的红色预警：安置逾期：兴隆镇安置还房小区（已1239天）；信访超期：来访，过渡安置费，金山镇" in text


def test_a_town_paragraph_names_its_scope(demo_warehouse):
    town = "东城街道"
    text, data = write(demo_warehouse, dt.date(2026, 11, 20), township=town)
    figures = figures_cli(demo_warehouse, dt.date(2026, 11, 20), town)
    assert text.startswith(f"截至11月20日，{town}范围内，本年累计完成征地")
    assert Decimal(grab(r"完成征地([\d.]+)亩", text)[0]) == Decimal(figures["land_acquired_mu"])


@pytest.mark.parametrize(
    "value,text",
    [
        (Decimal("879.2100"), "879.21"),
        (Decimal("2034.0000"), "2034"),
        (Decimal("24.5027"), "24.5027"),
        (Decimal("0.0000"), "0"),
        (Decimal("1E+3"), "1000"),
    ],
)
def test_exact_numbers_lose_nothing(value, text):
    assert briefing.exact(value) == text


@pytest.mark.parametrize(
    "yuan,text",
    [
        (Decimal("122262623.11"), "12226.26"),
        (Decimal("3004426.20"), "300.44"),
        (Decimal("50"), "0.01"),
        (Decimal("49.99"), "0.00"),
    ],
)
def test_money_in_wan_yuan(yuan, text):
    assert briefing.wan_yuan(yuan) == text

"""接房率's shortfall reads the same on 安置还房 and 周调度's 倒排进度: one numerator (units handed over
in sites delivered by D), one denominator (units allocated in those sites), from resettlement_summary.

The small export set plus a second site, S2, not delivered by D, where unit U3 was handed over
anyway (before its site's delivery). It counts in 累计接房套数, never in 接房率.
"""

import datetime as dt

import pytest

from display.views import dispatch as dispatch_view
from display.views import resettlement
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from tests.page_queries_support import rows
from warehouse.contract import LEDGER_BY_NAME
from warehouse.load.loader import load
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

D = dt.date(2025, 6, 1)  # S2's delivery, if any, is later


def _write(folder, changed: dict[str, list[dict]]):
    folder.mkdir(parents=True)
    for ledger, good in GOOD_ROWS.items():
        write_csv(folder / f"{LEDGER_BY_NAME[ledger].title}导出.csv", table(ledger, changed.get(ledger, good)))
    return folder


@pytest.fixture(scope="module", params=["2025-09-01", ""], ids=["delivered-after-D", "not-delivered"])
def early_handover(request, tmp_path_factory):
    """S1 (delivered before D): U1 handed over, U4 allocated and waiting, U2 free. S2 (delivered
    after D, or not yet): U3 allocated and handed over before D. 接房率 target 90%."""
    site = dict(GOOD_ROWS["resettlement_sites"][0], total_units="3")
    s2 = dict(
        site, site_id="S2", site_name="东城二期", delivered_date=request.param, planned_delivery_date="2025-12-31"
    )
    u1 = GOOD_ROWS["resettlement_units"][0]
    units = [
        *GOOD_ROWS["resettlement_units"],
        dict(u1, unit_id="U4", allocated_date="2025-04-01", handover_date=""),
        dict(u1, unit_id="U3", site_id="S2", allocated_date="2025-03-01", handover_date="2025-04-01"),
    ]
    targets = [*GOOD_ROWS["targets"], dict(year="2025", metric="接房率(%)", value="90", township="")]
    folder = tmp_path_factory.mktemp("early_handover")
    exports = _write(
        folder / "exports",
        {"resettlement_sites": [site, s2], "resettlement_units": units, "targets": targets},
    )
    result = load(exports, folder / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    with Warehouse(folder / "warehouse.duckdb") as wh:
        generation = wh.snapshot()
        yield lambda name, **params: generation.run(name, params)


def test_the_summary_keeps_the_rates_counts_apart_from_every_handover(early_handover):
    scope = Scope.for_year(2025, D)
    assert rows(early_handover("resettlement_summary", **scope.params())) == [
        {
            "resettlement_sites": 2,
            "sites_delivered_to_date": 1,
            "handed_over_units": 2,  # 累计接房: U1 and U3
            "allocated_units": 2,  # U1 and U4: S1 only
            "rate_handed_over_units": 1,  # U1
            "remaining_units": 1,  # U2
        }
    ]
    task = early_handover("annual_tasks", **scope.params()).set_index("metric").loc["接房率(%)"]
    assert (float(task["actual"]), float(task["target"])) == (50.0, 90.0)  # 1 ÷ 2, the same two counts


def test_both_pages_still_need_the_same_handovers(early_handover):
    # 90% of 2 allocated is 2 handed over: 1 more. 213 days to 31 December: 1 a week (never more
    # than the shortfall). The year's 2 handovers in 152 days: 0.09 a week, 76 days for the one left.
    scope, thresholds = Scope.for_year(2025, D), Thresholds()
    on_resettlement = resettlement.view(early_handover, scope, thresholds)["runrate"]
    on_dispatch = dispatch_view.week(early_handover, scope, thresholds)["runrate"].set_index("年度任务")
    assert on_resettlement == (
        "warning",
        "**还需每周接房 1 套**：距2025年接房率目标 90.00% 还差 1 套，距12月31日还有 213 天。"
        "按现有分配 2 套计算（假定年内不再新分配、不再新交付安置项目）。",
    )
    assert on_dispatch.loc["接房率(%)"].to_dict() == {
        "尚差": "1 套",
        "每周还需": "还需每周接房 1 套",
        "当前每周进度": "0.09 套",
        "按当前进度": "按当前进度预计8月16日完成",
    }

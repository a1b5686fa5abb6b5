"""周调度's 镇街排名: who is ranked, how ties read ("并列第1/7"), the gaps to the first place and to
the ranked towns' average, and the one mark rule (warehouse.status.for_rank).

Seven towns, one project each, read on Sunday 2025-06-01 (序时进度 41.64%); every event is
before last Sunday, so each rank is unchanged (持平) and an unranked town reads "—".
"""

import datetime as dt

import pytest

from display.views import dispatch as views
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse.contract import LEDGER_BY_NAME
from warehouse.load.loader import load
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

D = dt.date(2025, 6, 1)
TOWNS = ["东城街道", "水江镇", "南城街道", "三泉镇", "大观镇", "北城街道", "西江镇"]  # P1 … P7
# 征地 (each town's target 100 亩) and 用地报批 (no town target), 亩 in 2025
ACQUIRED = {"东城街道": 120, "水江镇": 120, "南城街道": 40, "三泉镇": 30, "大观镇": 10}
APPROVED = {"东城街道": 10, "水江镇": 10, "南城街道": 5}
SIGNED = {"东城街道": 3, "水江镇": 2, "南城街道": 1}  # households; only 东城街道 has a target: 500


def _exports(folder):
    p1, p2 = GOOD_ROWS["projects"]
    projects = [p1, p2] + [
        dict(p2, project_id=f"P{i}", project_name=f"{town}项目", township=town)
        for i, town in enumerate(TOWNS[2:], start=3)
    ]
    project_of = {town: f"P{i}" for i, town in enumerate(TOWNS, start=1)}
    parcels = [
        dict(
            GOOD_ROWS["parcels"][1],
            parcel_id=f"ACQ{town}",
            project_id=project_of[town],
            area_mu=str(mu),
            acquired_date="2025-04-10",
        )
        for town, mu in ACQUIRED.items()
    ] + [
        dict(
            GOOD_ROWS["parcels"][1],
            parcel_id=f"APP{town}",
            project_id=project_of[town],
            area_mu=str(mu),
            approved_date="2025-04-10",
            acquired_date="",
        )
        for town, mu in APPROVED.items()
    ]
    h1 = GOOD_ROWS["households"][0]
    households = [GOOD_ROWS["households"][1], h1] + [
        dict(h1, household_id=f"H{town}{n}", project_id=project_of[town], signed_date="2025-03-01", demolished_date="")
        for town, count in SIGNED.items()
        for n in range(count - (town == "东城街道"))  # H1 is 东城街道's first
    ]
    site = dict(GOOD_ROWS["resettlement_sites"][0], delivered_date="2024-12-20")  # none delivered in 2025
    targets = [t for t in GOOD_ROWS["targets"] if not t["township"]]
    targets += [dict(year="2025", metric="征地面积(亩)", value="100", township=town) for town in TOWNS]
    targets += [dict(year="2025", metric="尾欠户签约数", value="5", township=town) for town in TOWNS]
    targets += [dict(year="2025", metric="房屋征收户数", value="500", township="东城街道")]
    changed = {
        "projects": projects,
        "parcels": parcels,
        "households": households,
        "resettlement_sites": [site],
        "targets": targets,
    }
    folder.mkdir()
    for ledger, good in GOOD_ROWS.items():
        write_csv(folder / f"{LEDGER_BY_NAME[ledger].title}导出.csv", table(ledger, changed.get(ledger, good)))
    return folder


@pytest.fixture(scope="module")
def towns(tmp_path_factory):
    folder = tmp_path_factory.mktemp("towns")
    result = load(_exports(folder / "exports"), folder / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    with Warehouse(folder / "warehouse.duckdb") as wh:
        generation = wh.snapshot()
        yield lambda name, **params: generation.run(name, params)


def rate_rows(*rows):
    return [
        dict(zip(("排名", "镇街", "完成值", "目标", "完成率", "距第1名", "与平均比", "较上周", "标记"), r))
        for r in rows
    ]


def share_rows(*rows):
    return [
        dict(zip(("排名", "镇街", "完成值", "占全区比重", "距第1名", "与平均比", "较上周", "标记"), r)) for r in rows
    ]


CASES = {
    # nobody delivered a site, no town targets: all tied on a share of nothing, none ahead
    "all-zero-without-targets": (
        "安置项目交付数",
        "占全区比重",
        share_rows(*[("并列第1/7", town, "0 个", "—", "—", "等于平均", "持平", "无进展") for town in sorted(TOWNS)]),
    ),
    # nobody signed a holdout, every town has a target: all tied, all behind
    "all-zero-with-targets": (
        "尾欠户签约数",
        "完成率",
        rate_rows(
            *[("并列第1/7", town, "0 户", "5 户", "0.00%", "—", "等于平均", "持平", "靠后") for town in sorted(TOWNS)]
        ),
    ),
    # the only town with a target, at 0.6% of it: first of one, nobody to lead; the rest have no target
    "one-target-at-0.6%": (
        "房屋征收户数",
        "完成率",
        rate_rows(
            ("第1/1", "东城街道", "3 户", "500 户", "0.60%", "—", "等于平均", "持平", ""),
            ("—", "三泉镇", "0 户", "—", "—", "—", "—", "—", "无目标"),
            ("—", "北城街道", "0 户", "—", "—", "—", "—", "—", "无目标"),
            ("—", "南城街道", "1 户", "—", "—", "—", "—", "—", "无目标"),
            ("—", "大观镇", "0 户", "—", "—", "—", "—", "—", "无目标"),
            ("—", "水江镇", "2 户", "—", "—", "—", "—", "—", "无目标"),
            ("—", "西江镇", "0 户", "—", "—", "—", "—", "—", "无目标"),
        ),
    ),
    # ties share a place, the next is skipped; third place below 序时进度 does not lead; 0 done trails;
    # gaps in points of 完成率 from 120% and from the average 320/7 = 45.714…%
    "ties-with-targets": (
        "征地面积(亩)",
        "完成率",
        rate_rows(
            (
                "并列第1/7",
                "东城街道",
                "120.0000 亩",
                "100.0000 亩",
                "120.00%",
                "—",
                "高于平均 74.29 个百分点",
                "持平",
                "领先",
            ),
            (
                "并列第1/7",
                "水江镇",
                "120.0000 亩",
                "100.0000 亩",
                "120.00%",
                "—",
                "高于平均 74.29 个百分点",
                "持平",
                "领先",
            ),
            (
                "第3/7",
                "南城街道",
                "40.0000 亩",
                "100.0000 亩",
                "40.00%",
                "差 80.00 个百分点",
                "低于平均 5.71 个百分点",
                "持平",
                "",
            ),
            (
                "第4/7",
                "三泉镇",
                "30.0000 亩",
                "100.0000 亩",
                "30.00%",
                "差 90.00 个百分点",
                "低于平均 15.71 个百分点",
                "持平",
                "",
            ),
            (
                "第5/7",
                "大观镇",
                "10.0000 亩",
                "100.0000 亩",
                "10.00%",
                "差 110.00 个百分点",
                "低于平均 35.71 个百分点",
                "持平",
                "靠后",
            ),
            (
                "并列第6/7",
                "北城街道",
                "0.0000 亩",
                "100.0000 亩",
                "0.00%",
                "差 120.00 个百分点",
                "低于平均 45.71 个百分点",
                "持平",
                "靠后",
            ),
            (
                "并列第6/7",
                "西江镇",
                "0.0000 亩",
                "100.0000 亩",
                "0.00%",
                "差 120.00 个百分点",
                "低于平均 45.71 个百分点",
                "持平",
                "靠后",
            ),
        ),
    ),
    # on share: the first three with something done lead; towns with nothing done are 无进展, not 靠后;
    # gaps in 亩 (the order of the share) from 10 亩 and from the average 25/7 = 3.5714… 亩
    "ties-on-share": (
        "用地报批面积(亩)",
        "占全区比重",
        share_rows(
            ("并列第1/7", "东城街道", "10.0000 亩", "40.00%", "—", "高于平均 6.4286 亩", "持平", "领先"),
            ("并列第1/7", "水江镇", "10.0000 亩", "40.00%", "—", "高于平均 6.4286 亩", "持平", "领先"),
            ("第3/7", "南城街道", "5.0000 亩", "20.00%", "差 5.0000 亩", "高于平均 1.4286 亩", "持平", "领先"),
            *[
                ("并列第4/7", town, "0.0000 亩", "0.00%", "差 10.0000 亩", "低于平均 3.5714 亩", "持平", "无进展")
                for town in ["三泉镇", "北城街道", "大观镇", "西江镇"]
            ],
        ),
    ),
    # 接房率 without any target: one town has a rate, the others no delivered allocated unit
    "no-handover-base": (
        "接房率(%)",
        "接房率",
        [
            {
                "排名": "第1/1",
                "镇街": "东城街道",
                "完成值": "100.00%",
                "目标": "—",
                "完成率": "—",
                "距第1名": "—",
                "与平均比": "等于平均",
                "较上周": "持平",
                "标记": "",
            },
            *[
                {
                    "排名": "—",
                    "镇街": t,
                    "完成值": "—",
                    "目标": "—",
                    "完成率": "—",
                    "距第1名": "—",
                    "与平均比": "—",
                    "较上周": "—",
                    "标记": "无已分配房源",
                }
                for t in ["三泉镇", "北城街道", "南城街道", "大观镇", "水江镇", "西江镇"]
            ],
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_towns_place_and_mark(towns, case):
    metric, basis, expected = CASES[case]
    got_basis, chart, shown = views.ranking(towns, Scope.for_year(2025, D), Thresholds(), metric)
    assert got_basis == basis
    assert shown.to_dict("records") == expected
    # the chart reads the same places and marks
    assert list(chart.data[0].y) == [
        f"{r['排名']} {r['镇街']}" + (f"（{r['标记']}）" if r["标记"] else "") for r in expected
    ]

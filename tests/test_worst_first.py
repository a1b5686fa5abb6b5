"""Worst first (docs/metrics.md, 预警): every warning list red before yellow, then the longest open;
本周最需关注 is the first five of the one list, and the briefing names its first red rows."""

import datetime as dt

import pandas as pd
import pytest

from display import briefing, tables
from tests.demo_app_fixture import DEMO_URGENT
from warehouse import dispatch, warnings
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

AS_OF = dt.date(2026, 11, 20)


def rule_list(warning, *rows):
    """One rule's list as its query gives it: (entity_id, level, days_open) rows, in that order."""
    return pd.DataFrame(
        [
            dict(
                warning=warning,
                level=level,
                label=f"{warning} · {entity}",
                entity_id=entity,
                started_date=AS_OF - dt.timedelta(days=days),
                days_open=days,
            )
            for entity, level, days in rows
        ]
    )


def shown(listed):
    return [
        (r.warning, r.level, r.entity_id, r.started_date, r.days_open, r.source, r.source_row)
        for r in listed.itertuples()
    ]


def ago(days):
    return AS_OF - dt.timedelta(days=days)


@pytest.mark.parametrize(
    "found,expected",
    [
        pytest.param(  # a red 30 days old comes before a yellow 1239 days old; reds longest first
            {
                "资金卡滞": rule_list("资金卡滞", ("F1", "红", 400), ("F2", "红", 30)),
                "安置逾期": rule_list("安置逾期", ("S1", "黄", 1239)),
            },
            [
                ("资金卡滞", "红", "F1", ago(400), 400, "资金卡滞", 0),
                ("资金卡滞", "红", "F2", ago(30), 30, "资金卡滞", 1),
                ("安置逾期", "黄", "S1", ago(1239), 1239, "安置逾期", 0),
            ],
            id="red-30-before-yellow-1239",
        ),
        pytest.param(  # within a level the longest open first, whatever the rule
            {
                "资金卡滞": rule_list("资金卡滞", ("F1", "黄", 20), ("F2", "黄", 25)),
                "安置逾期": rule_list("安置逾期", ("S1", "黄", 22)),
                "信访超期": rule_list("信访超期", ("C1", "红", 61), ("C2", "红", 900)),
            },
            [
                ("信访超期", "红", "C2", ago(900), 900, "信访超期", 1),
                ("信访超期", "红", "C1", ago(61), 61, "信访超期", 0),
                ("资金卡滞", "黄", "F2", ago(25), 25, "资金卡滞", 1),
                ("安置逾期", "黄", "S1", ago(22), 22, "安置逾期", 0),
                ("资金卡滞", "黄", "F1", ago(20), 20, "资金卡滞", 0),
            ],
            id="by-days-across-rules",
        ),
        pytest.param(  # same level, same days: RULES' order, then the rule's own list order
            {
                "安置逾期": rule_list("安置逾期", ("S1", "红", 324)),
                "尾欠户滞留": rule_list("尾欠户滞留", ("H9", "红", 324), ("H2", "红", 324)),
                "先拆后补": rule_list("先拆后补", ("H5", "红", 324)),
            },
            [
                ("安置逾期", "红", "S1", ago(324), 324, "安置逾期", 0),
                ("尾欠户滞留", "红", "H9", ago(324), 324, "尾欠户滞留", 0),
                ("尾欠户滞留", "红", "H2", ago(324), 324, "尾欠户滞留", 1),
                ("先拆后补", "红", "H5", ago(324), 324, "先拆后补", 0),
            ],
            id="ties-keep-a-stable-key",
        ),
    ],
)
def test_the_one_list_is_worst_first(found, expected):
    assert shown(dispatch.merged(found)) == expected


def test_a_rules_own_list_is_worst_first():
    """A rule's list read through warnings: red first, then the longest; a tie keeps the query's order."""
    frames = {"q": rule_list("资金卡滞", ("F3", "黄", 16), ("F2", "红", 31), ("F1", "黄", 16), ("F4", "红", 45))}
    rows = warnings.Rule("资金卡滞", 2, "q").rows(lambda name, **params: frames[name], {})
    assert [(r.entity_id, r.level, r.days_open) for r in rows.itertuples()] == [
        ("F4", "红", 45),
        ("F2", "红", 31),
        ("F3", "黄", 16),
        ("F1", "黄", 16),
    ]
    assert list(rows.index) == [0, 1, 2, 3]  # positions: what a page's source_row points at


@pytest.fixture(scope="module")
def demo_week(demo_warehouse):
    with Warehouse(demo_warehouse) as wh:
        return dispatch.assemble(lambda name, **p: wh.run(name, **p), Scope.for_year(2026, AS_OF), Thresholds())


def test_the_demo_list_starts_with_its_longest_red_and_the_block_is_its_first_five(demo_week):
    listed = demo_week.warnings
    assert listed.iloc[0][["warning", "level", "entity_id", "days_open"]].tolist() == ["安置逾期", "红", "AZ-16", 1239]
    assert listed["days_open"].max() == 1239  # nothing open longer sits below it
    assert tables.most_urgent(listed).to_dict("records") == DEMO_URGENT


def test_the_briefing_names_the_first_red_rows_of_the_block(demo_week):
    text = briefing.paragraph(
        demo_week.headline, demo_week.handed_over_units, demo_week.summary, demo_week.warnings, demo_week.weeks
    )
    block = tables.most_urgent(demo_week.warnings)
    red = block[block["级别"] == "红"].head(briefing.TOP_WARNINGS).to_dict("records")
    assert red == DEMO_URGENT[:3]  # the block's first rows are its red ones
    named = "；".join(f"{r['预警类型']}：{r['对象'].replace(' · ', '，')}（已{r['已持续(天)']}天）" for r in red)
    assert text.endswith(f"持续最久的红色预警：{named}。")

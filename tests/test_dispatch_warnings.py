"""Every early-warning rule of docs/metrics.md at its thresholds (one day or point either side), and
the 周调度's one list of open warnings: worst first, each row traceable to its record."""

import datetime as dt

import pytest

from tests.exports_fixture import write_good_set
from tests.page_queries_support import THRESHOLDS, d
from warehouse import dispatch, warnings
from warehouse.load.loader import load
from warehouse.runner import Warehouse
from warehouse.scope import Scope


def levels(wh, name, as_of, **thresholds):
    """A rule's (entity, level) rows on day as_of; name: its list query, or its rule name."""
    scope = Scope.for_year(as_of.year, as_of)
    run = lambda query, **p: wh.run(query, **p)  # noqa: E731
    if name in warnings.RULE_BY_NAME:
        return [
            (r.entity_id, r.level)
            for r in warnings.RULE_BY_NAME[name].rows(run, scope.params() | thresholds).itertuples()
        ]
    return [(r.entity_id, r.level) for r in wh.run(name, **scope.params(), **thresholds).itertuples()]


STUCK = dict(stuck_yellow_days=15, stuck_red_days=30)


@pytest.mark.parametrize(
    "name,as_of,thresholds,expected",
    [
        # 资金卡滞: F3 applied 2025-04-01, never reviewed: waits at 初审 from 04-01. > 15 days 黄, > 30 红.
        ("warning_payments_stuck", d(2025, 4, 16), STUCK, [("F2", "红")]),  # F3: 15 days, not yet
        ("warning_payments_stuck", d(2025, 4, 17), STUCK, [("F2", "红"), ("F3", "黄")]),  # 16 days (F2 since 03-02)
        ("warning_payments_stuck", d(2025, 5, 1), STUCK, [("F2", "红"), ("F3", "黄")]),  # 30 days
        ("warning_payments_stuck", d(2025, 5, 2), STUCK, [("F2", "红"), ("F3", "红")]),  # 31 days
        # F2 waits at 复审 since its 初审 on 03-02: 15 days on 03-17, 16 on 03-18
        ("warning_payments_stuck", d(2025, 3, 17), STUCK, []),
        ("warning_payments_stuck", d(2025, 3, 18), STUCK, [("F2", "黄")]),
        # 安置逾期: S1 due 2024-12-31, delivered 2025-01-15. Overdue from 2025-01-01; red beyond the red days.
        ("warning_sites_overdue", d(2024, 12, 31), dict(overdue_red_days=1095), []),
        ("warning_sites_overdue", d(2025, 1, 1), dict(overdue_red_days=1095), [("S1", "黄")]),
        ("warning_sites_overdue", d(2025, 1, 10), dict(overdue_red_days=10), [("S1", "黄")]),  # 10 days: not > 10
        ("warning_sites_overdue", d(2025, 1, 11), dict(overdue_red_days=10), [("S1", "红")]),
        ("warning_sites_overdue", d(2025, 1, 15), dict(overdue_red_days=1095), []),  # delivered that day
        # 信访超期: C2 received 2025-04-01, closed 05-01; overdue when open more than N days.
        ("warning_petitions_overdue", d(2025, 4, 25), dict(petition_overdue_days=24), []),  # 24 days
        ("warning_petitions_overdue", d(2025, 4, 26), dict(petition_overdue_days=24), [("C2", "红")]),
        ("warning_petitions_overdue", d(2025, 5, 1), dict(petition_overdue_days=24), []),  # closed that day
        # 隐患逾期: Y1 due 2025-05-20, closed that day: never overdue; on the due day itself not yet.
        ("warning_hazards_overdue", d(2025, 5, 20), {}, []),
        ("warning_hazards_overdue", d(2025, 5, 21), {}, []),
        # 尾欠户滞留: H2 (holdout, unsigned) in P1, planned end 2026-06-30.
        ("warning_holdouts_stranded", d(2026, 6, 30), {}, []),
        ("warning_holdouts_stranded", d(2026, 7, 1), {}, [("H2", "红")]),
    ],
)
def test_rule_at_its_threshold(small, name, as_of, thresholds, expected):
    assert levels(small, name, as_of, **thresholds) == expected


def test_hazard_overdue_the_day_after_its_due_date(tmp_path):
    """Y1 reopened: not closed, due 05-20: overdue from 05-21, not on 05-20."""
    from tests.exports_fixture import GOOD_ROWS, table, write_csv

    folder = write_good_set(tmp_path / "exports")
    open_hazard = dict(GOOD_ROWS["hazards"][0], rectified_date="", rechecked_date="", closed_date="")
    write_csv(folder / "隐患整改台账导出.csv", table("hazards", [open_hazard]))
    assert load(folder, tmp_path / "w.duckdb").ok
    with Warehouse(tmp_path / "w.duckdb") as wh:
        assert levels(wh, "warning_hazards_overdue", d(2025, 5, 20)) == []
        assert levels(wh, "warning_hazards_overdue", d(2025, 5, 21)) == [("Y1", "红")]


@pytest.mark.parametrize(
    "yellow,red,expected",
    [
        # 2025-06-01: 征地 30.62% against 序时进度 41.64% lags 11.02 points; 房屋征收面积 12.05% lags 29.59.
        (11.02, 29.59, [("房屋征收面积(㎡)", "红"), ("征地面积(亩)", "黄")]),  # at the threshold: fires
        (11.03, 29.60, [("房屋征收面积(㎡)", "黄")]),  # a hundredth short: one level down
        (29.60, 40, []),
    ],
)
def test_task_lag_at_its_thresholds(small, yellow, red, expected):
    assert levels(small, "任务滞后", d(2025, 6, 1), lag_yellow_points=yellow, lag_red_points=red) == expected


def test_open_warnings_one_list_worst_first(small):
    scope = Scope.for_year(2025, d(2025, 6, 1))
    run = lambda name, **p: small.run(name, **p)  # noqa: E731
    summary = warnings.summary(run, scope.params() | THRESHOLDS)
    listed = dispatch.open_warnings(run, scope.params() | THRESHOLDS)
    assert [
        tuple(r)
        for r in listed[["warning", "level", "entity_id", "started_date", "days_open", "source"]].itertuples(
            index=False
        )
    ] == [  # red before yellow, then the longest open: a red 61 days before a yellow 152
        ("任务滞后", "红", "房屋征收面积(㎡)", d(2025, 1, 1), 152, "任务滞后"),
        ("资金卡滞", "红", "F2", d(2025, 3, 2), 91, "资金卡滞"),
        ("资金卡滞", "红", "F3", d(2025, 4, 1), 61, "资金卡滞"),
        ("任务滞后", "黄", "征地面积(亩)", d(2025, 1, 1), 152, "任务滞后"),
    ]
    assert len(listed) == summary["total"].sum()
    # each row leads back to its whole record in its rule's list
    for row in listed.itertuples():
        record = warnings.RULE_BY_NAME[row.source].rows(run, scope.params() | THRESHOLDS).iloc[row.source_row]
        assert (record["entity_id"], record["warning"]) == (row.entity_id, row.warning)


@pytest.mark.parametrize(
    "change,text", [(2, "上升2位"), (-1, "下降1位"), (0, "持平"), (None, "—"), (float("nan"), "—")]
)
def test_rank_change_text(change, text):
    assert dispatch.rank_change_text(change) == text


def test_demo_open_warnings_match_the_summary(demo_warehouse):
    scope = Scope.for_year(2026, dt.date(2026, 11, 20))
    with Warehouse(demo_warehouse) as wh:
        run = lambda name, **p: wh.run(name, **p)  # noqa: E731
        summary = warnings.summary(run, scope.params() | THRESHOLDS)
        listed = dispatch.open_warnings(run, scope.params() | THRESHOLDS)
    counts = listed.groupby("warning").size().to_dict()
    assert counts == {r.warning: r.total for r in summary.itertuples() if r.total}
    keys = [(level != "红", -days) for level, days in zip(listed["level"], listed["days_open"])]
    assert keys == sorted(keys)  # worst first
    assert list(summary["warning"]) == [
        "任务滞后",
        "资金卡滞",
        "安置逾期",
        "信访超期",
        "隐患逾期",
        "尾欠户滞留",
        "先付后签",
        "超协议兑付",
        "过渡费超发",
        "违规交房",
        "先拆后补",
    ]
    assert all(counts.get(w, 0) > 0 for w in summary["warning"])  # the demo shows every kind in 2026

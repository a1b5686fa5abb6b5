"""warehouse.status: one status per figure against its target, at the edges of each rule."""

import pytest

from warehouse import status, warnings
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds


@pytest.mark.parametrize(
    "metric,rate,elapsed,level,word",
    [
        ("征地面积(亩)", 147.49, 100.0, "绿", "正常"),
        ("征地面积(亩)", 88.77, 88.77, "绿", "正常"),
        ("征地面积(亩)", 80.0, 88.77, "绿", "略低于序时进度"),
        ("征地面积(亩)", 78.77, 88.77, "黄", "滞后"),
        ("征地面积(亩)", 68.78, 88.77, "黄", "滞后"),
        ("征地面积(亩)", 68.77, 88.77, "红", "严重滞后"),
        ("征地面积(亩)", None, 88.77, "灰", "无目标"),
        ("征地面积(亩)", float("nan"), 50.0, "灰", "无目标"),
        # 接房率 is a level to hold: 86.9% against 90% is 96.56% of target, ahead of 序时进度 but not there
        ("接房率(%)", 96.56, 88.77, "黄", "滞后"),
        ("接房率(%)", 96.56, 100.0, "红", "严重滞后"),
        ("接房率(%)", 100.0, 88.77, "绿", "正常"),
        ("接房率(%)", None, 88.77, "灰", "无目标"),
    ],
)
def test_task_status(metric, rate, elapsed, level, word):
    assert status.for_task(metric, rate, elapsed, Thresholds()) == status.Status(level, word)


def test_thresholds_move_the_edges():
    strict = Thresholds(lag_yellow_points=2, lag_red_points=5)
    assert status.for_task("征地面积(亩)", 86.0, 88.77, strict).word == "滞后"
    assert status.for_task("征地面积(亩)", 83.0, 88.77, strict).word == "严重滞后"


def ranked_town(rank, ranked, behind, actual=10, rate=None, target=None, metric="征地面积(亩)"):
    """A town_ranking row: its place among `ranked` towns, `behind` of them strictly below it."""
    return {"metric": metric, "rank": rank, "towns_ranked": ranked, "towns_behind": behind, "actual": actual,
            "target": target, "rate_pct": rate, "time_elapsed_pct": 88.77}  # fmt: skip


@pytest.mark.parametrize(
    "row,mark",
    [
        (ranked_town(1, 14, 13, rate=120, target=100), "领先"),
        (ranked_town(3, 14, 11, rate=88.77, target=100), "领先"),  # at 序时进度 exactly
        (ranked_town(3, 14, 11, rate=88.76, target=100), ""),  # a hair behind: third, but not ahead
        (ranked_town(4, 14, 10), ""),
        (ranked_town(12, 14, 2), "靠后"),
        (ranked_town(1, 14, 13), "领先"),  # on share: no target, no 序时进度 to meet
        (ranked_town(1, 1, 0, rate=0.6, target=500), ""),  # the only one with a target: nobody to lead
        (ranked_town(1, 14, 0), ""),  # all tied: nobody ahead, nobody behind
        (ranked_town(2, 2, 0, rate=50, target=100), "靠后"),
        (ranked_town(3, 5, 2, rate=87.92, target=100), "靠后"),  # third of five, behind 序时进度: of the last three
        (ranked_town(1, 14, 0, actual=0), "无进展"),
        (ranked_town(1, 14, 0, actual=0, rate=0.0, target=5), "靠后"),  # nothing done against a target
        (ranked_town(None, 1, None, rate=None), "无目标"),
        (ranked_town(None, 6, None, actual=None, metric="接房率(%)"), "无已分配房源"),
        (ranked_town(1, 6, 5, actual=92, rate=102.22, target=90, metric="接房率(%)"), "领先"),
        (ranked_town(1, 6, 5, actual=89.99, rate=99.99, target=90, metric="接房率(%)"), ""),  # below its target
    ],
)
def test_ranking_mark(row, mark):
    assert status.for_rank(row, Thresholds()) == mark


@pytest.mark.parametrize("year,town", [(2025, None), (2026, None), (2026, "东城街道"), (2026, "水江镇")])
def test_task_warnings_follow_the_status_rule(demo_warehouse, year, town):
    """任务滞后 lists exactly the tasks the status rule marks 滞后 or 严重滞后, at their level."""
    thresholds = Thresholds()
    with Warehouse(demo_warehouse) as wh:
        scope = Scope.for_year(year, wh.snapshot().as_of, township=town)
        tasks = wh.run("annual_tasks", **scope.params())
        run = lambda name, **params: wh.run(name, **params)  # noqa: E731
        warned = warnings.tasks_behind(run, scope.params() | thresholds.params()).set_index("entity_id")
    for task in tasks.itertuples():
        expected = status.for_task(task.metric, task.rate_pct, task.time_elapsed_pct, thresholds)
        level = warned["level"].get(task.metric)
        assert level == (expected.level if expected.level in ("黄", "红") else None), (task.metric, expected)


@pytest.mark.parametrize(
    ("metric", "rate", "elapsed", "word"),
    [
        ("接房率(%)", 99.996, 50.0, "正常"),  # 89.9964% of 90% reads "90.00%": on target as shown
        ("接房率(%)", 99.994, 50.0, "滞后"),  # reads "89.99%"
        ("征地面积(亩)", 88.765, 88.7671, "正常"),  # both read "88.77%"
        ("征地面积(亩)", 88.76, 88.7671, "略低于序时进度"),
    ],
)
def test_the_status_is_read_from_the_figure_as_shown(metric, rate, elapsed, word):
    assert status.for_task(metric, rate, elapsed, Thresholds()).word == word

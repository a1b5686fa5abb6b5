"""display.views, without the UI: what each page builds from its queries, on the demo data; and
the rule that only such builds are cached for every user alike (ui.data.built)."""

import pytest

from display.cards import Card
from display.views import dispatch as dispatch_view
from display.views import funds, holdouts, overview, petitions, resettlement
from ui import data
from warehouse import status
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    with Warehouse(demo_warehouse) as wh:
        generation = wh.snapshot()
        yield (lambda name, **params: generation.run(name, params)), Scope.for_year(2026, generation.as_of)


def test_overview_cards_carry_the_status_rule(demo):
    query, scope = demo
    first, second = overview.headline(query, scope, Thresholds())
    assert [(c.label, c.value, c.mark) for c in first] == [
        ("征地完成面积", "879.21 亩", status.SLIGHTLY_BEHIND),
        ("房屋征收", "85 户 · 1.78 万㎡", status.ON_TRACK),
        ("用地报批", "742.40 亩", status.SLIGHTLY_BEHIND),
        ("接房率", "86.90%", status.BEHIND),
    ]
    assert [(c.label, c.mark) for c in second] == [
        ("兑付金额", None),
        ("信访", None),
        ("尾欠户", status.FAR_BEHIND),
        ("安置项目交付", status.BEHIND),
    ]


def test_the_handover_rate_reads_the_same_on_every_page(demo):
    """86.9% against 90%: one status on 总览, 安置还房, 周调度's table and the pack's chart."""
    query, scope = demo
    thresholds = Thresholds()
    on_overview = overview.headline(query, scope, thresholds)[0][3].mark
    on_resettlement = next(c for c in resettlement.view(query, scope, thresholds)["cards"] if c.label == "接房率").mark
    week = dispatch_view.week(query, scope, thresholds)
    on_dispatch = week["headline"].set_index("指标").at["接房套数", "状态"]
    tasks_chart = dispatch_view.tasks_chart(week["data"], thresholds)
    bar = list(tasks_chart.data[0].y).index("接房率(%)")
    assert on_overview == on_resettlement == status.BEHIND and on_dispatch == status.BEHIND.word
    assert tasks_chart.data[0].marker.color[bar] == "#e0a800"


@pytest.mark.parametrize(
    "build,inputs",
    [
        (overview.headline, ("thresholds",)),
        (overview.warnings_view, ("thresholds",)),
        (resettlement.view, ("thresholds",)),
        (funds.view, ("thresholds",)),
        (petitions.headline, ()),
        (petitions.trend_and_topics, ()),
        (holdouts.holdouts_view, ("thresholds",)),
        (holdouts.safety_view, ()),
        (dispatch_view.week, ("thresholds",)),
    ],
)
def test_every_view_builds_from_its_inputs_alone(demo, build, inputs):
    query, scope = demo
    args = [Thresholds() if name == "thresholds" else name for name in inputs]
    built = build(query, scope, *args)
    assert built is not None
    for card in _cards(built):
        assert card.label and card.value


def _cards(value):
    if isinstance(value, Card):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _cards(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _cards(item)


def test_a_page_function_is_never_cached_for_everyone(small):
    def page_build(query, scope):
        return query("annual_tasks", **scope.params())

    with pytest.raises(TypeError, match="not in a page"):
        data.built(small.snapshot(), page_build, Scope.for_year(2025, small.snapshot().as_of))

"""ui.data.built on a warm rerun: the build of equal inputs is found without Streamlit's cache
hashing them again; a new load, other inputs or a cleared cache build afresh."""

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from ui import data
from warehouse.scope import Scope
from warehouse.settings import Thresholds

AS_OF = dt.date(2025, 11, 20)


def _scope(**filters) -> Scope:
    return Scope.for_year(2025, AS_OF, **filters)  # a new object each time, equal by value


@pytest.fixture
def counted(monkeypatch):
    """Calls of Streamlit's cached function and of the build itself."""
    calls = {"cache": 0, "build": 0}
    cached = data._built

    def counting_cache(*args):
        calls["cache"] += 1
        return cached(*args)

    def build(query, scope, thresholds):
        calls["build"] += 1
        return {"towns": scope.townships, "red": thresholds.lag_red_points}

    build.__module__ = "display.views.fixture"  # where a cached build may come from
    monkeypatch.setattr(data, "_built", counting_cache)
    data.clear_caches()
    yield calls, build
    data.clear_caches()


def test_equal_inputs_on_a_rerun_are_answered_without_the_cache(counted):
    calls, build = counted
    generation = SimpleNamespace(load_id="load-1")
    first = data.built(generation, build, _scope(), Thresholds())
    again = data.built(generation, build, _scope(), Thresholds())
    assert again is first and calls == {"cache": 1, "build": 1}


def test_other_inputs_a_new_load_or_a_cleared_cache_build_afresh(counted):
    calls, build = counted
    one, two = SimpleNamespace(load_id="load-1"), SimpleNamespace(load_id="load-2")
    assert data.built(one, build, _scope(), Thresholds())["towns"] is None
    assert data.built(one, build, _scope(townships=["东城街道"]), Thresholds())["towns"] == ("东城街道",)
    assert data.built(one, build, _scope(), Thresholds(lag_red_points=30))["red"] == 30
    data.built(two, build, _scope(), Thresholds())
    assert calls["build"] == 4
    data.clear_caches()
    data.built(one, build, _scope(), Thresholds())
    assert calls["build"] == 5


def test_only_the_latest_builds_are_kept_here(counted, monkeypatch):
    calls, build = counted
    monkeypatch.setattr(data, "BUILDS_KEPT", 2)
    generation = SimpleNamespace(load_id="load-1")
    for red in (20, 21, 22, 20):
        data.built(generation, build, _scope(), Thresholds(lag_red_points=red))
    assert len(data._recent) == 2
    assert calls["cache"] == 4 and calls["build"] == 3  # 20 again: dropped here, still in Streamlit's cache


def test_a_query_table_is_one_frame_per_load_and_parameters(small):
    """result_table: the result under its Chinese headers, the same object on a rerun (so the
    table drawn from it is prepared once), another for other parameters."""
    from display import columns

    data.clear_caches()
    generation = small.snapshot()
    params = _scope().params()
    first = data.result_table(generation, "projects_progress", **params)
    again = data.result_table(generation, "projects_progress", **params, ignored="not a parameter of the query")
    assert again is first
    expected = columns.chinese(generation.run("projects_progress", params), "projects_progress")
    pd.testing.assert_frame_equal(first, expected)
    east = data.result_table(generation, "projects_progress", **_scope(townships=("东城街道",)).params())
    assert east is not first and set(east["镇街"]) == {"东城街道"} and len(east) < len(first)
    data.clear_caches()


def test_the_sidebar_choices_are_the_filter_options_query(small):
    from warehouse.scope import filter_choices

    generation = small.snapshot()
    options = generation.run("filter_options", {"as_of": AS_OF})
    choices = filter_choices(lambda name, **params: generation.run(name, params), AS_OF)
    assert choices.townships == tuple(options["township"])
    assert choices.years == tuple(range(2025, int(options["first_year"].iloc[0]) - 1, -1))

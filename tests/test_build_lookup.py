"""ui.data.built on a warm rerun: the build of equal inputs is found without Streamlit's cache
hashing them again; a new load, other inputs or a cleared cache build afresh."""

import datetime as dt
from types import SimpleNamespace

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

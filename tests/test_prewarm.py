"""After a load the district's first screens are computed in the background (ui.prewarm): a
leader then opens each page without one query running, seeing what the page computes itself;
the computing starts once per load, at the first run that meets it, and not where it is off."""

import datetime as dt

import pytest

from tests.app_fixture import app_env, login  # noqa: F401
from tests.exports_fixture import write_good_set
from ui import data, prewarm
from warehouse.load.loader import load
from warehouse.runner import Generation

PAGES = [
    "pages/dispatch_page.py",
    "pages/overview_page.py",
    "pages/funds_page.py",
    "pages/resettlement_page.py",
    "pages/holdouts_safety_page.py",
    "pages/petitions_page.py",
    "pages/projects_page.py",
]


@pytest.fixture
def queries(monkeypatch):
    """The named queries run (Generation.run), in order."""
    names = []
    real = Generation.run

    def counting(generation, name, params):
        names.append(name)
        return real(generation, name, params)

    monkeypatch.setattr(Generation, "run", counting)
    return names


def _texts(at) -> list:
    return [e.value for e in at.main if hasattr(e, "value") and isinstance(e.value, str)]


@pytest.mark.parametrize("path", PAGES)
def test_a_leaders_first_open_after_the_computing_runs_no_query(app_env, queries, path):
    at = login("leader")
    data.clear_caches()
    at.switch_page(path).run()
    computed_by_the_page = (_texts(at), [t.value.to_dict() for t in at.table])
    data.clear_caches()
    prewarm.first_screens(data.snapshot())
    queries.clear()
    at.switch_page(path).run()
    assert not at.exception
    assert queries == []
    assert (_texts(at), [t.value.to_dict() for t in at.table]) == computed_by_the_page


@pytest.fixture
def started(monkeypatch):
    """The loads whose first screens were started (no thread: only the start is recorded)."""
    loads = []

    class Recorded:
        def __init__(self, target, args, **_):
            self.target, self.args = target, args

        def start(self):
            loads.append(self.args[0].load_id)

    monkeypatch.setattr(prewarm, "Thread", Recorded)
    monkeypatch.setattr(prewarm, "_started", set())
    return loads


def test_the_computing_starts_once_per_load(app_env, started, monkeypatch, tmp_path):
    monkeypatch.setenv("APP_PREWARM", "1")
    prewarm.after_each_load()
    prewarm.after_each_load()
    first = data.snapshot().load_id
    assert started == [first]
    result = load(write_good_set(tmp_path / "week"), data.warehouse_path(), dt.date(2025, 6, 8))  # a publish
    assert result.ok, result.errors[:3]
    prewarm.after_each_load()
    assert started == [first, data.snapshot().load_id] and started[1] != first


def test_off_it_starts_nothing(app_env, started):
    prewarm.after_each_load()
    assert started == []

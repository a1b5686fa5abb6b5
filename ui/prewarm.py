"""The district's first screens, computed in the background as soon as this process meets a new
warehouse load (its first run after a start, and the first run after each publish).

After the weekly publish the first person to open a page would otherwise wait for all of its
queries (周调度 at 100×: several seconds), and in the 周调度 meeting that is the whole room. The
views computed are a leader's on opening each page: the latest year, the whole district, no
filter, each page's first choices. They go into the one cache (ui.data), where every session
finds them; tests/test_prewarm.py holds this list to the pages (their first open runs no query).

Off where APP_PREWARM=0: the tests, and the benchmark's cold page renders.
"""

from __future__ import annotations

import logging
import os
from threading import Lock, Thread

from display.views import changes, dispatch, funds, holdouts, overview, petitions, resettlement
from ui.data import built, result_table, snapshot
from warehouse import settings
from warehouse.runner import Generation, WarehouseMissing, WarehouseOutdated
from warehouse.scope import Scope, filter_choices

log = logging.getLogger(__name__)
_started: set[str] = set()  # the loads this process has begun computing
_lock = Lock()


def after_each_load() -> None:
    """app.py, on every run: the first run that meets a load starts its first screens."""
    if os.environ.get("APP_PREWARM", "1") == "0":
        return
    try:
        generation = snapshot()
    except (WarehouseMissing, WarehouseOutdated):
        return  # nothing to compute; the pages say why
    with _lock:
        if generation.load_id in _started:
            return
        _started.add(generation.load_id)
    Thread(target=first_screens, args=(generation,), name="prewarm", daemon=True).start()


def first_screens(generation: Generation) -> None:
    """Every page's district-wide first open, the meeting's page first."""
    try:
        thresholds = settings.load()
        choices = built(generation, filter_choices, generation.as_of)
        scope = Scope.for_year(choices.years[0], generation.as_of)
        params = scope.params()
        for build, *inputs in [
            (dispatch.week, scope, thresholds),
            (changes.this_week, scope, thresholds),
            (dispatch.ranking, scope, thresholds, dispatch.TASKS_RANKED[0]),
            (overview.headline, scope, thresholds),
            (overview.warnings_view, scope, thresholds),
            (overview.trend, scope, overview.FIRST_FIGURE),
            (funds.view, scope, thresholds),
            (resettlement.view, scope, thresholds),
            (holdouts.holdouts_view, scope, thresholds),
            (holdouts.safety_view, scope),
            (petitions.headline, scope),
            (petitions.trend_and_topics, scope),
            (petitions.open_cases, scope, thresholds.petition_overdue_days),
        ]:
            built(generation, build, *inputs)
        result_table(generation, "projects_progress", **params)
    except Exception:  # a page that fails says so itself, when opened
        log.exception("首屏预先计算失败（数据截至 %s）", generation.as_of)

"""Server-side page renders with streamlit.testing AppTest, against a floor page.

    python -m bench.pages --warehouse W --work DIR --repeats N [--cold-only] --json OUT

Run in a fresh process per warehouse (bench.__main__ does). For each page of ui.navigation.PAGES,
logged in as admin (every page is open to that role):
- cold: a fresh AppTest logs in through the form (untimed; that run draws 总览), then
  every cache is cleared (ui.data.clear_caches: the named queries' results and the warehouse
  handle, so it is opened again too) and
  `switch_page(path).run()` is timed — the first render of the page on an empty cache;
- warm: the median of `repeats` further `at.run()` of the same page, taken in turn with as many
  reruns of its floor (page, floor, page, …), so drift during the run weighs on both alike.
The floor of a page is an empty page *of this app*: app.py as it is (login check, navigation,
sidebar filters) running a generated page that holds only the page guard (`require`) and as many
small plotly charts and st.dataframe tables of tiny frames as the real page drew (counted from
its AppTest), timed the same way. The frame is part of every page, an empty one included, so
the ratio is what a page adds over it; the frame's own cost is reported beside it, as the bare
floor: the same charts and tables in a script with no app around it. Every named query a cold
render runs is timed too (Generation.run wrapped here).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300
# The floor's charts and tables, after a page's own preamble and title (format fields: charts,
# tables); bench.browser_floor draws them too, under each real page's title.
FLOOR_ELEMENTS = """for i in range({charts}):
    fig = go.Figure(go.Bar(x=[f"{{m}}月" for m in range(1, 13)], y=list(range(12))))
    st.plotly_chart(fig, key=f"chart_{{i}}")
for i in range({tables}):
    st.dataframe(pd.DataFrame({{"a": [1, 2, 3], "b": ["x", "y", "z"], "c": [0.5, 1.5, 2.5]}}), key=f"table_{{i}}")
"""
FLOOR_BODY = 'st.title("floor")\n' + FLOOR_ELEMENTS
FLOOR_IMPORTS = """import pandas as pd
import plotly.graph_objects as go
import streamlit as st
"""
FLOOR_TEMPLATE = (
    '''"""Floor page for the benchmark: {charts} plotly charts and {tables} tiny tables, nothing else."""
'''
    + FLOOR_IMPORTS
    + "\n"
    + FLOOR_BODY
)
APP_FLOOR_PAGE = (
    '''"""Empty page of the app for the benchmark: the guard, {charts} charts and {tables} tiny tables."""
'''
    + FLOOR_IMPORTS
    + """
from ui.auth import require

require("overview")
"""
    + FLOOR_BODY
)
APP_FLOOR_TEMPLATE = '''"""Floor app for the benchmark: app.py unchanged, its navigation (every page the role has) with
one more, empty page in front, the default one."""
import streamlit as st

import ui.navigation

real_pages_for = ui.navigation.pages_for   # the process is shared with the real pages' AppTests


def with_floor(role):
    sections = real_pages_for(role, home=False)
    first = next(iter(sections))
    sections[first] = [st.Page({page!r}, title="floor", url_path="floor", default=True), *sections[first]]
    return sections


ui.navigation.pages_for = with_floor
APP = {app!r}
try:
    exec(compile(open(APP, encoding="utf-8").read(), APP, "exec"))
finally:
    ui.navigation.pages_for = real_pages_for
'''


def _quiet() -> None:
    """Progress goes to stderr; the libraries' chatter (authenticator prints, the demo cookie key
    warning on every run) is dropped."""
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)  # Streamlit's bare-mode "missing ScriptRunContext" (AppTest is bare)
    sys.stdout = open(os.devnull, "w")


def _clear_caches() -> None:
    from ui.data import clear_caches

    clear_caches()


class QueryTimer:
    """Times every named query (warehouse.runner.Generation.run) while recording."""

    def __init__(self):
        from warehouse.runner import Generation

        self.calls: list[tuple[str, float]] = []
        original = Generation.run
        timer = self

        def run(generation, name, params, **kw):
            started = time.perf_counter()
            try:
                return original(generation, name, params, **kw)
            finally:
                timer.calls.append((name, time.perf_counter() - started))

        Generation.run = run

    def take(self) -> list[tuple[str, float]]:
        calls, self.calls = self.calls, []
        return sorted(calls, key=lambda c: -c[1])


def _login(username: str = "admin", script: Path = ROOT / "app.py"):
    from streamlit.testing.v1 import AppTest

    from access.demo import demo_password

    at = AppTest.from_file(str(script), default_timeout=TIMEOUT).run()
    at.text_input[0].input(username)
    at.text_input[1].input(demo_password(username))
    return at.button[0].click().run()


def _errors(at) -> list[str]:
    return [str(getattr(e, "message", e))[:300] for e in at.exception]


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def page_render(spec, timer: QueryTimer) -> tuple[dict, object]:
    """The page's cold render on cleared caches; returns its result and the AppTest, ready for warm reruns."""
    at = _login()
    _clear_caches()
    timer.take()
    cold = _timed(lambda: at.switch_page(spec.path).run())
    queries = timer.take()
    titles = [t.value for t in at.title]
    result = {
        "key": spec.key,
        "title": spec.title,
        "path": spec.path,
        "cold_s": cold,
        "charts": len(at.get("plotly_chart")),
        "tables": len(at.dataframe),
        "others": other_elements(at.main),
        "errors": _errors(at),
        "titles": titles,
        "queries": [{"name": n, "ms": round(s * 1000, 1)} for n, s in queries],
    }
    if spec.title not in titles:
        result["errors"].append(f"title {spec.title} not drawn (titles: {titles})")
    return result, at


# What else a page draws, by the kind of element the matched browser floor draws for it
# (bench.browser_floor.OTHER_ELEMENTS); the title, charts and tables are the floor's own, and a
# custom component (the login's cookie) or a layout block draws nothing of its own.
OTHER_KINDS = {
    "text": ("markdown", "caption", "html", "code", "latex"),
    "heading": ("header", "subheader"),
    "alert": ("info", "warning", "error", "success", "exception"),
    "button": ("button", "download_button"),
    "input": (
        "text_input",
        "text_area",
        "number_input",
        "selectbox",
        "multiselect",
        "radio",
        "checkbox",
        "toggle",
        "date_input",
        "file_uploader",
        "button_group",
    ),
    "expander": ("expander",),
}
_KIND_OF = {element: kind for kind, elements in OTHER_KINDS.items() for element in elements}


def other_elements(block) -> dict[str, int]:
    """How many elements of each kind of OTHER_KINDS an AppTest block holds, nested ones included."""
    counts = dict.fromkeys(OTHER_KINDS, 0)
    for child in getattr(block, "children", {}).values():
        if (kind := _KIND_OF.get(child.type)) is not None:
            counts[kind] += 1
        for kind, n in other_elements(child).items():
            counts[kind] += n
    return counts


def warm_renders(page_at, floor_at, repeats: int) -> tuple[list[float], list[float]]:
    """Warm reruns of the page and of its floor, taken in turn (page, floor, page, …), so whatever
    drifts during the run (the other work on the machine, the process's memory) weighs on both
    alike; one untimed rerun of each first."""
    page_at.run()
    floor_at.run()
    page, floor = [], []
    for _ in range(repeats):
        page.append(_timed(page_at.run))
        floor.append(_timed(floor_at.run))
    return page, floor


def _floor_file(work: Path, name: str, text: str) -> Path:
    path = work / "floor_pages" / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def floor_script(work: Path, charts: int, tables: int) -> Path:
    return _floor_file(work, f"floor_c{charts}_t{tables}", FLOOR_TEMPLATE.format(charts=charts, tables=tables))


def app_floor_script(work: Path, charts: int, tables: int) -> Path:
    page = _floor_file(work, f"app_floor_page_c{charts}_t{tables}", APP_FLOOR_PAGE.format(charts=charts, tables=tables))
    return _floor_file(
        work, f"app_floor_c{charts}_t{tables}", APP_FLOOR_TEMPLATE.format(page=str(page), app=str(ROOT / "app.py"))
    )


def _bare_floor(work: Path, charts: int, tables: int, repeats: int) -> dict:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(floor_script(work, charts, tables)), default_timeout=TIMEOUT)
    _clear_caches()
    cold = _timed(at.run)
    assert len(at.get("plotly_chart")) == charts and len(at.dataframe) == tables, "floor page drew the wrong count"
    warm = [_timed(at.run) for _ in range(max(repeats, 1))]
    return {"cold_s": cold, "warm_median_s": statistics.median(warm)}


def floor_render(work: Path, charts: int, tables: int, repeats: int) -> tuple[dict, object]:
    """The empty app page logged in, its cold render on cleared caches, and the bare floor; returns
    the AppTest too, for warm reruns beside each page of its shape."""
    at = _login(script=app_floor_script(work, charts, tables))
    _clear_caches()
    cold = _timed(at.run)
    assert not at.exception, _errors(at)
    assert "floor" in [t.value for t in at.title], "the floor app did not draw its page"
    assert len(at.get("plotly_chart")) == charts and len(at.dataframe) == tables, "floor page drew the wrong count"
    bare = _bare_floor(work, charts, tables, repeats)
    return {
        "charts": charts,
        "tables": tables,
        "cold_s": cold,
        "bare_cold_s": bare["cold_s"],
        "bare_warm_median_s": bare["warm_median_s"],
    }, at


def bench_pages(work: Path, repeats: int, only: list[str] | None = None) -> dict:
    from ui.navigation import PAGES

    timer = QueryTimer()
    floor_render(work, 1, 1, 1)  # imports (plotly, pandas, the AppTest machinery) out of the way
    _login()  # and the app's own modules
    pages, floors = [], {}
    for spec in PAGES:
        if only and spec.key not in only:
            continue
        page, page_at = page_render(spec, timer)
        shape = (page["charts"], page["tables"])
        if shape not in floors:
            floors[shape] = floor_render(work, *shape, repeats)
        floor, floor_at = floors[shape]
        warm, floor_warm = warm_renders(page_at, floor_at, repeats) if repeats else ([], [])
        page["errors"] += [e for e in _errors(page_at) if e not in page["errors"]]
        page["warm_s"], page["floor_warm_s"] = warm, floor_warm
        page["warm_median_s"] = statistics.median(warm) if warm else None
        page["floor_warm_median_s"] = statistics.median(floor_warm) if floor_warm else None
        page["floor_cold_s"] = floor["cold_s"]
        page["bare_floor_warm_median_s"] = floor["bare_warm_median_s"]
        page["warm_over_floor"] = page["warm_median_s"] / page["floor_warm_median_s"] if warm else None
        page["cold_over_floor"] = page["cold_s"] / floor["cold_s"]
        pages.append(page)
        if warm:
            floor.setdefault("warm_s", []).extend(floor_warm)
        warm_text = (
            f"warm {page['warm_median_s'] * 1000:.1f} ms · floor warm {page['floor_warm_median_s'] * 1000:.1f} ms"
            f" = {page['warm_over_floor']:.2f}×"
            if warm
            else "warm —"
        )
        print(
            f"    {spec.key:13s} {page['charts']} charts {page['tables']} tables · cold "
            f"{page['cold_s'] * 1000:.0f} ms · {warm_text} (bare floor {floor['bare_warm_median_s'] * 1000:.1f} ms)"
            + (f" · ERRORS {page['errors']}" if page["errors"] else ""),
            file=sys.stderr,
            flush=True,
        )
    for floor, _ in floors.values():
        floor["warm_median_s"] = statistics.median(floor["warm_s"]) if floor.get("warm_s") else None
    return {"pages": pages, "floors": [floors[k][0] for k in sorted(floors)]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True, help="folder for the accounts DB and floor pages")
    parser.add_argument("--repeats", type=int, default=5, help="warm reruns per page (0: cold only)")
    parser.add_argument("--only", help="comma-separated page keys")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)
    _quiet()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    args.work.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{(args.work / 'app.db').resolve()}"
    # APP_PREWARM=0: a cold render is the page's own work, nothing computed for it in the background
    os.environ.update(
        WAREHOUSE_PATH=str(args.warehouse.resolve()),
        APP_DB_URL=db_url,
        APP_DEMO="1",
        APP_BCRYPT_ROUNDS="4",
        APP_PREWARM="0",
    )
    from access.demo import ensure_demo_accounts

    ensure_demo_accounts(db=db_url)
    result = bench_pages(args.work, args.repeats, args.only.split(",") if args.only else None)
    result["warehouse"] = str(args.warehouse)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Each page in Chromium on a quiet server, against the browser floor.

Two servers on loopback at once: the app (bench.sessions.Server, demo warehouse) and the bare
floor app (bench.browser_floor: the same page titles, each page with as many charts and tables).
One Chromium, one tab on each: the app's logged in as admin (untimed), the floor's on its first
page. Then rounds: in each, every page is opened through the sidebar navigation in the app's tab
and in the floor's, one after the other (which of the two goes first alternates by round), so
whatever drifts during the run (other work on the machine) weighs on both alike. Each page is
reached from the page before it in the navigation, in both tabs. The first round is untimed (the
browser's first load of each element's code, the server's first queries); each later round gives
one time per page and side. Page time is bench.sessions' (click → page settled); per page, the
median of the rounds and its ratio to the floor's median. Where a page's time goes is kept beside
it: the script run as the browser saw it (first "running" to last "notRunning": the server's run
and the browser's handling of what it sent meanwhile) and Chromium's own main-thread work
from the click to the pause after it (its Performance metrics: script, then style and layout), so
a page that misses shows whether the server or the drawing made it slow. Each server's CPU during the timed
rounds, per page open, is kept too: the app's and the floor's work per page on warm caches, with
no other session and no cold query in it. Given each page's other elements, a third tab opens the
matched floor (bench.browser_floor) in the same rounds, for information.
"""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path

from bench.browser_floor import FloorServer
from bench.server import meter
from bench.sessions import CHROMIUM, LAUNCH_ARGS, Server, _log_in, _open, _order

MAX_ROUNDS = 9
PAUSE_MS = 100  # between opens: the last page's drawing done before the next click
# Chromium's main-thread time, cumulative per tab (CDP Performance.getMetrics, in seconds).
SCRIPT, LAYOUT = "ScriptDuration", ("LayoutDuration", "RecalcStyleDuration")
WORK_KINDS = ("run", "script", "layout")  # the script run as the browser saw it, then _main_thread's


async def _main_thread(cdp) -> dict[str, float]:
    metrics = {m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]}
    return {"script": metrics[SCRIPT], "layout": sum(metrics[name] for name in LAYOUT)}


async def _rounds(servers: dict[str, Server | FloorServer], rounds: int, timeout_ms: int) -> tuple[dict, dict]:
    """The rounds over every page, one tab per server (side: app, floor, matched); the page times
    and main-thread work per page and side, and each server's CPU in the timed rounds."""
    from playwright.async_api import async_playwright

    from ui.navigation import PAGES

    order = _order(0, list(PAGES))  # every tab starts on 总览: the first click is the next page
    times = {
        spec.key: {"errors": [], "work": {side: [] for side in servers}} | {side: [] for side in servers}
        for spec in PAGES
    }
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            gate = asyncio.Semaphore(1)
            tabs = {}
            for side, server in servers.items():
                context = await browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
                tab = await _log_in(context, server.url, "admin" if server.login else None, timeout_ms, gate)
                cdp = await context.new_cdp_session(tab)
                await cdp.send("Performance.enable")
                tabs[side] = (tab, server.url, cdp)
            meters = {}
            for number in range(rounds + 1):
                if number == 1:
                    meters = {side: meter(server.process.pid) for side, server in servers.items()}
                sides = list(servers)
                sides = sides[number % len(sides) :] + sides[: number % len(sides)]  # who goes first turns
                for spec in order:
                    for side in sides:
                        tab, url, cdp = tabs[side]
                        before = await _main_thread(cdp)
                        record = await _open(tab, url, spec, timeout_ms)
                        await tab.wait_for_timeout(PAUSE_MS)
                        after = await _main_thread(cdp)
                        times[spec.key]["errors"] += [f"{side}: {e}" for e in record["errors"]]
                        if number and record["seconds"] is not None:
                            times[spec.key][side].append(record["seconds"])
                            spent = {k: after[k] - before[k] for k in after}
                            times[spec.key]["work"][side].append(spent | {"run": record["script_seconds"]})
            cpu = {side: m.result()["server"] if m else None for side, m in meters.items()}
        finally:
            await browser.close()
    return times, cpu


def bench_browser_pages(
    warehouse: Path,
    work: Path,
    shapes: dict[str, tuple[int, int]],
    rounds: int,
    timeout_s: float = 60,
    log=print,
    others: dict[str, dict[str, int]] | None = None,
) -> dict:
    """Every page's median time in Chromium on a quiet server, and its floor's, over `rounds`
    timed rounds (at most MAX_ROUNDS); `shapes` maps each page key to its (charts, tables),
    `others` (when given) to its other elements, drawn by the matched floor, a third tab."""
    from ui.navigation import PAGES

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (make system-deps)")
    rounds = max(1, min(rounds, MAX_ROUNDS))
    servers: dict[str, Server | FloorServer] = {}
    try:
        servers["app"] = Server(warehouse, work / "app")
        servers["floor"] = FloorServer(work / "floor", shapes)
        if others:
            servers["matched"] = FloorServer(work / "matched", shapes, others)
        times, cpu = asyncio.run(_rounds(servers, rounds, int(timeout_s * 1000)))
    finally:
        for server in servers.values():
            server.stop()
    pages = []
    for spec in PAGES:
        mine = times[spec.key]
        medians = {side: statistics.median(mine[side]) if mine[side] else None for side in servers}
        app_median, floor_median, matched_median = medians["app"], medians["floor"], medians.get("matched")
        pages.append(
            {
                "key": spec.key,
                "title": spec.title,
                "charts": shapes[spec.key][0],
                "tables": shapes[spec.key][1],
                "others": others[spec.key] if others else None,
                "app_s": mine["app"],
                "floor_s": mine["floor"],
                "app_median_s": app_median,
                "floor_median_s": floor_median,
                "matched_median_s": matched_median,
                "over_floor": app_median / floor_median if app_median and floor_median else None,
                "over_matched": app_median / matched_median if app_median and matched_median else None,
                "errors": mine["errors"],
                "where": {side: _medians(mine["work"][side]) for side in servers},
            }
        )
        log(
            f"    {spec.key:13s} app {_text(app_median)} · floor {_text(floor_median)}"
            + (f" = {pages[-1]['over_floor']:.2f}×" if pages[-1]["over_floor"] else "")
            + (f" · matched floor {_text(matched_median)}" if others else "")
            + (f" · ERRORS {mine['errors']}" if mine["errors"] else "")
        )
    opens = rounds * len(PAGES)
    cpu_ms = {side: None if seconds is None else seconds * 1000 / opens for side, seconds in cpu.items()}
    log("    server CPU per page open in the timed rounds: " + " · ".join(f"{k} {_ms(v)}" for k, v in cpu_ms.items()))
    return {"rounds": rounds, "pages": pages, "server_cpu_ms_per_open": cpu_ms}


def _medians(works: list[dict]) -> dict[str, float | None]:
    """Per kind of work (script run, browser script, style and layout), the median over the rounds
    in seconds, in WORK_KINDS order; a run the browser did not see start (a very short one) counts
    as unknown."""
    return {
        kind: statistics.median(values) if (values := [w[kind] for w in works if w[kind] is not None]) else None
        for kind in WORK_KINDS
    }


def _text(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f} s"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} ms"

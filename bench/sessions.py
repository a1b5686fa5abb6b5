"""Concurrent logged-in sessions against a live server on loopback.

A fresh `streamlit run app.py` (demo mode, the given warehouse, the demo accounts in its own
accounts DB). Sessions are of two kinds:
- browser: a Debian Chromium browser context driven by Playwright, opening pages through the
  sidebar navigation — page time as a user sees it, the browser's drawing included;
- protocol (bench.protocol_client): Streamlit's websocket protocol spoken directly, as a tab
  does on the wire, with next to no client CPU.
Here the clients share the server's 2 cores. 20 Chromium tabs on them take ~95% of the CPU
(measured below), so a run of 20 browsers measures Chromium, not the app; in use, each leader's
browser runs on their own PC. The target run is therefore 19 protocol sessions and 1 browser:
20 users' load on the server, and one real browser's page times under it. A run of 20 browsers
is still made and reported, for information.

The server is warmed first (one page load and a reload: on a cold server the first form fill
can hit an inert element). Every session logs in as admin (untimed), then all start together
and open every page, each session from a different page, back to back unless a think time is
given. Page time: from the click to the page settled — its title drawn, the script no
longer running (stApp's data-test-script-state) and no status widget. Errors: exception boxes,
"This app has encountered an error", timeouts. The CPU the server, the browser and everything
else used meanwhile is measured too: here the browser shares the cores with the server.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from access.demo import demo_password, ensure_demo_accounts
from bench.protocol_client import ProtocolSession
from bench.server import StreamlitServer, meter, server_rss_mb

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
SETTLED_JS = """(title) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  return [...document.querySelectorAll('[data-testid="stMain"] h1')].some(h => h.textContent.includes(title));
}"""
NOT_RUNNING_JS = "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState === 'notRunning'"
# The script's run as the browser sees it: stApp's script state, logged from the click on (the
# app stays one page across sidebar navigation, so one observer per session is enough).
WATCH_RUNS_JS = """() => {
  window.__benchRuns = [];
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver((changes) => {   // each change's new value is the next one's old value
    const now = performance.now();
    changes.forEach((c, i) => window.__benchRuns.push(
      [now, i + 1 < changes.length ? changes[i + 1].oldValue : app.dataset.testScriptState]));
  }).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
}"""
SCRIPT_RUN_JS = """() => {
  const runs = window.__benchRuns || [];
  const start = runs.find(([t, s]) => s === 'running');
  const end = [...runs].reverse().find(([t, s]) => s === 'notRunning');
  window.__benchRuns = [];
  return start && end && end[0] >= start[0] ? (end[0] - start[0]) / 1000 : null;
}"""
APP_ERROR = "This app has encountered an error"


class Server(StreamlitServer):
    """`streamlit run app.py` on loopback, as tests/browser_fixture.py starts it: demo mode, the
    given warehouse, the demo accounts in a fresh accounts DB of its own."""

    def __init__(self, warehouse: Path, work: Path):
        work.mkdir(parents=True, exist_ok=True)
        (work / "app.db").unlink(missing_ok=True)
        self.db_url = f"sqlite:///{(work / 'app.db').resolve()}"
        ensure_demo_accounts(db=self.db_url)
        env = {
            "WAREHOUSE_PATH": str(warehouse.resolve()),
            "APP_DB_URL": self.db_url,
            "APP_DEMO": "1",
            "APP_BCRYPT_ROUNDS": "4",
        }
        super().__init__("app.py", work / "server.log", env)


async def _settle_first_page(page, timeout_ms: int, login: bool = True) -> None:
    """The first page after a load: the login form (or the logged-in app), or the floor's 总览."""
    if not login:
        await page.wait_for_function(SETTLED_JS, arg="总览", timeout=timeout_ms, polling=50)
        return
    await page.wait_for_selector("input[aria-label='用户名'], button:has-text('退出登录')", timeout=timeout_ms)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )


async def _log_in(context, url: str, username: str | None, timeout_ms: int, gate: asyncio.Semaphore):
    """Log in through the form (untimed). A fill that meets an inert input (the form being redrawn
    by a rerun) fails fast and the whole login is tried again from a fresh load. No username (the
    bare floor app): just its first page, 总览, settled."""
    async with gate:
        page = await context.new_page()
        for attempt in range(5):
            try:
                await page.goto(url, timeout=timeout_ms)
                await _settle_first_page(page, timeout_ms, login=username is not None)
                if username is None:
                    await page.evaluate(WATCH_RUNS_JS)
                    return page
                await page.wait_for_function(NOT_RUNNING_JS, timeout=timeout_ms, polling=50)
                await page.wait_for_timeout(300)
                await page.get_by_label("用户名").fill(username, timeout=5000)
                await page.get_by_label("密码").fill(demo_password(username), timeout=5000)
                await page.get_by_role("button", name="登录").click(timeout=5000)
                await page.get_by_role("button", name="退出登录").wait_for(timeout=timeout_ms)
                await page.wait_for_function(SETTLED_JS, arg="总览", timeout=timeout_ms, polling=50)
                await page.evaluate(WATCH_RUNS_JS)
                return page
            except Exception:
                if attempt == 4:
                    raise
                await page.wait_for_timeout(500)


async def _errors_on(page) -> list[str]:
    found = []
    boxes = await page.locator('[data-testid="stException"]').count()
    if boxes:
        found.append(f"{boxes} exception box(es)")
    if APP_ERROR in await page.inner_text("body"):
        found.append(APP_ERROR)
    return found


async def _open(page, url: str, spec, timeout_ms: int) -> dict:
    """Open one page through the sidebar navigation; its time, the script run's share of it (from
    the first "running" to the last "notRunning" the browser saw: the server's render, as slowed
    by whatever else the cores are doing) and errors."""
    link = page.locator('[data-testid="stSidebarNav"] a', has_text=spec.title)
    await page.evaluate("() => { window.__benchRuns = []; }")
    started = time.perf_counter()
    record = {"page": spec.key, "seconds": None, "script_seconds": None, "errors": []}
    try:
        if await link.count() == 1:
            await link.click(timeout=timeout_ms)
        else:  # not in the sidebar (should not happen for admin): open its URL
            await page.goto(f"{url}/{spec.key}", timeout=timeout_ms)
        await page.wait_for_function(SETTLED_JS, arg=spec.title, timeout=timeout_ms, polling=50)
        record["seconds"] = time.perf_counter() - started
        record["script_seconds"] = await page.evaluate(SCRIPT_RUN_JS)
    except Exception as exc:  # playwright's TimeoutError and a closed page alike
        record["errors"].append(
            f"timeout after {timeout_ms / 1000:.0f} s"
            if "Timeout" in type(exc).__name__
            else f"{type(exc).__name__}: {str(exc)[:200]}"
        )
    try:
        record["errors"] += await _errors_on(page)
    except Exception as exc:
        record["errors"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
    return record


def _order(index: int, pages: list) -> list:
    # Each session starts one page further along; after login it is on 总览 (pages[0]),
    # so the tour never starts with the page already shown.
    offset = 1 + index % (len(pages) - 1) if len(pages) > 1 else 0
    return pages[offset:] + pages[:offset]


async def _tour(index: int, page, url: str, pages, start: asyncio.Event, timeout_ms: int, think_ms: int) -> list[dict]:
    await start.wait()
    records = []
    for number, spec in enumerate(_order(index, pages)):
        if think_ms and number:
            await page.wait_for_timeout(think_ms)  # a reader looking at the page before the next click
        record = await _open(page, url, spec, timeout_ms)
        record.update(session=index, client="browser")
        records.append(record)
    return records


async def _protocol_tour(
    index: int,
    url: str,
    pages,
    logged_in: asyncio.Event,
    start: asyncio.Event,
    timeout_ms: int,
    think_ms: int,
    login: bool = True,
) -> list[dict]:
    async with ProtocolSession(url) as session:
        # Without a login (the floor app) the first run still resolves the navigation.
        first = session.log_in("admin", demo_password("admin")) if login else session.rerun()
        await asyncio.wait_for(first, timeout_ms / 1000)
        logged_in.set()
        await start.wait()
        records = []
        for number, spec in enumerate(_order(index, pages)):
            if think_ms and number:
                await asyncio.sleep(think_ms / 1000)
            try:
                record = await asyncio.wait_for(session.open(spec.key, spec.title), timeout_ms / 1000)
            except TimeoutError:
                record = {"page": spec.key, "seconds": None, "errors": [f"timeout after {timeout_ms / 1000:.0f} s"]}
            record.update(session=index, client="protocol", script_seconds=None)
            records.append(record)
        return records


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), as numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def _run(
    url: str, protocol: int, browsers: int, timeout_ms: int, think_ms: int, server_pid: int, login: bool = True
) -> dict:
    from playwright.async_api import async_playwright

    from ui.navigation import PAGES

    pages = list(PAGES)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            warm = await browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
            first = await warm.new_page()
            await first.goto(url)
            await _settle_first_page(first, 60000, login)
            await first.reload()
            await _settle_first_page(first, 60000, login)
            await warm.close()

            contexts = [
                await browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
                for _ in range(browsers)
            ]
            login_started = time.perf_counter()
            gate = asyncio.Semaphore(4)  # logins are untimed: a few at a time is quicker than all at once
            user = "admin" if login else None
            logged_in = await asyncio.gather(*(_log_in(c, url, user, 60000, gate) for c in contexts))
            start = asyncio.Event()
            ready = [asyncio.Event() for _ in range(protocol)]
            tours = [
                asyncio.create_task(_tour(i, page, url, pages, start, timeout_ms, think_ms))
                for i, page in enumerate(logged_in)
            ]
            tours += [
                asyncio.create_task(
                    _protocol_tour(browsers + i, url, pages, ready[i], start, timeout_ms, think_ms, login)
                )
                for i in range(protocol)
            ]
            for event in ready:
                await event.wait()
            login_seconds = time.perf_counter() - login_started
            cpu_meter = meter(server_pid)
            tour_started = time.perf_counter()
            start.set()
            records = [r for tour in await asyncio.gather(*tours) for r in tour]
            tour_seconds = time.perf_counter() - tour_started
            cpu = cpu_meter.result() if cpu_meter else None
            for context in contexts:
                await context.close()
        finally:
            await browser.close()
    return {"records": records, "login_seconds": login_seconds, "tour_seconds": tour_seconds, "cpu_seconds": cpu}


def _times(records: list[dict]) -> dict:
    times = [r["seconds"] for r in records if r["seconds"] is not None]
    return {
        "page_opens": len(records),
        "p50_s": percentile(times, 50),
        "p95_s": percentile(times, 95),
        "max_s": max(times) if times else float("nan"),
        "errors": sum(len(r["errors"]) > 0 for r in records),
    }


def summarize(records: list[dict]) -> dict:
    times = [r["seconds"] for r in records if r["seconds"] is not None]
    script = [r["script_seconds"] for r in records if r.get("script_seconds") is not None]
    by_page = {}
    for key in dict.fromkeys(r["page"] for r in records):
        mine = [r["seconds"] for r in records if r["page"] == key and r["seconds"] is not None]
        by_page[key] = {
            "p50_s": percentile(mine, 50),
            "p95_s": percentile(mine, 95),
            "n": len(mine),
            "errors": sum(len(r["errors"]) > 0 for r in records if r["page"] == key),
        }
    return {
        **_times(records),
        "script_p50_s": percentile(script, 50),
        "script_p95_s": percentile(script, 95),
        "mean_s": statistics.fmean(times) if times else float("nan"),
        "by_client": {
            kind: _times([r for r in records if r["client"] == kind])
            for kind in dict.fromkeys(r["client"] for r in records)
        },
        "error_samples": [
            f"session {r['session']} ({r['client']}) {r['page']}: {'; '.join(r['errors'])}"
            for r in records
            if r["errors"]
        ][:20],
        "by_page": by_page,
    }


def bench_sessions(
    warehouse: Path,
    work: Path,
    sessions: int,
    timeout_s: float = 60,
    think_s: float = 0,
    log=print,
    browsers: int = 1,
    floor: dict[str, tuple[int, int]] | None = None,
) -> dict:
    """`sessions` concurrent sessions, `browsers` of them Chromium and the rest protocol clients;
    against the bare floor app (bench.browser_floor) instead of the app when given its pages'
    (charts, tables)."""
    from bench.browser_floor import FloorServer

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (make system-deps)")
    browsers = min(browsers, sessions)
    server = FloorServer(work, floor) if floor else Server(warehouse, work)
    try:
        run = asyncio.run(
            _run(
                server.url,
                sessions - browsers,
                browsers,
                int(timeout_s * 1000),
                int(think_s * 1000),
                server.process.pid,
                server.login,
            )
        )
        rss = server_rss_mb(server.process.pid)
    finally:
        server.stop()
    cpu = run["cpu_seconds"]
    result = {
        "app": "bare floor" if floor else "app",
        "sessions": sessions,
        "browsers": browsers,
        "protocol_sessions": sessions - browsers,
        "think_seconds": think_s,
        "warehouse": str(warehouse),
        **summarize(run["records"]),
        "login_seconds": run["login_seconds"],
        "tour_seconds": run["tour_seconds"],
        "cpu_seconds_during_tour": cpu,
        # The server's CPU per page open: the frame's cost, against the bare floor's (bench.report).
        "server_cpu_ms_per_open": cpu["server"] * 1000 / len(run["records"]) if cpu and run["records"] else None,
        "server_rss_mb_after": rss,
        "records": run["records"],
    }
    kinds = " · ".join(
        f"{kind} p95 {t['p95_s']:.2f} s ({t['page_opens']} opens)" for kind, t in result["by_client"].items()
    )
    log(
        f"  {result['app']}: {sessions} sessions ({browsers} in Chromium) · {result['page_opens']} page opens in "
        f"{run['tour_seconds']:.1f} s · p50 {result['p50_s']:.2f} s · p95 {result['p95_s']:.2f} s · {kinds} · "
        f"errors {result['errors']} · CPU seconds during the tour {run['cpu_seconds']}"
    )
    return result


async def _protocol_only(url: str, sessions: int, pages, timeout_ms: int, meter=None) -> dict:
    start = asyncio.Event()
    ready = [asyncio.Event() for _ in range(sessions)]
    tours = [
        asyncio.create_task(_protocol_tour(i, url, pages, ready[i], start, timeout_ms, 0)) for i in range(sessions)
    ]
    waiting = asyncio.gather(*(event.wait() for event in ready))
    done, _ = await asyncio.wait([waiting, *tours], timeout=timeout_ms / 1000, return_when=asyncio.FIRST_COMPLETED)
    if waiting not in done:  # a login failed (its tour ended first) or timed out: its error is the result
        start.set()
        await asyncio.gather(*tours)  # raises the failed login's exception
        raise TimeoutError(f"{sessions} protocol logins took over {timeout_ms / 1000:.0f} s")
    sampler = meter() if meter else None
    started = time.perf_counter()
    start.set()
    records = [r for tour in await asyncio.gather(*tours) for r in tour]
    tour_seconds = time.perf_counter() - started
    return {"records": records, "tour_seconds": tour_seconds, "cpu": sampler.result() if sampler else None}


def protocol_sessions(
    url: str, sessions: int, page_keys: tuple[str, ...] | None = None, timeout_s: float = 60, meter=None
) -> dict:
    """`sessions` protocol sessions against a running server (or a proxy in front of several), each
    logged in as admin and opening the given pages (default: all) back to back; summarize()'s figures.
    `meter`: called as the tour starts (after the logins), its result() as it ends (e.g. CPU spent)."""
    from ui.navigation import PAGES

    pages = [spec for spec in PAGES if page_keys is None or spec.key in page_keys]
    # In a thread of its own: the caller may have an event loop running (Playwright's sync API).
    with ThreadPoolExecutor(1) as pool:
        run = pool.submit(asyncio.run, _protocol_only(url, sessions, pages, int(timeout_s * 1000), meter)).result()
    return {
        **summarize(run["records"]),
        "sessions": sessions,
        "tour_seconds": run["tour_seconds"],
        "cpu_seconds_during_tour": run["cpu"],
    }

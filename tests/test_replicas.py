"""Two app replicas behind nginx (deploy/nginx/zhengshou.conf) with one PostgreSQL, on loopback.

Started here: PostgreSQL (app_db_fixture), two `streamlit run app.py` with the same APP_DB_URL,
WAREHOUSE_PATH, APP_COOKIE_KEY and cookie secret, and nginx on the repo's config (bench.cluster).
Shown here: a browser whose replica dies carries on on the other, still logged in on the same page
and filters; a logout through one replica ends the session on both; a publish into the shared
warehouse is read by both; every page renders under the config's CSP without one violation; and
40 protocol sessions (bench.sessions) run through nginx without errors, beside the same run on one
replica (printed: a bench row, speed not asserted).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets
import time
from pathlib import Path

import pytest

from access.demo import ensure_demo_accounts
from bench.cluster import NGINX, SITE, Cluster
from bench.postgres import schema_url
from bench.sessions import protocol_sessions
from display.formatting import date_cn
from tests.app_db_fixture import pg_server  # noqa: F401
from tests.browser_fixture import browser, log_in, new_context, settled  # noqa: F401
from tests.exports_fixture import write_good_set
from ui.auth import COOKIE_NAME
from ui.navigation import PAGES
from warehouse.load.loader import load
from warehouse.runner import Warehouse

FILTERED = "/dispatch?year=2026&towns=东城街道"
VIOLATIONS_JS = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"""
# After the socket dropped: a finished run, signed in again (the 退出登录 button is drawn by a run
# that has checked the login).
RECONNECTED_JS = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
  && !document.querySelector('[data-testid="stStatusWidget"]')
  && [...document.querySelectorAll('button')].some(b => b.textContent.includes('退出登录'))"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, pg_server):  # noqa: F811
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install -y nginx-light; make system-deps)")
    folder = tmp_path_factory.mktemp("replicas")
    warehouse = folder / "shared" / "warehouse.duckdb"
    assert load(write_good_set(folder / "exports"), warehouse, dt.date(2026, 3, 2)).ok
    db_url, admin, _ = schema_url(pg_server)
    admin.dispose()
    ensure_demo_accounts(db=db_url)
    env = {
        "APP_DB_URL": db_url,
        "WAREHOUSE_PATH": str(warehouse),
        "APP_COOKIE_KEY": secrets.token_urlsafe(48),
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),  # XSRF cookies valid on every replica
        "APP_DEMO": "1",
        "APP_BCRYPT_ROUNDS": "4",
    }
    running = Cluster(folder, env)
    running.warehouse = warehouse
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
def up(cluster):
    cluster.ensure_up()  # a test before may have killed one
    return cluster


def _pinned(browser, cluster, index: int):  # noqa: F811
    """A browser context whose route cookie sends it to replica `index`."""
    context = new_context(browser)
    context.add_cookies([{"name": "zs_route", "value": cluster.route_to(index), "url": cluster.url}])
    return context


def _open(page, url: str) -> str:
    """Open url, wait for the run to settle; the replica that answered."""
    response = page.goto(url)
    settled(page)
    return response.headers["x-upstream"]


def _as_of_line(page) -> str:
    """The page's 数据截至 line (date · filters), not the stale-data warning."""
    return page.locator("[data-testid='stMain'] p", has_text=re.compile(r"^数据截至 \S+ · ")).first.inner_text()


def _login_cookie(context) -> str:
    """The login cookie (written by the cookie component a moment after the login's run)."""
    for _ in range(50):
        found = [c["value"] for c in context.cookies() if c["name"] == COOKIE_NAME]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {COOKIE_NAME} cookie 10 s after the login")


def test_a_session_moves_to_the_other_replica_when_its_own_dies(up, browser):  # noqa: F811
    context = new_context(browser)
    page = context.new_page()
    _open(page, up.url)
    log_in(page, "admin")
    served_by = _open(page, up.url + FILTERED)
    cookie, url, line = _login_cookie(context), page.url, _as_of_line(page)
    assert "东城街道" in line and "2026" in line, line
    route = next(c["value"] for c in context.cookies() if c["name"] == "zs_route")
    streams = [s for s in up.access_log() if s.startswith("GET /_stcore/stream ") and f"route={route}" in s]
    assert not streams or all(f"upstream={served_by}" in s for s in streams)  # affinity: page and socket alike
    dead = next(i for i, p in enumerate(up.ports) if served_by.endswith(f":{p}"))
    other = f"127.0.0.1:{up.ports[1 - dead]}"

    # Streamlit's frontend reconnects on its own and nginx sends the new socket to the live
    # replica; a reload is the fallback a user would use.
    reloaded = False
    try:
        with page.expect_websocket(timeout=30000) as reconnect:
            up.stop_replica(dead)
        reconnect.value.wait_for_event("framereceived", timeout=30000)
        page.wait_for_function(RECONNECTED_JS, timeout=30000)
        settled(page)
    except Exception:
        reloaded = True
        page.reload()
        settled(page)
    now_served_by = page.evaluate("fetch('/_stcore/health').then(r => r.headers.get('x-upstream'))")
    print(
        f"\nreplica {served_by} killed; the page came back from {now_served_by} ({'reload' if reloaded else 'reconnect'})"
    )
    assert now_served_by == other
    assert page.get_by_role("button", name="退出登录").is_visible()
    assert (page.url, _as_of_line(page), _login_cookie(context)) == (url, line, cookie)
    context.close()


def test_a_logout_through_one_replica_ends_the_session_on_both(up, browser):  # noqa: F811
    first = _pinned(browser, up, 0)
    page = first.new_page()
    assert _open(page, up.url) == f"127.0.0.1:{up.ports[0]}"
    log_in(page, "admin")
    second = _pinned(browser, up, 1)
    second.add_cookies([{"name": COOKIE_NAME, "value": _login_cookie(first), "url": up.url}])
    copy = second.new_page()
    assert _open(copy, up.url + "/dispatch") == f"127.0.0.1:{up.ports[1]}"
    assert copy.get_by_role("button", name="退出登录").is_visible()  # the same login, on the other replica

    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("用户名").wait_for(timeout=30000)
    assert _open(copy, up.url + "/dispatch") == f"127.0.0.1:{up.ports[1]}"
    assert copy.get_by_label("用户名").is_visible()
    assert copy.get_by_role("button", name="退出登录").count() == 0
    first.close()
    second.close()


def test_a_publish_is_read_by_both_replicas(up, browser, tmp_path):  # noqa: F811
    with Warehouse(up.warehouse) as wh:
        before = wh.snapshot().as_of
    contexts, pages = [], []
    for index in (0, 1):
        contexts.append(_pinned(browser, up, index))
        pages.append(contexts[-1].new_page())
        _open(pages[-1], up.url)
        log_in(pages[-1], "admin")
        assert date_cn(before) in _as_of_line(pages[-1])

    after = before + dt.timedelta(days=7)
    assert load(write_good_set(tmp_path / "exports"), up.warehouse, after).ok  # as a publish on either does
    served = []
    for page in pages:
        served.append(_open(page, up.url))
        assert date_cn(after) in _as_of_line(page), _as_of_line(page)
    assert sorted(served) == sorted(f"127.0.0.1:{p}" for p in up.ports)
    for context in contexts:
        context.close()


def test_every_page_renders_under_the_csp(up, browser):  # noqa: F811
    context = new_context(browser)
    context.add_init_script(VIOLATIONS_JS)
    page = context.new_page()
    headers = page.goto(up.url).headers
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "SAMEORIGIN"
    assert "'unsafe-eval'" not in headers["content-security-policy"]
    settled(page)
    log_in(page, "admin")
    seen = {}
    for spec in PAGES:
        _open(page, f"{up.url}/{spec.key}")
        seen[spec.key] = (page.locator('[data-testid="stException"]').count(), page.evaluate("window.__csp"))
    _open(page, up.url + "/dispatch")
    with page.expect_download(timeout=30000) as download:
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.locator(".js-plotly-plot").count() > 0
    assert {key: v for key, v in seen.items() if v != (0, [])} == {}
    assert page.evaluate("window.__csp") == []
    context.close()


def test_the_csp_hashes_are_the_inline_scripts_installed():
    """The CSP lets two inline scripts run by hash; a new Streamlit or cookie component changes them."""
    import extra_streamlit_components
    import streamlit

    files = [
        Path(streamlit.__file__).parent / "static" / "index.html",
        Path(extra_streamlit_components.__file__).parent / "CookieManager" / "frontend" / "build" / "index.html",
    ]
    wanted = {
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for f in files
        for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", f.read_text(), re.S)
    }
    policy = re.search(r"script-src ([^;]*);", SITE.read_text(encoding="utf-8")).group(1)
    assert set(re.findall(r"'sha256-[^']+'", policy)) == wanted


def test_forty_protocol_sessions_through_nginx_beside_one_replica(up):
    pages = ("overview", "dispatch", "projects")
    one = protocol_sessions(up.replica_url(0), 40, pages)
    mark = len(up.access_log())
    two = protocol_sessions(up.url, 40, pages)
    sockets = [s for s in up.access_log()[mark:] if s.startswith("GET /_stcore/stream ")]
    print(
        f"\n40 protocol sessions × {len(pages)} pages · 1 replica direct: p95 {one['p95_s']:.2f} s, "
        f"errors {one['errors']}, {one['tour_seconds']:.1f} s · 2 replicas through nginx: p95 "
        f"{two['p95_s']:.2f} s, errors {two['errors']}, {two['tour_seconds']:.1f} s"
    )
    assert (one["errors"], two["errors"]) == (0, 0), one["error_samples"] + two["error_samples"]
    assert (one["page_opens"], two["page_opens"]) == (120, 120)
    per_replica = {p: sum(f"upstream=127.0.0.1:{p}" in s for s in sockets) for p in up.ports}
    print(f"websockets per replica through nginx: {per_replica}")
    assert sum(per_replica.values()) == 40 and min(per_replica.values()) > 0, per_replica

"""A real app server on loopback for browser tests, and a Playwright browser (Debian's Chromium).

Without Chromium the browser tests are skipped locally and fail in CI (CI installs it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from access.demo import demo_password, ensure_demo_accounts
from bench.server import streamlit_command
from tests.conftest import ROOT
from tests.exports_fixture import write_good_set
from warehouse.load.loader import load

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A freshly started server: demo mode, the small fixture warehouse, the demo accounts."""
    folder = tmp_path_factory.mktemp("server")
    warehouse = folder / "data" / "warehouse.duckdb"
    assert load(write_good_set(folder / "exports"), warehouse).ok
    yield from _serve(folder, warehouse)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A server on the demo exports (the seed figures)."""
    from warehouse.demo.exports import write_demo

    folder = tmp_path_factory.mktemp("demo_server")
    warehouse = folder / "data" / "warehouse.duckdb"
    write_demo(folder / "exports")
    assert load(folder / "exports", warehouse).ok
    yield from _serve(folder, warehouse)


def _serve(folder: Path, warehouse: Path):
    db_url = f"sqlite:///{folder / 'app.db'}"
    ensure_demo_accounts(db=db_url)
    port = _free_port()
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "APP_DB_URL": db_url,
        "APP_DEMO": "1",
        "APP_BCRYPT_ROUNDS": "4",
        "APP_PREWARM": "1",
    }
    process = subprocess.Popen(
        streamlit_command("app.py", port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(base + "/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.terminate()
        pytest.fail("app server did not start within 60 s")
    yield type("Server", (), {"url": base, "warehouse": warehouse, "db_url": db_url, "folder": folder})
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it (apt-get install chromium fonts-noto-cjk)")
        pytest.skip("Chromium not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def settled(page, ms: int = 1500) -> None:
    """Wait until the script has drawn the login form or a signed-in page and stopped running."""
    page.wait_for_selector("input[aria-label='用户名'], button:has-text('退出登录')", timeout=30000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(ms)


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    settled(page)
    return page


def log_in(page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(demo_password(username))
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)


def shoot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def new_context(browser):
    return browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")


__all__ = ["server", "browser", "settled", "open_page", "log_in", "shoot", "new_context"]

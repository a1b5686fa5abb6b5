"""AppTest on the demo warehouse (the seed figures), with its own accounts DB.

Usage: `from demo_app_fixture import demo_app_env, open_page  # noqa: F401`.
"""
from __future__ import annotations

import pytest

from access.demo import ensure_demo_accounts
from app_fixture import login
from conftest import ROOT

# The session fixture `demo_warehouse` lives in conftest.py. This name only keeps older
# `from demo_app_fixture import demo_warehouse` lines working; pytest finds the real fixture.
demo_warehouse = None


@pytest.fixture
def demo_app_env(tmp_path, demo_warehouse, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    for name, value in {"WAREHOUSE_PATH": str(demo_warehouse), "APP_DB_URL": url, "APP_DEMO": "1",
                        "APP_BCRYPT_ROUNDS": "4"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ROOT)
    ensure_demo_accounts(db=url)
    return url


def open_page(path: str, username: str = "leader", year: int | None = None, towns: list[str] | None = None):
    """Log in, set the sidebar filters as a person would, open the page; returns the AppTest."""
    at = login(username)
    if year is not None:
        at.selectbox(key="f_year").select(year).run()
    if towns is not None:
        at.multiselect(key="f_towns").set_value(towns).run()
    at.switch_page(path).run()
    return at

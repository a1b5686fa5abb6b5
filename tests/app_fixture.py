"""AppTest fixtures: the app on a loaded warehouse, with an accounts database and demo accounts."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from access.demo import demo_password, ensure_demo_accounts
from tests.conftest import ROOT

TIMEOUT = 60


def app_environment(warehouse, folder, monkeypatch) -> str:
    """A demo-mode app on `warehouse` with its own accounts DB holding the demo accounts; its URL."""
    url = f"sqlite:///{folder / 'app.db'}"
    for name, value in {
        "WAREHOUSE_PATH": str(warehouse),
        "APP_DB_URL": url,
        "APP_DEMO": "1",
        "APP_BCRYPT_ROUNDS": "4",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ROOT)
    ensure_demo_accounts(db=url)
    return url


@pytest.fixture
def app_env(tmp_path, live, monkeypatch):
    """The app on the small fixture warehouse."""
    return app_environment(live, tmp_path, monkeypatch)


def new_app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def login(username: str, password: str | None = None, at: AppTest | None = None) -> AppTest:
    """Log in through the form, as a person would."""
    at = (at or new_app()).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password or demo_password(username))
    return at.button[0].click().run()  # a good login draws the page in this same run

"""What the login check costs a signed-in rerun: one look at the sessions table and no read of the
accounts, while every rerun still ends a login that has ended (logout, disabled, password)."""

import pytest
from streamlit.testing.v1 import AppTest

from access import accounts, sessions
from tests.app_fixture import TIMEOUT, app_env, login  # noqa: F401
from tests.conftest import ROOT


@pytest.fixture
def counted(monkeypatch):
    """How often this test's reruns asked the sessions table and read the accounts."""
    calls = {"check_session": 0, "config_for_authenticator": 0}
    for module, name in ((sessions, "check_session"), (accounts, "config_for_authenticator")):
        real = getattr(module, name)

        def counting(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)
    return calls


@pytest.mark.parametrize("page", [None, "pages/funds_page.py", "pages/audit_log_page.py"])
def test_a_signed_in_rerun_asks_the_sessions_table_once_and_reads_no_accounts(app_env, counted, page):
    at = login("admin")
    if page:
        at.switch_page(page).run()
    for key in counted:
        counted[key] = 0
    at.run()
    assert not at.exception and at.title
    assert counted == {"check_session": 1, "config_for_authenticator": 0}


def test_once_the_cookie_is_written_a_signed_in_rerun_builds_no_authenticator(app_env, monkeypatch):
    """The authenticator draws the library's cookie-reading frame: a signed-in rerun does without it."""
    import streamlit_authenticator

    at = login("admin")
    at.session_state["cookie_writer"] = True  # what the browser's writing frame answers once it has written
    at.run()
    built = []
    real = streamlit_authenticator.Authenticate

    def counting(*args, **kwargs):
        built.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(streamlit_authenticator, "Authenticate", counting)
    at.switch_page("pages/funds_page.py").run()
    at.run()
    assert not at.exception and at.title and built == []
    next(b for b in at.button if b.label == "退出登录").click().run()
    assert built == ["zhengshou_dashboard"]  # logging out deletes the cookie through it
    assert [t.label for t in at.text_input] == ["用户名", "密码"]


@pytest.mark.parametrize(
    "end",
    [
        lambda username, db: sessions.close_all(username, "logout", db=db),
        lambda username, db: accounts.disable_user(username, actor="admin", db=db),
        lambda username, db: accounts.set_password(username, "a-new-password-2026", actor="admin", db=db),
    ],
    ids=["logged out elsewhere", "disabled", "password changed"],
)
def test_the_next_rerun_still_ends_a_login_that_has_ended(app_env, end):
    at = login("chief")
    at.switch_page("pages/funds_page.py").run()
    at.run()  # a signed-in rerun, as above
    end("chief", app_env)
    at.run()
    assert "access" not in at.session_state
    assert [t.label for t in at.text_input] == ["用户名", "密码"] and not at.dataframe


def test_a_page_served_alone_checks_the_session_itself(app_env):
    """Outside app.py's run the page's own guard asks the sessions table: a closed login shows nothing."""
    from ui.auth import Access

    user = accounts.get_user("leader", db=app_env)
    sessions.open_session("leader", "key-leader", db=app_env)
    sessions.close_session("key-leader", db=app_env)
    at = AppTest.from_file(str(ROOT / "pages/overview_page.py"), default_timeout=TIMEOUT)
    at.session_state["access"] = Access("leader", user.display_name, user.role, user.townships, "key-leader")
    at.run()
    assert [w.value for w in at.warning] == ["请先登录。"] and not at.dataframe


def test_after_logging_out_the_form_logs_in_again(app_env):
    """The accounts are read again as soon as someone may log in."""
    at = login("admin")
    at.run()
    at = next(b for b in at.button if b.label == "退出登录").click().run()
    at = login("leader", at=at)
    assert not at.exception and at.session_state["access"].username == "leader"

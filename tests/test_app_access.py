"""AppTest: login through the form, each role's pages, lockout, and pages that check access themselves."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from access import audit, roles
from tests.app_fixture import TIMEOUT, app_env, login, new_app  # noqa: F401
from tests.conftest import ROOT
from ui.navigation import PAGES

ROLE_OF = {"leader": "领导", "chief": "科长", "chief_dc": "科长", "admin": "管理员"}


def test_logged_out_sees_only_the_login_form(app_env):
    at = new_app().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert not at.dataframe and "数据截至" not in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("username", list(ROLE_OF))
def test_login_through_the_form(app_env, username):
    at = login(username)
    assert not at.exception
    access = at.session_state["access"]
    assert (access.username, access.role) == (username, ROLE_OF[username])
    assert any("数据截至" in t.value for t in [*at.markdown, *at.caption])
    assert audit.recent(action="login_ok", username=username, db=app_env)


MANAGER = ["overview", "dispatch", "projects", "resettlement", "funds", "petitions", "holdouts", "status"]


@pytest.mark.parametrize(
    "role,expected", [("领导", MANAGER), ("科长", MANAGER), ("管理员", MANAGER + ["data_admin", "accounts", "audit"])]
)
def test_each_roles_page_list(role, expected):
    shown = [spec.key for spec in PAGES if roles.can_open(role, spec.key)]
    assert shown == expected


def test_wrong_password_and_unknown_user_get_the_same_answer(app_env):
    answers = []
    for username in ("leader", "nobody"):
        at = login(username, "wrong-password-1")
        answers.append([e.value for e in at.error])
        assert "access" not in at.session_state
    assert answers[0] == answers[1] == ["用户名或密码错误"]


def test_lockout_after_five_failures(app_env):
    at = new_app()
    for _ in range(5):
        at = login("leader", "wrong-password-1", at)
    at = login("leader", None, at)  # the right password, too late
    assert "access" not in at.session_state
    assert [e.value for e in at.error] == ["登录失败次数过多，本机已暂停该用户名登录15分钟"]
    assert audit.recent(action="locked", username="leader", db=app_env)


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_page_checks_access_itself_when_served_directly(app_env, spec):
    """Streamlit serves pages/ scripts by URL when st.navigation has not run: nothing shows."""
    at = AppTest.from_file(str(ROOT / spec.path), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["请先登录。"]
    assert not at.dataframe and not at.markdown


@pytest.mark.parametrize("username,page", [("leader", "data_admin"), ("chief", "audit"), ("chief_dc", "data_admin")])
def test_a_page_refuses_a_valid_login_of_a_role_that_may_not_open_it(app_env, username, page):
    """Even with a live session (say, the page's URL opened directly), the page says no."""
    from access import accounts, sessions
    from ui.auth import Access

    user = accounts.get_user(username, db=app_env)
    sessions.open_session(username, f"key-{username}", db=app_env)
    at = AppTest.from_file(str(ROOT / next(p for p in PAGES if p.key == page).path), default_timeout=TIMEOUT)
    at.session_state["access"] = Access(username, user.display_name, user.role, user.townships, f"key-{username}")
    at.run()
    assert [e.value for e in at.error] == ["当前账户无权访问此页面。"]
    assert not at.dataframe


@pytest.mark.parametrize("page", ["data_admin", "accounts", "audit"])
def test_admin_opens_the_admin_pages(app_env, page):
    at = login("admin")
    at.switch_page(next(p for p in PAGES if p.key == page).path).run()
    assert not at.exception and not at.error
    assert at.title[0].value == {"data_admin": "数据管理", "accounts": "账户管理", "audit": "审计日志"}[page]


def test_the_audit_page_shows_a_new_event_on_the_next_rerun(app_env):
    """The shown log is kept by the newest event id: a login elsewhere appears at once."""
    at = login("admin")
    at.switch_page("pages/audit_log_page.py").run()
    before = at.dataframe[0].value
    login("chief")
    at.run()
    after = at.dataframe[0].value
    assert len(after) == len(before) + 1
    assert list(after.iloc[0][["用户", "事件"]]) == ["chief", "登录成功"]
    at.multiselect[0].select("login_ok").run()  # a filter is a table of its own
    assert set(at.dataframe[0].value["事件"]) == {"登录成功"}


def test_a_new_account_is_listed_on_the_next_rerun(app_env):
    from access import accounts

    at = login("admin")
    at.switch_page("pages/accounts_page.py").run()
    assert "newclerk" not in list(at.dataframe[0].value["用户名"])
    accounts.create_user("newclerk", "secret-pass-1", "领导", "新文员", [], actor="admin", db=app_env)
    at.run()
    row = at.dataframe[0].value.set_index("用户名").loc["newclerk"]
    assert list(row[["姓名", "范围", "状态", "最近登录（北京时间）"]]) == ["新文员", "全区", "启用", "从未登录"]
    admin_login = accounts.get_user("admin", db=app_env).last_login_at  # kept in UTC, shown at UTC+8
    assert row.name == "newclerk" and at.dataframe[0].value.set_index("用户名").at["admin", "最近登录（北京时间）"] == (
        admin_login + dt.timedelta(hours=8)
    ).strftime("%Y-%m-%d %H:%M")


def test_an_account_made_or_changed_through_the_forms_is_listed_in_that_same_run(app_env):
    at = login("admin")
    at.switch_page("pages/accounts_page.py").run()
    create = {t.label: t for t in at.text_input}
    create["用户名（小写字母、数字）"].input("newclerk")
    create["姓名"].input("新文员")
    create["初始密码（至少8位）"].input("secret-pass-1")
    next(b for b in at.button if b.label == "新建").click().run()
    assert [s.value for s in at.success] == ["已新建账户 newclerk"]
    listed = at.dataframe[0].value.set_index("用户名")
    assert list(listed.loc["newclerk", ["姓名", "状态"]]) == ["新文员", "启用"]
    assert "newclerk" in next(s for s in at.selectbox if s.label == "账户").options
    next(s for s in at.selectbox if s.label == "账户").select("newclerk")
    at.radio[0].set_value("停用")
    next(b for b in at.button if b.label == "执行").click().run()
    assert at.dataframe[0].value.set_index("用户名").at["newclerk", "状态"] == "停用"


def test_admin_disables_a_user_and_that_users_session_ends(app_env):
    from access import sessions

    chief = login("chief")
    key = chief.session_state["access"].session_key
    at = login("admin")
    at.switch_page("pages/accounts_page.py").run()
    change = [s for s in at.selectbox if s.label == "账户"][0]
    change.select("chief")
    at.radio[0].set_value("停用")
    next(b for b in at.button if b.label == "执行").click().run()
    assert [s.value for s in at.success] == ["已停用：chief（其已登录的会话随即失效）"]
    assert sessions.check_session(key, db=app_env) is None
    chief.run()
    assert "access" not in chief.session_state and [t.label for t in chief.text_input] == ["用户名", "密码"]


def test_outside_demo_mode_the_app_refuses_to_start_without_a_cookie_key(app_env, monkeypatch):
    monkeypatch.delenv("APP_DEMO")
    monkeypatch.delenv("APP_COOKIE_KEY", raising=False)
    at = new_app().run()
    assert "APP_COOKIE_KEY 未设置" in at.error[0].value
    assert not at.text_input


def test_outside_demo_mode_a_long_key_is_accepted(app_env, monkeypatch):
    monkeypatch.delenv("APP_DEMO")
    monkeypatch.setenv("APP_COOKIE_KEY", "k" * 40)
    assert [t.label for t in new_app().run().text_input] == ["用户名", "密码"]


def test_logout_ends_the_server_session(app_env):
    at = login("admin")
    key = at.session_state["access"].session_key
    logout = next(b for b in at.button if b.label == "退出登录")
    at = logout.click().run()
    from access import sessions

    assert sessions.check_session(key, db=app_env) is None
    assert [t.label for t in at.text_input] == ["用户名", "密码"]


def test_no_page_file_is_named_like_a_url_path():
    """Else a rerun runs the file directly and skips app.py (see ui/navigation.py)."""
    from pathlib import Path

    assert not {Path(p.path).stem for p in PAGES} & {p.key for p in PAGES}


def test_a_rerun_keeps_the_frame_around_the_page(app_env):
    at = login("leader")
    at.run()
    assert [s.key for s in at.selectbox] == ["f_year", "f_sector"] and any(b.label == "退出登录" for b in at.button)

"""In a real browser: logged-out URLs show nothing, login, logout kills a saved cookie, and a
publish on the data page reaches another open session."""

import pytest

from tests.browser_fixture import browser, log_in, new_context, open_page, server, settled, shoot  # noqa: F401
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from ui.auth import COOKIE_NAME

SECRET_TEXT = ["数据截至", "各台账记录数", "加载记录", "审计日志", "纵三路"]


@pytest.mark.parametrize(
    "path",
    [
        "",
        "overview",
        "status",
        "data_admin",
        "accounts",
        "audit",
        "overview_page",
        "data_status_page",
        "data_admin_page",
        "accounts_page",
        "audit_log_page",
        "login",
    ],
)
def test_every_page_url_opened_logged_out_shows_no_data(server, browser, path):
    # First tests of the module: the server is fresh, as in the stack notes' finding.
    context = new_context(browser)
    page = open_page(context, f"{server.url}/{path}")
    body = page.inner_text("body")
    assert page.get_by_label("用户名").count() == 1 and page.get_by_label("密码").count() == 1
    assert not [t for t in SECRET_TEXT if t in body], body[:300]
    shoot(page, f"logged_out_{path or 'root'}")
    context.close()


def test_login_shows_the_dashboard_and_survives_a_reload(server, browser):
    context = new_context(browser)
    page = open_page(context, server.url)
    log_in(page, "leader")
    assert "数据截至 2025年6月1日" in page.inner_text("body")
    # the cookie written and said so: from then on a signed-in run draws no cookie frame at all
    page.wait_for_function(
        f"() => document.cookie.includes('{COOKIE_NAME}=')"
        " && document.querySelectorAll('[data-testid=stMain] iframe').length === 0",
        timeout=15000,
    )
    shoot(page, "leader_status")
    page.reload()
    settled(page)
    assert "数据截至 2025年6月1日" in page.inner_text("body")
    context.close()


def test_the_login_cookie_is_written_even_when_a_rerun_removes_its_first_frame(server, browser):
    # The cookie is written by a frame the login's run draws; a rerun that starts before that frame
    # has loaded removes it. Here its first load fails, then the user moves on to another page.
    context = new_context(browser)
    page = open_page(context, server.url)  # the cookie component's reading frame is loaded by now
    blocked = {"frames": True}
    page.route(
        "**/component/*CookieManager*/**",
        lambda route: route.abort() if blocked["frames"] else route.continue_(),
    )
    log_in(page, "leader")
    assert [c for c in context.cookies() if c["name"] == COOKIE_NAME] == []
    blocked["frames"] = False
    page.locator("[data-testid='stSidebarNav'] a").nth(1).click()
    settled(page)
    page.wait_for_function(f"() => document.cookie.includes('{COOKIE_NAME}=')", timeout=15000)
    settled(page)  # written, said so: no cookie frame is drawn any more
    assert page.locator("[data-testid='stMain'] iframe").count() == 0
    page.reload()  # and the login holds, as it does for anyone whose cookie was written at once
    settled(page)
    assert page.get_by_role("button", name="退出登录").count() == 1
    context.close()


def test_after_logout_a_saved_cookie_no_longer_logs_in(server, browser):
    context = new_context(browser)
    page = open_page(context, server.url)
    log_in(page, "chief")
    saved = context.cookies()
    assert any(c["name"] == "zhengshou_dashboard" for c in saved)
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("用户名").wait_for(timeout=30000)
    settled(page)
    context.close()

    replay = new_context(browser)
    replay.add_cookies(saved)
    page = open_page(replay, f"{server.url}/status")
    assert page.get_by_label("用户名").count() == 1 and "数据截至" not in page.inner_text("body")
    shoot(page, "cookie_replay_refused")
    replay.close()


def test_publish_on_the_data_page_reaches_another_open_session(server, browser, tmp_path):
    viewer_context = new_context(browser)
    viewer = open_page(viewer_context, server.url)
    log_in(viewer, "leader")
    assert "数据截至 2025年6月1日" in viewer.inner_text("body")

    exports = tmp_path / "week"
    from tests.exports_fixture import write_good_set

    write_good_set(exports)
    later = [dict(r) for r in GOOD_ROWS["petitions"]] + [
        dict(GOOD_ROWS["petitions"][0], case_id="C3", received_date="2025-07-01", closed_date="")
    ]
    write_csv(exports / "信访台账导出.csv", table("petitions", later))

    admin_context = new_context(browser)
    admin = open_page(admin_context, f"{server.url}/data_admin")
    log_in(admin, "admin")
    assert "数据管理" in admin.inner_text("body")
    admin.locator("input[type=file]").set_input_files(sorted(str(p) for p in exports.iterdir()))
    admin.wait_for_timeout(2000)
    admin.get_by_role("button", name="校验并发布").click()
    admin.get_by_text("已发布：数据截至 2025-07-01").wait_for(timeout=60000)
    shoot(admin, "admin_published")

    viewer.keyboard.press("r")  # a rerun of the open session, no reload, no restart
    viewer.get_by_text("数据截至 2025年7月1日").first.wait_for(timeout=30000)  # the caption, or a chart drawn first
    shoot(viewer, "viewer_sees_new_data")
    viewer_context.close()
    admin_context.close()


def _jwt(payload: dict) -> str:
    import jwt

    from access.secrets import DEMO_COOKIE_KEY

    return jwt.encode(payload, DEMO_COOKIE_KEY, algorithm="HS256")


FAR = 4102444800  # 2100-01-01: an expiry the library accepts


@pytest.mark.parametrize(
    "value",
    [
        "not-a-token",
        _jwt({"username": "leader"}),  # no expiry
        _jwt({"username": "ghost", "exp_date": FAR}),  # no such account
        _jwt({"username": "leader", "exp_date": "soon"}),
        _jwt({"username": "leader", "exp_date": FAR, "exp": 1}),  # a JWT that has itself expired
        _jwt({"username": ["leader"], "exp_date": FAR}),
    ],
    ids=["garbage", "no_expiry", "unknown_user", "bad_expiry", "jwt_expired", "odd_username"],
)
def test_a_malformed_cookie_shows_the_login_form(server, browser, value):
    context = new_context(browser)
    context.add_cookies([{"name": "zhengshou_dashboard", "value": value, "url": server.url}])
    page = open_page(context, f"{server.url}/status")
    body = page.inner_text("body")
    assert "This app has encountered an error" not in body and "Error" not in body, body[:300]
    assert page.get_by_label("用户名").count() == 1 and "数据截至" not in body
    context.close()


def test_a_disabled_users_leftover_cookie_shows_the_login_form(server, browser):
    from access import accounts

    accounts.create_user("leader_c", "Zhengshou#2026c", "领导", "王副主任", [], db=server.db_url)
    context = new_context(browser)
    page = open_page(context, server.url)
    page.get_by_label("用户名").fill("leader_c")
    page.get_by_label("密码").fill("Zhengshou#2026c")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    saved = context.cookies()
    context.close()
    accounts.disable_user("leader_c", db=server.db_url)

    leftover = new_context(browser)
    leftover.add_cookies(saved)
    page = open_page(leftover, f"{server.url}/status")
    body = page.inner_text("body")
    assert "This app has encountered an error" not in body, body[:300]
    assert page.get_by_label("用户名").count() == 1 and "数据截至" not in body
    page.reload()  # and again on the next visit: the cookie does not bring the error back
    settled(page)
    assert page.get_by_label("用户名").count() == 1
    log_in(page, "leader")  # the form works: another account logs in from this browser
    assert "数据截至" in page.inner_text("body")
    page.reload()
    settled(page)
    assert "数据截至" in page.inner_text("body")  # with a fresh cookie of its own
    leftover.close()

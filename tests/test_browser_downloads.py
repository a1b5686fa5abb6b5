"""In a real browser: a download is checked and audited where the file is served.

Streamlit fetches a download's file in a websocket request of its own, apart from the click's
rerun of the page. A client can send that request alone (here: the browser's reruns are dropped
on the wire), and an open tab can send it after its login has ended."""

import io

import openpyxl
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from access import accounts, audit
from tests.browser_fixture import browser, demo_server, log_in, open_page, settled  # noqa: F401

BUTTON = "button:has-text('下载“未签约尾欠户-')"
LEADER_B = "leader_b"
PASSWORD_B = "Zhengshou#2026b"


def _without_reruns(context, dropping: dict) -> None:
    """Forward the app's websocket both ways, dropping the browser's rerun requests while
    dropping["on"] is set (what a client that fetches only the file sends)."""

    def route(ws):
        server = ws.connect_to_server()

        def upstream(message):
            if dropping["on"] and isinstance(message, bytes):
                if BackMsg.FromString(message).WhichOneof("type") == "rerun_script":
                    dropping["dropped"] += 1
                    return
            server.send(message)

        ws.on_message(upstream)
        server.on_message(ws.send)

    context.route_web_socket("**/_stcore/stream", route)


def _holdouts(browser, demo_server, username, password=None):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN", accept_downloads=True)
    dropping = {"on": False, "dropped": 0}
    _without_reruns(context, dropping)
    page = open_page(context, demo_server.url)
    if password is None:
        log_in(page, username)
    else:
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
        settled(page)
    page.goto(f"{demo_server.url}/holdouts")
    settled(page, 2500)
    grid = page.locator("[data-testid='stDataFrame']").first  # 分项目尾欠户: pick the first project
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
    page.locator(BUTTON).wait_for(timeout=30000)
    settled(page)
    return context, page, dropping


def test_a_personal_download_fetched_without_its_rerun_is_audited(browser, demo_server):
    context, page, dropping = _holdouts(browser, demo_server, "leader")
    before = len(audit.recent(action="download_personal", username="leader", db=demo_server.db_url))
    dropping["on"] = True
    with page.expect_download(timeout=60000) as download:
        page.locator(BUTTON).click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    headers = [c.value for row in sheet.iter_rows(max_row=6) for c in row]
    assert "户主姓名" in headers  # the leader's file holds the owners' names unmasked
    events = audit.recent(action="download_personal", username="leader", db=demo_server.db_url)
    assert len(events) == before + 1
    assert events[0]["detail"]["what"].startswith("未签约尾欠户-") and events[0]["detail"]["rows"] > 0
    context.close()


def test_an_open_tab_gets_no_file_once_its_login_has_ended(browser, demo_server):
    if accounts.get_user(LEADER_B, db=demo_server.db_url) is None:
        accounts.create_user(LEADER_B, PASSWORD_B, "领导", "李副主任", [], db=demo_server.db_url)
    context, page, _ = _holdouts(browser, demo_server, LEADER_B, PASSWORD_B)
    accounts.disable_user(LEADER_B, db=demo_server.db_url)  # python -m access disable leader_b
    with pytest.raises(Exception, match="Timeout"):
        with page.expect_download(timeout=8000):
            page.locator(BUTTON).click()
    assert audit.recent(action=["download_personal", "download"], username=LEADER_B, db=demo_server.db_url) == []
    refused = audit.recent(action="download_refused", username=LEADER_B, db=demo_server.db_url)
    assert len(refused) == 1
    context.close()

"""In a real browser, on the demo data: the 周调度 page whole and in 投屏 mode, a drill-through by
clicking a table row, a table's XLSX download and the briefing pack opened and checked."""

import io
import zipfile

import openpyxl
import pytest
from PIL import Image

from tests.browser_fixture import SHOTS, browser, demo_server, log_in, new_context, open_page, settled, shoot  # noqa: F401


@pytest.fixture(scope="module")
def leader(demo_server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = open_page(context, demo_server.url)
    page.reload()  # a cold server's first form can be inert: one reload warms it
    settled(page)
    log_in(page, "leader")
    yield page
    context.close()


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def test_the_page_whole_in_one_screenshot(leader, demo_server):
    leader.set_viewport_size({"width": 1600, "height": 5200})
    leader.goto(f"{demo_server.url}/dispatch")
    settled(leader, 3000)
    text = main_text(leader)
    for part in [
        "周调度",
        "本周：2026年第47周（11月16日—11月20日）",
        "本周要点",
        "镇街排名（晒一晒、比一比）",
        "滞后于序时进度的项目",
        "预警",
        "倒排进度：还需每周完成多少",
        "截至11月20日，本年累计完成征地879.21亩",
    ]:
        assert part in text, part
    assert "This app has encountered an error" not in text
    leader.screenshot(path=str(SHOTS / "dispatch_full.png"))
    leader.set_viewport_size({"width": 1600, "height": 1000})


def test_clicking_a_headline_row_shows_its_rows(leader, demo_server):
    leader.goto(f"{demo_server.url}/dispatch")
    settled(leader, 2500)
    grid = leader.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    leader.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first data row's selection cell
    leader.get_by_text("征地面积 · 本周明细").wait_for(timeout=30000)
    settled(leader, 1500)
    assert "下载“征地面积本周明细”（XLSX）" in main_text(leader)
    shoot(leader, "dispatch_drill")


def test_a_table_download_opens_with_its_figures(leader, demo_server):
    leader.goto(f"{demo_server.url}/dispatch")
    settled(leader, 2500)
    with leader.expect_download(timeout=60000) as download:
        leader.get_by_role("button", name=__import__("re").compile("周调度要点_20261120")).click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = book.active
    assert "数据截至 2026年11月20日" in sheet["A1"].value
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["征地面积"][2:6] == ("24.5027", "15.5027", "+9.0000", "879.2100")
    assert download.value.suggested_filename == "周调度要点_20261120.xlsx"


def test_the_briefing_pack_downloads_and_opens(leader, demo_server):
    leader.goto(f"{demo_server.url}/dispatch")
    settled(leader, 2500)
    with leader.expect_download(timeout=120000) as download:
        leader.get_by_role("button", name=__import__("re").compile("下载周调度简报包")).click()
    assert download.value.suggested_filename == "周调度简报包_20261120.zip"
    pack = zipfile.ZipFile(download.value.path())
    book = openpyxl.load_workbook(io.BytesIO(pack.read("周调度简报_20261120.xlsx")))
    assert book.sheetnames == ["本周要点", "镇街排名", "滞后项目", "预警清单", "倒排进度", "简报文字"]
    charts = [n for n in pack.namelist() if n.endswith(".png")]
    assert len(charts) == 9
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name in charts:
        image = Image.open(io.BytesIO(pack.read(name)))
        assert image.width >= 1800  # A4 text width at 300 dpi (tests/test_briefing_pack.py checks the edges)
    (SHOTS / "pack_ranking_land.png").write_bytes(pack.read("图表/03_镇街排名_征地面积.png"))


def test_projector_mode_fills_a_16_by_9_screen_without_the_sidebar(demo_server, browser, leader):
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", storage_state=leader.context.storage_state()
    )
    page = context.new_page()
    page.goto(f"{demo_server.url}/dispatch?screen=1")
    # settled() waits for the sidebar's 退出登录 button, which this mode hides: wait for the page itself
    page.get_by_role("heading", name="本周要点").wait_for(timeout=30000)
    # the status widget can be gone before the run starts: wait for every table, no placeholder left
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stTable]').length >= 5"
        " && !document.querySelector('[data-testid=stSkeleton], [data-testid=stStatusWidget]')",
        timeout=30000,
    )
    page.wait_for_timeout(1500)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 22
    assert "本周要点" in main_text(page)
    # the headline and 本周最需关注 on the first screen, in type the back of the room can read
    bottoms = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stTable]')].slice(0, 2)"
        ".map(t => t.getBoundingClientRect().bottom)"
    )
    assert len(bottoms) == 2 and max(bottoms) <= 1080, bottoms
    # the demo's data (to 11月20日) is stale from 11月28日 on: its one-line notice is on that screen too
    stale = page.get_by_text("天未更新").bounding_box()
    assert stale is not None and stale["y"] + stale["height"] <= 1080 and stale["height"] < 50, stale
    cell = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stTable] td')).fontSize)"
    )
    assert cell >= 20
    assert not page.get_by_text("投屏模式").is_visible() and not page.get_by_text("数据来源").is_visible()
    assert page.get_by_role("link", name="退出投屏").count() == 1
    shoot(page, "dispatch_projector")
    context.close()

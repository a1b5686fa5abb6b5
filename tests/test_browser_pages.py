"""In a real browser, on the demo data: every page at 1600×1000, screenshots to look at, no error
and no English left over; a copied link with filters opens the same view."""

import re

import pytest

from tests.browser_fixture import browser, demo_server, log_in, new_context, open_page, settled, shoot  # noqa: F401
from ui.navigation import PAGES

ENGLISH_LEFTOVERS = re.compile(
    r"\b(Error|Traceback|None|NaN|nan|null|undefined|Exception|Choose options|"
    r"Choose an option|No results|Browse files|Drag and drop)\b"
)


@pytest.fixture(scope="module")
def admin_page(demo_server, browser):
    context = new_context(browser)
    page = open_page(context, demo_server.url)
    log_in(page, "admin")
    yield page
    context.close()


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_page_renders_in_chinese(demo_server, admin_page, spec):
    admin_page.goto(f"{demo_server.url}/{spec.key}")
    settled(admin_page, 2500)
    body = admin_page.inner_text("[data-testid='stMain']")
    assert spec.title in body
    assert "This app has encountered an error" not in body
    assert not ENGLISH_LEFTOVERS.findall(body), ENGLISH_LEFTOVERS.findall(body)[:5]
    shoot(admin_page, f"page_{spec.key}")


def test_a_copied_link_with_filters_opens_the_same_view(demo_server, admin_page):
    admin_page.goto(f"{demo_server.url}/overview?year=2025&towns=东城街道&key=1")
    settled(admin_page, 2500)
    assert "数据截至 2025年12月31日 · 2025年 · 东城街道 · 仅重点项目" in admin_page.inner_text("[data-testid='stMain']")
    shoot(admin_page, "overview_filtered_link")


def test_the_upload_box_reads_in_chinese(demo_server, admin_page):
    """Streamlit writes "Upload" and "100MB per file • …" with no option to change them; CSS puts
    Chinese over them (widgets.uploader_in_chinese): the English is drawn at size 0."""
    admin_page.goto(f"{demo_server.url}/data_admin")
    settled(admin_page, 2500)
    drawn = admin_page.evaluate("""() => [
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p',
        '[data-testid="stFileUploaderDropzoneInstructions"] span'].map(selector => {
            const element = document.querySelector(selector);
            return [getComputedStyle(element).fontSize, getComputedStyle(element, '::after').content];
        })""")
    assert drawn == [["0px", '"选择文件"'], ["0px", '"或将文件拖到此处 · 每个文件不超过 100 MB"']]
    shoot(admin_page, "data_admin_upload_box")


def test_the_filters_come_back_as_left_after_a_page_without_them(demo_server, admin_page):
    """数据管理 reads no filter and draws none; the next content page has them as they were left,
    in its view and in its link."""
    admin_page.goto(f"{demo_server.url}/overview?year=2025&towns=东城街道&key=1")
    settled(admin_page, 2500)
    sidebar = admin_page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("link", name="数据管理").click()
    settled(admin_page, 2500)
    assert sidebar.get_by_text("筛选", exact=True).count() == 0 and sidebar.get_by_text("年度").count() == 0
    shoot(admin_page, "data_admin_sidebar_without_filters")
    sidebar.get_by_role("link", name="资金拨付").click()
    settled(admin_page, 2500)
    assert "2025年 · 东城街道 · 仅重点项目" in admin_page.inner_text("[data-testid='stMain']")
    assert re.search(r"/funds\?year=2025&towns=%E4%B8%9C%E5%9F%8E%E8%A1%97%E9%81%93&key=1$", admin_page.url), (
        admin_page.url
    )
    shoot(admin_page, "funds_filters_kept")

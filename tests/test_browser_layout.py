"""In Chromium on the demo data, at the widths users have (1920 投屏, 1600, a 1366 laptop, a 390
phone): nothing a user can read or hover is English; on a laptop every table keeps its key
columns (display.columns, key=True) in view whatever the side-scroll; one figure reads one status
on every page."""

import re

import pytest

from display.columns import KEY_HEADERS
from tests.browser_fixture import browser, demo_server, log_in, settled, shoot  # noqa: F401
from ui.navigation import PAGES

# Latin text a user may meet: file types, the office programs they open in, units and the codes
# the ledgers themselves use.
ALLOWED = {"XLSX", "PNG", "ZIP", "CSV", "XLS", "XLSB", "ODS", "DOCX", "WORD", "WPS", "MB", "GB", "NCZS"}
LATIN = re.compile(r"[A-Za-z][A-Za-z_]{2,}")

# Every visible text node and every tooltip. Not read by anyone: text drawn at size 0 (English
# Streamlit text with Chinese drawn over it), icon ligatures ("dashboard" drawn as a glyph) and the
# inside of a closed expander.
VISIBLE_TEXT = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!node.textContent.trim() || !element || element.closest('style, script')) continue;
    if (element.closest('details:not([open])') && !element.closest('summary')) continue;  // a closed expander
    const style = getComputedStyle(element);
    if (style.fontFamily.includes('Material')) continue;  // an icon's name, drawn as its glyph
    if (parseFloat(style.fontSize) === 0 || style.visibility === 'hidden' || !element.getClientRects().length) continue;
    texts.push(node.textContent.trim());
  }
  for (const element of document.querySelectorAll('[title], [data-title]')) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const after = getComputedStyle(element, '::after').content;
    const shown = after && after !== 'none' && !after.startsWith('attr') ? after : null;
    texts.push(shown || element.getAttribute('data-title') || element.getAttribute('title'));
  }
  return texts.filter(Boolean);
}"""

WIDTHS = {"1600": (1600, 1000), "1366": (1366, 768), "390": (390, 844)}


@pytest.fixture(scope="module")
def admin_at(demo_server, browser):
    """One signed-in admin tab per width (admin opens every page)."""
    contexts, pages = [], {}
    for name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.goto(demo_server.url)
        settled(page)
        log_in(page, "admin")
        contexts.append(context)
        pages[name] = page
    yield pages
    for context in contexts:
        context.close()


def english(texts: list[str]) -> list[str]:
    return sorted({word for text in texts for word in LATIN.findall(text) if word.upper() not in ALLOWED})


def projector_settled(page) -> None:
    """投屏 hides the sidebar (and with it settled()'s 退出登录): wait for the headline table itself."""
    page.locator("[data-testid=stTable] td", has_text="接房套数").first.wait_for(timeout=30000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(2000)


def open_at(page, url: str) -> None:
    page.goto(url)
    settled(page, 2500)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_nothing_a_user_reads_is_english(demo_server, admin_at, spec, width):
    page = admin_at[width]
    open_at(page, f"{demo_server.url}/{spec.key}")
    assert spec.title in page.inner_text("[data-testid='stMain']")
    assert english(page.evaluate(VISIBLE_TEXT)) == [], page.evaluate(VISIBLE_TEXT)


def test_nothing_is_english_in_projector_mode(demo_server, browser, admin_at):
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080},
        locale="zh-CN",
        storage_state=admin_at["1600"].context.storage_state(),
    )
    page = context.new_page()
    page.goto(f"{demo_server.url}/dispatch?screen=1")
    projector_settled(page)
    assert english(page.evaluate(VISIBLE_TEXT)) == []
    context.close()


def test_the_english_check_sees_english(demo_server, admin_at):
    """The check itself: a Latin word put on the page is found; one drawn at size 0 is not."""
    page = admin_at["1366"]
    open_at(page, f"{demo_server.url}/overview")
    page.evaluate("""() => {
        const main = document.querySelector('[data-testid=stMain]');
        for (const [text, size] of [['Download report', '14px'], ['Hidden words', '0px']]) {
            const p = document.createElement('p'); p.textContent = text; p.style.fontSize = size; main.prepend(p);
        }
        const b = document.createElement('button'); b.setAttribute('title', 'Print page'); main.prepend(b);
    }""")
    assert english(page.evaluate(VISIBLE_TEXT)) == ["Download", "Print", "page", "report"]


# The columns each grid draws (its accessible header row lists only the columns on screen).
DRAWN_COLUMNS = """() => Promise.all([...document.querySelectorAll('[data-testid=stDataFrame]')]
    .filter(grid => grid.querySelector('.dvn-scroller') && grid.getClientRects().length)  // drawn: not in a closed tab
    .map(async grid => {
  const scroller = grid.querySelector('.dvn-scroller');
  const headers = () => [...grid.querySelectorAll('[role=columnheader]')].map(h => h.innerText.trim());
  const before = headers();
  const wide = scroller.scrollWidth > scroller.clientWidth + 2;
  scroller.scrollLeft = scroller.scrollWidth;
  await new Promise(done => setTimeout(done, 400));
  const after = headers();
  scroller.scrollLeft = 0;
  return {wide, before, after};
}))"""


@pytest.mark.parametrize("spec", [p for p in PAGES if p.section == "看板"], ids=lambda p: p.key)
def test_key_columns_stay_in_view_on_a_laptop(demo_server, admin_at, spec):
    page = admin_at["1366"]
    open_at(page, f"{demo_server.url}/{spec.key}")
    grids = page.evaluate(DRAWN_COLUMNS)
    for tab in page.get_by_role("tab").all()[1:]:  # the grids of the other tabs are drawn when opened
        tab.click()
        page.wait_for_timeout(800)
        grids += page.evaluate(DRAWN_COLUMNS)
    assert grids, "no table on the page"
    for grid in grids:
        keys = KEY_HEADERS.intersection(grid["before"]) | KEY_HEADERS.intersection(grid["after"])
        if grid["wide"]:
            # drawn before any side-scroll, and still drawn with the grid scrolled to its right end
            assert KEY_HEADERS.intersection(grid["before"]) == keys == KEY_HEADERS.intersection(grid["after"]), grid
    shoot(page, f"laptop_{spec.key}")


def test_one_status_for_the_handover_rate_on_every_page(demo_server, browser, admin_at):
    """接房率 on 总览's card, 安置还房's card and the 周调度 row (in 投屏, where the table is HTML):
    one value, one word."""
    page = admin_at["1600"]
    read = []
    for key in ("overview", "resettlement"):
        open_at(page, f"{demo_server.url}/{key}")
        card = page.locator(".kpi", has=page.locator(".kpi-label", has_text=re.compile("^接房率$")))
        read.append((card.locator(".kpi-value").inner_text(), card.locator(".kpi-note span").first.inner_text()))
    context = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN", storage_state=page.context.storage_state()
    )
    projector = context.new_page()
    projector.goto(f"{demo_server.url}/dispatch?screen=1")
    projector_settled(projector)
    cells = projector.locator("[data-testid=stTable] tr", has_text="接房套数").first.locator("td").all_inner_texts()
    read.append((cells[7].removeprefix("接房率 "), "● " + cells[-1]))
    context.close()
    assert read == [("86.90%", "● 滞后")] * 3


def swipe_up(page, x: float, y_from: float, y_to: float) -> None:
    """A finger drawn up the screen, as the phone's touch events (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y_from}]})
    for y in range(int(y_from), int(y_to), -25):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(800)


@pytest.fixture(scope="module")
def phone(demo_server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(demo_server.url)
    settled(page)
    log_in(page, "leader")
    yield page
    context.close()


def test_a_phone_opens_with_the_summary_and_compact_cards(demo_server, phone):
    open_at(phone, f"{demo_server.url}/overview")
    summary = phone.locator(".phone-summary")
    assert summary.is_visible() and summary.bounding_box()["y"] < 844
    assert summary.inner_text().startswith("征地完成面积 879.21 亩（略低于序时进度）；")
    # two cards to a row, each its label, figure and status word; the notes wait for a wider screen
    first = phone.locator(".kpi-row").first.locator(".kpi")
    boxes = [first.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["height"] < 120
    assert not phone.locator(".kpi-detail").first.is_visible()
    assert first.nth(0).inner_text().split("\n") == ["征地完成面积", "879.21 亩", "● 略低于序时进度"]
    shoot(phone, "phone_overview")


def test_a_phone_hides_the_meetings_controls(demo_server, phone):
    open_at(phone, f"{demo_server.url}/dispatch")
    assert phone.locator(".phone-summary").inner_text().startswith("截至11月20日，本年累计完成征地879.21亩")
    for control in ("投屏模式", "数据来源", "冻结本周数据与历次快照对比"):
        assert not phone.get_by_text(control, exact=True).first.is_visible(), control
    shoot(phone, "phone_dispatch")


def test_a_finger_on_a_chart_scrolls_the_page(demo_server, phone):
    open_at(phone, f"{demo_server.url}/overview")
    chart = phone.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    phone.wait_for_timeout(500)
    box = chart.bounding_box()
    top = "() => document.querySelector('[data-testid=stMain]').scrollTop"
    before = phone.evaluate(top)
    swipe_up(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8, box["y"] + box["height"] * 0.2)
    assert phone.evaluate(top) > before + 150

"""In a real browser, on the demo data: the charts keep every label at the widths the center uses —
投屏 at 1920×1080, a 1600×1000 desktop, a 1366×768 laptop and a 390×844 phone. The ranking names each of its 14 towns,
uncut; a phone's month labels lie flat, side by side, inside the chart."""

import pytest
from PIL import Image

from display.views import dispatch as dispatch_view
from tests.browser_fixture import SHOTS, browser, demo_server, log_in, open_page, settled, shoot  # noqa: F401
from tests.image_support import ink_at_the_edges
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

SIZES = {"投屏": (1920, 1080, "?screen=1"), "桌面": (1600, 1000, ""), "笔记本": (1366, 768, ""), "手机": (390, 844, "")}


@pytest.fixture(scope="module")
def signed_in(demo_server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = open_page(context, demo_server.url)
    page.reload()  # a cold server's first form can be inert: one reload warms it
    settled(page)
    log_in(page, "leader")
    yield context.storage_state()
    context.close()


def opened(browser, state, url: str, size: str):
    width, height, _ = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", storage_state=state)
    page = context.new_page()
    page.goto(url)
    # settled() waits for the sidebar's 退出登录 button, which 投屏 hides: wait for the charts
    page.wait_for_selector(".js-plotly-plot .ytick", timeout=60000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30000)
    page.wait_for_timeout(2500)
    return context, page


TICKS = """([title, axis]) => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')]
    .find(p => (p.querySelector('.gtitle') || {}).textContent?.startsWith(title));
  const box = plot.getBoundingClientRect();
  return [...plot.querySelectorAll(`.${axis}tick text`)].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, transform: t.getAttribute('transform') || '',
            left: r.left - box.left, right: box.right - r.right, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom};
  });
}"""


@pytest.fixture(scope="module")
def town_labels(demo_server):
    """The 14 labels the 征地 ranking plots, as the page builds them from the same warehouse."""
    with Warehouse(demo_server.warehouse) as wh:
        generation = wh.snapshot()
        scope = Scope.for_year(2026, generation.as_of)
        ranked = dispatch_view.ranking(lambda n, **p: generation.run(n, p), scope, Thresholds(), "征地面积(亩)")
    labels = list(ranked[1].data[0].y)
    assert len(labels) == 14
    return labels


@pytest.mark.parametrize("size", SIZES)
def test_the_ranking_chart_names_every_town_uncut(browser, signed_in, demo_server, town_labels, size):
    context, page = opened(browser, signed_in, f"{demo_server.url}/dispatch{SIZES[size][2]}", size)
    ticks = page.evaluate(TICKS, ["镇街排名", "y"])
    shoot(page, f"charts_ranking_{SIZES[size][0]}")
    context.close()
    ticks.sort(key=lambda t: t["y0"])  # as read, top to bottom
    assert [t["text"] for t in ticks] == town_labels  # 投屏 showed every other town
    assert all(a["y1"] <= b["y0"] for a, b in zip(ticks, ticks[1:])), ticks  # none overlaps the next
    assert all(t["left"] >= 0 and t["right"] >= 0 for t in ticks), ticks  # inside the chart


def test_a_phones_month_labels_lie_flat_apart_and_inside(browser, signed_in, demo_server):
    context, page = opened(browser, signed_in, demo_server.url, "手机")
    ticks = page.evaluate(TICKS, ["2026年逐月", "x"])
    shoot(page, "charts_months_390")
    context.close()
    assert len(ticks) == 12 and not [t for t in ticks if "rotate" in t["transform"]], ticks
    assert all(a["x1"] <= b["x0"] for a, b in zip(ticks, ticks[1:])), ticks  # none overlaps the next
    assert all(t["left"] >= 0 and t["right"] >= 0 for t in ticks), ticks
    assert [t["text"] for t in ticks] == [str(m) for m in range(1, 13)]  # under the axis title 月份


def test_a_charts_download_button_gives_a_page_wide_png_with_nothing_cut(browser, signed_in, demo_server):
    """The modebar's 下载图片 on a 1366 laptop: 1830 px wide whatever the screen, every town in it."""
    context, page = opened(browser, signed_in, f"{demo_server.url}/dispatch", "笔记本")
    plot = page.locator(".js-plotly-plot", has_text="镇街排名").first
    plot.hover()
    with page.expect_download(timeout=60000) as download:
        plot.locator(".modebar-btn[data-title='下载图片（PNG）']").click()
    image = Image.open(download.value.path())
    image.load()
    context.close()
    image.save(SHOTS / "charts_download_ranking.png")
    assert download.value.suggested_filename == "镇街排名_征地面积(亩).png"
    assert image.width == 1830, image.size
    assert ink_at_the_edges(image) == {}


CHART_PAGES = ["overview", "dispatch", "resettlement", "funds", "petitions", "holdouts"]
MARGINS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
  title: (p.querySelector('.gtitle') || {}).textContent, given: p.layout.margin.l, drawn: p._fullLayout._size.l}))"""


@pytest.mark.parametrize("page_key", CHART_PAGES)
def test_each_chart_is_drawn_with_the_left_margin_it_was_given(browser, signed_in, demo_server, page_key):
    """display.charts works out the room for the y axis: had plotly's automargin needed more, it
    would have drawn the chart a second time (twice the browser's time on a page's charts)."""
    context, page = opened(browser, signed_in, f"{demo_server.url}/{page_key}", "笔记本")
    margins = page.evaluate(MARGINS)
    context.close()
    assert margins and all(m["drawn"] == m["given"] for m in margins), margins

"""Hostile ledger text in a real browser: names that are HTML, script, markdown or Streamlit
directives show as the text they are — in tables, headings, chart labels and hovers — never run,
and never become formulas in XLSX downloads."""

import io
import re

import openpyxl
import pytest

from tests.browser_fixture import _serve, browser, log_in, new_context, open_page, settled, shoot  # noqa: F401
from tests.exports_fixture import GOOD_ROWS, table, write_csv, write_good_set
from ui.navigation import PAGES
from warehouse.load.loader import load

IMG = "<img src=x onerror=alert(1)>"
SCRIPT_PROJECT = "<script>alert(2)</script>:red[纵三路]**道路**"
HOSTILE_TOWN = "<b onmouseover=alert(3)>水江镇</b>"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
# An overdue site: its name goes inside a :orange-badge[…] directive, where "]" would end the badge.
LINK_SITE = "]**粗体**:blue[蓝][点我](http://evil.example)安置区"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    exports = write_good_set(folder / "exports")
    projects = [
        dict(GOOD_ROWS["projects"][0], project_name=SCRIPT_PROJECT),
        dict(GOOD_ROWS["projects"][1], township=HOSTILE_TOWN),
    ]
    households = [
        dict(GOOD_ROWS["households"][0], owner_name=IMG),
        dict(GOOD_ROWS["households"][1], owner_name=FORMULA),
    ]
    write_csv(exports / "项目台账导出.csv", table("projects", projects))
    write_csv(exports / "被征收户台账导出.csv", table("households", households))
    targets = GOOD_ROWS["targets"] + [dict(year="2025", metric="征地面积(亩)", value="50", township=HOSTILE_TOWN)]
    write_csv(exports / "年度目标导出.csv", table("targets", targets))  # so its bar is drawn in the ranking
    sites = GOOD_ROWS["resettlement_sites"] + [
        dict(
            GOOD_ROWS["resettlement_sites"][0],
            site_id="S2",
            site_name=LINK_SITE,
            total_units="1",
            planned_delivery_date="2024-06-30",
            delivered_date="",
        )
    ]
    write_csv(exports / "安置还房项目导出.csv", table("resettlement_sites", sites))
    warehouse = folder / "data" / "warehouse.duckdb"
    result = load(exports, warehouse)
    assert result.ok, result.errors[:3]
    yield from _serve(folder, warehouse)


@pytest.fixture(scope="module")
def admin(hostile_server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1400}, locale="zh-CN", accept_downloads=True)
    page = open_page(context, hostile_server.url)
    page.reload()
    settled(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, "admin")
    page.dialogs = dialogs
    yield page
    context.close()


def injected(page) -> dict:
    """Elements the hostile text would create if it were ever rendered as HTML."""
    return {
        "img[src=x]": page.locator("img[src='x']").count(),
        "script": page.locator("script:has-text('alert(2)')").count(),
        "b[onmouseover]": page.locator("b[onmouseover]").count(),
    }


@pytest.mark.parametrize("spec", [p for p in PAGES if p.section == "看板"], ids=lambda p: p.key)
def test_no_page_runs_or_renders_the_hostile_text(admin, hostile_server, spec):
    admin.goto(f"{hostile_server.url}/{spec.key}?year=2025")
    settled(admin, 2500)
    assert injected(admin) == {"img[src=x]": 0, "script": 0, "b[onmouseover]": 0}
    assert admin.dialogs == []
    assert "This app has encountered an error" not in admin.inner_text("[data-testid='stMain']")


def test_the_project_heading_and_the_households_show_the_literal_text(admin, hostile_server):
    admin.goto(f"{hostile_server.url}/projects?year=2025")
    settled(admin, 2500)
    grid = admin.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    admin.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # select the first project (P1)
    settled(admin, 2000)
    shoot(admin, "hostile_project_clicked")
    heading = admin.get_by_role("heading", name=re.compile(r"alert\(2\)")).first
    heading.wait_for(timeout=30000)
    heading = heading.inner_text()
    assert SCRIPT_PROJECT in heading  # shown as written, markdown and all
    assert injected(admin) == {"img[src=x]": 0, "script": 0, "b[onmouseover]": 0} and admin.dialogs == []
    shoot(admin, "hostile_project")
    # download labels are markdown too: the project name in them is shown as written
    label = admin.get_by_role("button", name=re.compile("地块”（XLSX）")).first.inner_text()
    assert SCRIPT_PROJECT in label, label
    # the households table's download holds the names as text, the formula as a quoted string
    admin.get_by_role("tab", name=re.compile("被征收户")).click()
    settled(admin, 1000)
    with admin.expect_download(timeout=60000) as download:
        admin.get_by_role("button", name=re.compile("被征收户”（XLSX）")).first.click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert IMG in cells and cells[IMG].data_type == "s"
    assert FORMULA in cells and cells[FORMULA].data_type == "s" and cells[FORMULA].quotePrefix


def test_an_overdue_sites_badge_shows_its_name_as_written(admin, hostile_server):
    admin.goto(f"{hostile_server.url}/resettlement?year=2025")
    settled(admin, 2500)
    main = admin.locator("[data-testid='stMain']")
    assert main.locator("a[href*='evil']").count() == 0  # not even the bare URL became a link
    badge = main.locator(".stMarkdownBadge", has_text="逾期").first
    # as written, in one badge; the invisible word joiners (widgets.plain) left out
    assert badge.inner_text().replace("\u2060", "") == f"{LINK_SITE} 逾期 336 天"
    assert badge.locator("strong").count() == 0
    shoot(admin, "hostile_site_badge")


def test_chart_labels_and_hovers_show_the_town_as_text(admin, hostile_server):
    admin.goto(f"{hostile_server.url}/dispatch?year=2025")
    settled(admin, 3000)
    # the ranking sits below 本周要点 and 本周最需关注: bring it on screen before reading it
    admin.locator("[data-testid='stPlotlyChart']").first.scroll_into_view_if_needed()
    admin.locator(".js-plotly-plot .ytick text").first.wait_for(timeout=30000)
    texts = "els => els.map(e => e.textContent)"
    labels = " ".join(admin.locator(".js-plotly-plot .ytick text, .js-plotly-plot .xtick text").evaluate_all(texts))
    assert HOSTILE_TOWN in labels, labels
    hovers = []
    for bar in admin.locator(".js-plotly-plot").first.locator(".bars path").all():  # the ranking's bars
        box = bar.bounding_box()
        admin.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        admin.wait_for_timeout(600)
        hovers += admin.locator(".hoverlayer text").evaluate_all(texts)
    hover = " ".join(hovers)
    assert HOSTILE_TOWN in hover, hover
    assert injected(admin) == {"img[src=x]": 0, "script": 0, "b[onmouseover]": 0} and admin.dialogs == []
    shoot(admin, "hostile_dispatch_chart")

"""In a real browser, on the demo data: a 科长 held to 东城街道 sees only 东城街道 on every page he
may open: the page text, every chart's data and hover text, every table's download and the
briefing pack. Other towns' names and the district's totals appear nowhere (docs/operations.md
「镇街范围」: his towns' rank among all towns is the one thing he sees of the others)."""

import io
import zipfile

import docx
import duckdb
import openpyxl
import pytest

from access import roles
from tests.browser_fixture import browser, demo_server, log_in, open_page, settled  # noqa: F401
from ui.navigation import PAGES

TOWN = "东城街道"
# The district's own figures at D (the issue's example and 周调度's briefing): never his to see.
DISTRICT_FIGURES = ["879.21", "879.2100", "占全区比重"]


@pytest.fixture(scope="module")
def other_towns(demo_server):
    with duckdb.connect(str(demo_server.warehouse), read_only=True) as db:
        towns = {
            t
            for (t,) in db.sql(
                "SELECT township FROM clean.projects UNION SELECT township FROM clean.resettlement_sites"
            ).fetchall()
        }
    assert TOWN in towns and len(towns) > 5
    return sorted(towns - {TOWN})


@pytest.fixture(scope="module")
def chief(demo_server, browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1200}, locale="zh-CN", accept_downloads=True)
    page = open_page(context, demo_server.url)
    page.reload()
    settled(page)
    log_in(page, "chief_dc")
    yield page
    context.close()


def _charts(page) -> str:
    """Every plotly chart's traces (labels, values, hover text, custom data) and layout text."""
    return page.evaluate(
        """() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(
               el => ({data: el.data, title: el.layout && el.layout.title, notes: el.layout && el.layout.annotations})))"""
    )


def _workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


def _document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _downloads(page) -> dict[str, str]:
    """Each download button of the page clicked, in every tab; the text inside what it gave."""
    got = {}
    tabs = page.get_by_role("tab")
    for tab in [None, *range(tabs.count())]:
        if tab is not None:
            tabs.nth(tab).click()
            page.wait_for_timeout(600)
        buttons = page.locator("[data-testid='stDownloadButton'] button")
        for i in range(buttons.count()):
            button = buttons.nth(i)
            label = button.inner_text()
            if label in got or not button.is_visible():
                continue
            got[label] = _file_text(page, button)
    return got


def _file_text(page, button) -> str:
    with page.expect_download(timeout=120000) as download:
        button.click()
    data = open(download.value.path(), "rb").read()
    if download.value.suggested_filename.endswith(".docx"):  # the 周调度通报
        return _document_text(data)
    if not download.value.suggested_filename.endswith(".zip"):
        return _workbook_text(data)
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        for name in pack.namelist():
            if name.endswith(".xlsx"):
                parts.append(_workbook_text(pack.read(name)))
            elif name.endswith((".txt", ".md", ".csv")):
                parts.append(pack.read(name).decode("utf-8"))
    return "\n".join(parts)


CHIEF_PAGES = [p.key for p in PAGES if roles.can_open(roles.CHIEF, p.key)]


@pytest.mark.parametrize("key", CHIEF_PAGES)
def test_a_chief_sees_only_his_town(chief, demo_server, other_towns, key):
    chief.goto(f"{demo_server.url}/{'' if key == CHIEF_PAGES[0] else key}")  # the first page is the root
    settled(chief, 3000)
    seen = {"page": chief.inner_text("[data-testid='stMain']"), "charts": _charts(chief)}
    seen |= _downloads(chief)
    leaks = {where: [t for t in other_towns + DISTRICT_FIGURES if t in text] for where, text in seen.items()}
    assert {where: found for where, found in leaks.items() if found} == {}
    assert TOWN in seen["page"] or key == "status", "the page shows his town's figures"
    if key == "dispatch":  # the 周调度通报 was among the files read, and is his town's
        (notice,) = [text for label, text in seen.items() if "周调度通报" in label]
        assert TOWN in notice

"""The briefing pack: the workbook opens with openpyxl and has every sheet with the page's figures;
every chart is a PNG drawn by kaleido with the machine's Chromium, as wide as an A4 page's text at
300 dpi, with nothing cut at its edges, for the district and for a chief held to his town."""

import datetime as dt
import importlib
import io
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from PIL import Image

from display import briefing, briefing_pack
from display.views import dispatch as dispatch_view
from tests.image_support import ink_at_the_edges
from warehouse import dispatch, settings
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds


@pytest.fixture(scope="module", autouse=True)
def streamlit_loaded():
    """The app builds the pack in Streamlit's process, where importing Streamlit has made its own
    plotly template the default (one without automargin): draw the images as the app does."""
    importlib.import_module("streamlit")


@pytest.fixture(scope="module")
def pack(demo_warehouse):
    scope = Scope.for_year(2026, dt.date(2026, 11, 20))
    with Warehouse(demo_warehouse) as wh:
        data = dispatch.assemble(lambda name, **p: wh.run(name, **p), scope, Thresholds())
        paragraph = briefing.paragraph(data.headline, data.handed_over_units, data.summary, data.warnings, data.weeks)
        content, names = briefing_pack.build(data, settings.Thresholds(), paragraph)
    return zipfile.ZipFile(io.BytesIO(content)), names, data, paragraph


def test_the_pack_holds_workbook_text_and_charts(pack):
    archive, names, _, paragraph = pack
    assert archive.namelist() == names
    assert names[:2] == ["周调度简报_20261120.xlsx", "简报文字.txt"]
    assert names[2:] == [
        "图表/01_年度任务完成率.png",
        "图表/02_预警条数.png",
        "图表/03_镇街排名_征地面积.png",
        "图表/04_镇街排名_用地报批面积.png",
        "图表/05_镇街排名_房屋征收户数.png",
        "图表/06_镇街排名_房屋征收面积.png",
        "图表/07_镇街排名_接房率.png",
        "图表/08_镇街排名_安置项目交付数.png",
        "图表/09_镇街排名_尾欠户签约数.png",
    ]
    assert archive.read("简报文字.txt").decode("utf-8") == paragraph


def test_the_workbook_opens_with_every_sheet_and_exact_figures(pack):
    archive, _, data, paragraph = pack
    book = openpyxl.load_workbook(io.BytesIO(archive.read("周调度简报_20261120.xlsx")))
    assert book.sheetnames == ["本周要点", "镇街排名", "滞后项目", "预警清单", "倒排进度", "简报文字"]
    sheet = book["本周要点"]
    assert "数据截至 2026年11月20日" in sheet["A1"].value
    header = [c.value for c in sheet[2]]
    assert header[:6] == ["指标", "单位", "本周", "上周", "较上周", "本年累计"]
    land = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "征地面积")
    assert [Decimal(str(v)) for v in land[2:6]] == [
        Decimal("24.5027"),
        Decimal("15.5027"),
        Decimal("9"),
        Decimal("879.21"),
    ]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=3)}
    # each unit with its places, as Excel shows them: counts whole (not "85.0000"), money to the 分
    assert [(c.value, c.number_format) for c in rows["签约户数"][5:7]] == [(85, "#,##0"), (80, "#,##0")]
    assert (rows["兑付金额"][5].value, rows["兑付金额"][5].number_format) == (122262623.11, "#,##0.00")
    assert rows["征地面积"][5].number_format == "#,##0.0000"
    assert book["镇街排名"].max_row - 2 == len(data.ranking) == 14 * 7
    assert book["滞后项目"].max_row - 2 == len(data.behind) == 69
    assert book["预警清单"].max_row - 2 == len(data.warnings) == 79  # 68, and 11 cross-ledger exceptions
    assert book["倒排进度"].max_row - 2 == len(data.rates) == 7
    assert book["简报文字"]["A3"].value == paragraph


@pytest.fixture(scope="module")
def chief_pack(demo_warehouse):
    """The pack as the 东城街道 chief downloads it: his town's figures and its place in the rankings."""
    scope = Scope.for_year(2026, dt.date(2026, 11, 20), townships=("东城街道",), held_to_towns=True)
    with Warehouse(demo_warehouse) as wh:
        shown = dispatch_view.week(lambda name, **p: wh.run(name, **p), scope, settings.Thresholds())
    content, names = briefing_pack.build(shown["data"], settings.Thresholds(), shown["paragraph"])
    return zipfile.ZipFile(io.BytesIO(content)), names


@pytest.mark.parametrize("who", ["pack", "chief_pack"])
def test_every_chart_is_a_page_wide_png_with_nothing_cut_at_its_edges(request, who):
    """A town's or a task's name cut at the left edge ("镇（领先）" for "第1 大观镇（领先）") leaves
    ink on the border: every image has a 3-pixel frame of pure background, and is at least
    1800 px wide (Word's A4 text width, 15.5 cm, at 300 dpi)."""
    archive, names = request.getfixturevalue(who)[:2]
    charts = [n for n in names if n.endswith(".png")]
    assert len(charts) == 9
    for name in charts:
        image = Image.open(io.BytesIO(archive.read(name)))
        image.load()
        assert image.format == "PNG" and image.width >= 1800, (name, image.size)
        assert ink_at_the_edges(image) == {}, name
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is None or len(colours) > 50, f"{name} looks blank"


def test_a_ranking_image_grows_with_its_towns(pack, chief_pack):
    """Fourteen towns get a row each; a chief's one town is not a bar filling a 16:9 page."""
    district = Image.open(io.BytesIO(pack[0].read("图表/03_镇街排名_征地面积.png")))
    chief = Image.open(io.BytesIO(chief_pack[0].read("图表/03_镇街排名_征地面积.png")))
    assert district.height > 14 * 30 * 2.5 > chief.height


def test_the_machine_has_a_chinese_font_for_the_images():
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in fonts

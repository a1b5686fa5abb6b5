"""The briefing pack: the workbook opens with openpyxl and has every sheet with the page's figures;
every chart is a PNG that decodes, 16:9, drawn by kaleido with the machine's Chromium."""

import datetime as dt
import io
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from PIL import Image

from display import briefing, briefing_pack
from tests.page_queries_support import THRESHOLDS
from warehouse import dispatch, settings
from warehouse.runner import Warehouse
from warehouse.scope import Scope


@pytest.fixture(scope="module")
def pack(demo_warehouse):
    scope = Scope.for_year(2026, dt.date(2026, 11, 20))
    with Warehouse(demo_warehouse) as wh:
        data = dispatch.assemble(lambda name, **p: wh.run(name, **p), scope, THRESHOLDS)
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
    assert book.sheetnames == ["本周要点", "镇街排名", "预警清单", "倒排进度", "简报文字"]
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
    assert book["预警清单"].max_row - 2 == len(data.warnings) == 79  # 68, and 11 cross-ledger exceptions
    assert book["倒排进度"].max_row - 2 == len(data.rates) == 7
    assert book["简报文字"]["A3"].value == paragraph


def test_every_chart_decodes_as_a_16_by_9_png(pack):
    archive, names, _, _ = pack
    for name in names[2:]:
        image = Image.open(io.BytesIO(archive.read(name)))
        image.load()
        assert image.format == "PNG" and image.size == (2560, 1440), name
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is None or len(colours) > 50, f"{name} looks blank"


def test_the_machine_has_a_chinese_font_for_the_images():
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in fonts

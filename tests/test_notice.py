"""周调度通报 (display.notice): the .docx opens with python-docx and has the GB/T 9704 page, fonts,
page-number field and the pack's charts at the text's width; its numbers are read back and checked
against `python -m warehouse figures`; a chief's 通报 names no other town; LibreOffice turns it
into a PDF of the expected pages, each numbered "— N —".

Without LibreOffice (soffice) the PDF test is skipped locally and fails in CI (scripts/system-deps.sh
installs libreoffice-writer and poppler-utils)."""

import datetime as dt
import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from access import accounts, supervision
from display import briefing_pack, notice
from display import supervision as supervision_table
from display.views import changes as change_views
from display.views import dispatch as views
from tests.test_weekly import FIGURE_KEYS, figures_cli
from warehouse import settings
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.weeks import DispatchWeeks

AS_OF = dt.date(2026, 11, 20)
TOWN = "东城街道"
SCOPES = {"全区": {}, "东城街道科长": {"townships": (TOWN,), "held_to_towns": True}}
HEADINGS = ["一、总体进展", "二、镇街排名", "三、本周变化", "四、需关注事项", "五、督办事项", "六、倒排进度"]
BEIJING_NOON = dt.datetime(2026, 11, 16, 4, 0, tzinfo=dt.UTC)


def supervision_items(folder) -> dict:
    """Two items in an app database of their own: one for 东城街道 closed on time, one for 西城街道
    still open past its deadline (as of the 通报's day)."""
    url = f"sqlite:///{folder / 'app.db'}"
    accounts.create_user("leader", "pw-leader-Secret-2026", "领导", "王主任", now=BEIJING_NOON, db=url)
    for name, display_name, town in [("chief_dc", "赵科长", "东城街道"), ("chief_xc", "钱科长", "西城街道")]:
        accounts.create_user(name, f"pw-{name}-Secret-2026", "科长", display_name, [town], now=BEIJING_NOON, db=url)
        supervision.create(
            actor="leader",
            target_kind="town",
            target_id=town,
            target_label=town,
            township=town,
            owner=name,
            deadline=dt.date(2026, 11, 18),
            note="本周内完成剩余10户入户调查",
            now=BEIJING_NOON,
            db=url,
        )
    supervision.close(1, "已完成入户调查", actor="chief_dc", now=BEIJING_NOON + dt.timedelta(days=1), db=url)
    moment = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    return {
        label: supervision_table.table(supervision.items_as_of(moment, townships=filters.get("townships"), db=url))
        for label, filters in SCOPES.items()
    }


@pytest.fixture(scope="module")
def built(demo_warehouse, tmp_path_factory) -> dict:
    """Each scope: the page's build (views.week), the charts drawn, the document written and reopened."""
    out, folder = {}, tmp_path_factory.mktemp("notice")
    thresholds = settings.load()
    items = supervision_items(folder)
    with Warehouse(demo_warehouse) as wh:
        generation = wh.snapshot()
        towns = list(generation.run("filter_options", {"as_of": generation.as_of})["township"])
        for label, filters in SCOPES.items():
            scope = Scope.for_year(2026, generation.as_of, **filters)
            shown = views.week(lambda name, **p: generation.run(name, p), scope, thresholds)
            query = lambda name, **p: generation.run(name, p)  # noqa: E731
            images = briefing_pack.render_png(briefing_pack.charts_of(shown["data"], thresholds))
            changes = change_views.this_week(query, scope, thresholds)
            path = folder / label / notice.file_name(shown["data"])
            path.parent.mkdir()
            document = notice.build(shown["data"], thresholds, shown["paragraph"], images, changes, items[label])
            path.write_bytes(document)
            out[label] = {
                "shown": shown,
                "images": images,
                "path": path,
                "doc": Document(str(path)),
                "towns": towns,
                "changes": changes,
            }
    return out


def body(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def all_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(body(doc) + cells + [p.text for p in doc.sections[0].footer.paragraphs])


def paragraph(doc, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def east_asian(run) -> str:
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def D(text) -> Decimal:
    return Decimal(str(text).replace(",", ""))


@pytest.mark.parametrize("label", SCOPES)
def test_the_page_is_a4_with_the_official_margins(built, label):
    section = built[label]["doc"].sections[0]
    mm = lambda *lengths: tuple(round(x.mm, 1) for x in lengths)  # noqa: E731 (Word keeps twips: 210 mm is 11906)
    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin, section.left_margin, section.right_margin) == (37, 35, 28, 26)


@pytest.mark.parametrize("label", SCOPES)
def test_title_body_and_headings_name_their_chinese_fonts(built, label):
    doc = built[label]["doc"]
    cases = {
        "周调度通报": ("方正小标宋简体", 22),
        built[label]["shown"]["paragraph"]: ("仿宋_GB2312", 16),
        "一、总体进展": ("黑体", 16),
        "六、倒排进度": ("黑体", 16),
        "（一）征地面积": ("楷体_GB2312", 16),
        "（一）年度任务倒排": ("楷体_GB2312", 16),
    }
    for text, (font, size) in cases.items():
        (run,) = paragraph(doc, text).runs
        assert (east_asian(run), run.font.name, run.font.size) == (font, font, Pt(size)), text
    body_paragraph = paragraph(doc, built[label]["shown"]["paragraph"]).paragraph_format
    assert (body_paragraph.line_spacing, body_paragraph.first_line_indent) == (Pt(28), Pt(32))
    normal = doc.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and normal.font.size == Pt(16)
    cell_run = doc.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert (east_asian(cell_run), cell_run.font.size) == ("仿宋_GB2312", Pt(12))
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in doc.tables)


@pytest.mark.parametrize("label", SCOPES)
def test_the_footer_numbers_pages_with_a_page_field(built, label):
    (footer,) = built[label]["doc"].sections[0].footer.paragraphs
    xml = footer._p.xml
    assert [f.get(qn("w:fldCharType")) for f in footer._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert [i.text for i in footer._p.iter(qn("w:instrText"))] == [" PAGE "]
    assert footer.text == "— 1 —" and "宋体" in xml and footer.alignment == 1  # centred
    assert {r.font.size for r in footer.runs} == {Pt(14)}


@pytest.mark.parametrize("label", SCOPES)
def test_every_chart_of_the_pack_is_embedded_at_the_texts_width(built, label):
    doc, images = built[label]["doc"], built[label]["images"]
    shapes = doc.inline_shapes
    assert len(shapes) == len(images) >= 3
    assert {s.width for s in shapes} == {Mm(156)}
    blobs = [doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob for s in shapes]
    assert sorted(blobs) == sorted(images.values())


@pytest.mark.parametrize("label", SCOPES)
def test_the_sections_are_numbered_one_to_six(built, label):
    headings = [t for t in body(built[label]["doc"]) if re.match(r"^[一二三四五六七八九十]、", t)]
    assert headings == HEADINGS


def test_every_number_is_the_figures_commands(built, demo_warehouse):
    built = built["全区"]
    doc, data = built["doc"], built["shown"]["data"]
    text = body(doc)
    assert text[text.index("一、总体进展") + 1] == built["shown"]["paragraph"]
    now = figures_cli(demo_warehouse, AS_OF)
    weeks = DispatchWeeks.at(AS_OF)
    last_sunday = figures_cli(demo_warehouse, weeks.last_week.end)
    before = figures_cli(demo_warehouse, weeks.last_week.start - dt.timedelta(days=1))
    para = built["shown"]["paragraph"]
    assert D(re.search(r"本年累计完成征地([\d.]+)亩", para)[1]) == D(now["land_acquired_mu"])
    assert int(re.search(r"完成房屋征收(\d+)户", para)[1]) == now["households_signed"]
    paid = sum(D(v) for v in now["paid_yuan"].values())
    assert D(re.search(r"兑付资金([\d.]+)万元", para)[1]) == (paid / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert int(re.search(r"累计接房(\d+)套", para)[1]) == now["handed_over_units"]
    # 三、本周变化: each figure's 本周, 上周 and 较上周 from the command's year-to-date at three dates
    changes = next(
        t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["指标", "单位", "本周", "上周", "较上周"]
    )
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in changes.rows[1:]}
    for figure, key in FIGURE_KEYS.items():
        this_week = D(now[key]) - D(last_sunday[key])
        last_week = D(last_sunday[key]) - D(before[key])
        _, _, shown_this, shown_last, change = rows[figure]
        assert (D(shown_this), D(shown_last), D(change)) == (this_week, last_week, this_week - last_week), figure
    # 二、镇街排名: the towns' 完成值 of 征地面积 add up to the district's
    land = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["排名", "镇街", "完成值"])
    assert sum(D(r.cells[2].text.split()[0]) for r in land.rows[1:]) == D(now["land_acquired_mu"])
    assert len(land.rows) - 1 == len(views.ranking_rows(data, views.TASKS_RANKED[0])) == 14
    assert re.fullmatch(r"(并列)?第\d+/14", land.rows[1].cells[0].text)
    # 四、需关注事项: the counts, then the first ten of the one list, worst first
    total, red, yellow = map(int, re.search(r"当前预警(\d+)条（红色(\d+)条、黄色(\d+)条）", "".join(text)).groups())
    assert (total, red, yellow) == tuple(int(data.summary[c].sum()) for c in ("total", "red", "yellow"))
    warned = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    got = [(r.cells[1].text, r.cells[2].text, int(r.cells[4].text)) for r in warned.rows[1:]]
    top = data.warnings.head(10)
    assert got == [(r.level, r.warning, int(r.days_open)) for r in top.itertuples()]
    # 六、倒排进度: the page's table
    runrate = views.runrate_table(data)
    shown = next(t for t in doc.tables if t.rows[0].cells[0].text == "年度任务")
    assert [[c.text for c in r.cells] for r in shown.rows[1:]] == runrate.astype(str).values.tolist()
    assert "数据截至：2026年11月20日。范围：2026年 · 全区。" in text


def test_a_chiefs_notice_names_no_other_town_and_no_district_figure(built):
    held, district = built["东城街道科长"], built["全区"]
    text = all_text(held["doc"])
    others = [t for t in held["towns"] if t != TOWN]
    assert len(others) == 13 and [t for t in others if t in text] == []
    assert TOWN in text and "占全区比重" not in text and "879.21" not in text
    ranked = [t for t in held["doc"].tables if t.rows[0].cells[0].text == "排名"]
    assert ranked and {r.cells[1].text for t in ranked for r in t.rows[1:]} == {TOWN}
    gaps = [r.cells[[c.text for c in t.rows[0].cells].index("距第1名")].text for t in ranked for r in t.rows[1:]]
    assert len(gaps) == 7 and all(re.fullmatch(r"—|差\d+位", g) for g in gaps)  # places, never values
    assert all_text(district["doc"]).count("西城街道") > 0


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs it (apt-get install libreoffice-writer)")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer)")
    return found


@pytest.mark.parametrize("label,pages", [("全区", 17), ("东城街道科长", 10)])
def test_libreoffice_prints_the_expected_numbered_pages(built, label, pages, tmp_path):
    soffice = _soffice()
    source = tmp_path / "notice.docx"  # an ASCII name: LibreOffice's command line reads it on any locale
    shutil.copy(built[label]["path"], source)
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "notice.pdf"
    assert pdf.exists(), done.stdout + done.stderr
    content = pdf.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", content)) == pages
    if shutil.which("pdftotext"):
        per_page = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        printed = per_page.split("\f")[:pages]
        assert [re.findall(r"—\s*(\d+)\s*—", p)[-1] for p in printed] == [str(n) for n in range(1, pages + 1)]
        assert printed[0].lstrip().startswith("周调度通报")
        assert "".join(printed[-1].split()).endswith(f"从长到短排列。—{pages}—")  # the 口径 closes the last page
    if shutil.which("pdftoppm") and os.environ.get("NOTICE_PAGES_DIR"):  # to look at: NOTICE_PAGES_DIR=dir
        out = os.path.join(os.environ["NOTICE_PAGES_DIR"], label)
        os.makedirs(out, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), os.path.join(out, "page")], check=True)


def test_what_changed_is_the_pages_own(built):
    """三、本周变化: after the figures, the paragraph and the count of each kind of change, as the 周调度
    page's 本周变化 (display.views.changes) has them."""
    built = built["全区"]
    text, changes = body(built["doc"]), built["changes"]
    assert changes["paragraph"] in text
    counted = next(t for t in built["doc"].tables if [c.text for c in t.rows[0].cells] == ["变化", "条数"])
    expected = [[kind, str(len(rows))] for kind, rows in changes["tables"].items() if len(rows)]
    assert [[c.text for c in r.cells] for r in counted.rows[1:]] == expected
    assert ["兑付", "24"] in expected


@pytest.mark.parametrize(
    ("label", "rows"),
    [
        ("全区", [["西城街道", "钱科长", "逾期未办"], ["东城街道", "赵科长", "按期办结"]]),
        ("东城街道科长", [["东城街道", "赵科长", "按期办结"]]),
    ],
)
def test_the_supervision_items_are_listed_worst_first_within_the_readers_towns(built, label, rows):
    doc = built[label]["doc"]
    listed = next(t for t in doc.tables if t.rows[0].cells[0].text == "督办对象")
    header = [c.text for c in listed.rows[0].cells]
    assert header == list(notice.SUPERVISION_COLUMNS)
    got = [[r.cells[i].text for i in (0, 2, 4)] for r in listed.rows[1:]]
    assert {r.cells[1].text for r in listed.rows[1:]} == {"本周内完成剩余10户入户调查"}
    assert got == rows
    sentence = next(t for t in body(doc) if t.startswith("督办事项共"))
    assert sentence.startswith(f"督办事项共{len(rows)}项")

"""`python -m warehouse briefing`: the 周调度 pack from the command line, for a scheduled job. Run
as an operator would, every file it writes is opened: the ZIP, its workbook (openpyxl), its text
and its PNGs (PIL); the pack is the one display.briefing_pack.build makes of the page's build for
the same scope, and the text is the paragraph the page shows."""

import datetime as dt
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from display import briefing_pack
from display.views import dispatch as views
from tests.conftest import ROOT
from tests.demo_app_fixture import demo_app_env, open_page  # noqa: F401
from warehouse import settings
from warehouse.runner import Warehouse
from warehouse.scope import Scope

TOWN = "东城街道"
PACK = "周调度简报包_20261120.zip"
NOTICE = "周调度通报_20261120.docx"
WORKBOOK = "周调度简报_20261120.xlsx"
SCOPES = {"全区": [], TOWN: ["--township", TOWN]}


# The 通报's 督办事项 come from the app database: one of the tests' own, never the repo's data/app.db.
APP_DB = {"APP_DB_URL": f"sqlite:///{Path(tempfile.mkdtemp()) / 'app.db'}"}


def briefing(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "warehouse", "briefing", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **APP_DB},
    )


@pytest.fixture(scope="module")
def written(demo_warehouse, tmp_path_factory) -> dict:
    """Each scope's run: (the finished process, the folder it wrote into)."""
    runs = {}
    for label, extra in SCOPES.items():
        out = tmp_path_factory.mktemp("briefing") / "简报包"  # not there yet: the command makes it
        runs[label] = briefing("--year", "2026", "--warehouse", str(demo_warehouse), "--out", str(out), *extra), out
    return runs


@pytest.fixture(scope="module")
def built(demo_warehouse) -> dict:
    """What display.briefing_pack.build gives for each scope from the page's build (views.week).
    Its images are not drawn again: the command's own PNGs are opened below."""
    packs = {}
    with pytest.MonkeyPatch.context() as mp, Warehouse(demo_warehouse) as wh:
        mp.setattr(briefing_pack, "render_png", lambda figures: {name: b"" for name in figures})
        generation = wh.snapshot()
        for label, extra in SCOPES.items():
            scope = Scope.for_year(2026, generation.as_of, township=extra[1] if extra else None)
            shown = views.week(lambda name, **p: generation.run(name, p), scope, settings.load())
            content, names = briefing_pack.build(shown["data"], settings.load(), shown["paragraph"])
            packs[label] = zipfile.ZipFile(io.BytesIO(content)), names
    return packs


def archive(written, label) -> zipfile.ZipFile:
    return zipfile.ZipFile(written[label][1] / PACK)


def cells(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


@pytest.mark.parametrize("label", SCOPES)
def test_the_command_writes_the_pages_zip_into_the_folder_and_says_so(written, built, label):
    done, out = written[label]
    assert (done.returncode, done.stderr) == (0, "")
    assert sorted(p.name for p in out.iterdir()) == sorted([PACK, NOTICE])
    assert done.stdout.startswith(
        f"周调度简报包已写入：{(out / PACK).resolve()}（数据截至 2026-11-20，内含 11 个文件）"
    )
    names = archive(written, label).namelist()
    assert names == built[label][1]
    assert names[:2] == [WORKBOOK, "简报文字.txt"] and all(n.startswith("图表/") for n in names[2:])
    assert all(f"  {name}" in done.stdout.splitlines() for name in names)
    assert done.stdout.splitlines()[-1] == f"周调度通报已写入：{(out / NOTICE).resolve()}"


@pytest.mark.parametrize("label", SCOPES)
def test_its_workbook_is_the_one_the_page_builds(written, built, label):
    got = cells(archive(written, label).read(WORKBOOK))
    assert list(got) == ["本周要点", "镇街排名", "滞后项目", "预警清单", "倒排进度", "简报文字"]
    assert got == cells(built[label][0].read(WORKBOOK))
    assert f"数据截至 2026年11月20日 · 2026年 · {label}" in got["本周要点"][0][0]
    land = next(r for r in got["本周要点"][2:] if r[0] == "征地面积")
    assert Decimal(str(land[5])) == {"全区": Decimal("879.21"), TOWN: Decimal("42.7045")}[label]  # 本年累计


@pytest.mark.parametrize("label", SCOPES)
def test_every_chart_is_a_png_with_ink(written, label):
    pack = archive(written, label)
    charts = [n for n in pack.namelist() if n.endswith(".png")]
    assert len(charts) == 9
    for name in charts:
        image = Image.open(io.BytesIO(pack.read(name)))
        image.load()
        assert image.format == "PNG" and image.size[0] >= 1800, name  # the A4 text width at 300 dpi
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is None or len(colours) > 50, f"{name} looks blank"


@pytest.mark.parametrize("label", SCOPES)
def test_its_text_is_the_paragraph_the_page_shows(written, demo_app_env, label):
    at = open_page("pages/dispatch_page.py", towns=[TOWN] if label == TOWN else None)
    text = archive(written, label).read("简报文字.txt").decode("utf-8")
    assert text == at.code[0].value
    assert text.startswith("截至11月20日，" + ("东城街道范围内，" if label == TOWN else ""))


def test_a_town_run_holds_that_town_only(written, demo_warehouse):
    with Warehouse(demo_warehouse) as wh:
        towns = set(wh.run("filter_options", as_of=dt.date(2026, 11, 20))["township"])
    others = towns - {TOWN}
    assert TOWN in towns and len(others) == 13
    pack = archive(written, TOWN)
    got = cells(pack.read(WORKBOOK))
    texts = [v for rows in got.values() for row in rows for v in row if isinstance(v, str)]
    texts.append(pack.read("简报文字.txt").decode("utf-8"))
    assert [t for t in texts if any(o in t for o in others)] == []
    header = got["镇街排名"][1]
    assert {row[header.index("镇街")] for row in got["镇街排名"][2:]} == {TOWN}
    # the district's pack does name the other towns: the check above can see them
    district = cells(archive(written, "全区").read(WORKBOOK))["镇街排名"]
    assert {row[header.index("镇街")] for row in district[2:]} == towns


@pytest.mark.parametrize(
    "args,said",
    [
        (["--year", "2026", "--warehouse", "{missing}"], "简报包未生成：数据仓库不存在："),
        (["--year", "2026", "--township", "无此镇"], "简报包未生成：镇街“无此镇”不在数据中。可选：三泉镇、东城街道、"),
        (["--year", "2026", "--as-of", "2026-12-01"], "简报包未生成：--as-of 2026-12-01 晚于数据截至日期 2026-11-20"),
        (["--year", "2026", "--as-of", "2025-12-01"], "简报包未生成：--as-of 2025-12-01 不在 2026 年内"),
        (["--year", "2026", "--as-of", "2026-11-31"], "日期应为 YYYY-MM-DD：2026-11-31"),
        (["--year", "2030"], "简报包未生成：年度 2030 不在数据范围内（2016—2026年）"),
        (["--year", "2026", "--sector", "无此领域"], "简报包未生成：项目领域“无此领域”无效。可选：工业商贸、"),
    ],
    ids=["no-warehouse", "unknown-town", "after-the-data", "other-year", "bad-date", "bad-year", "bad-sector"],
)
def test_a_request_it_cannot_meet_is_refused_in_chinese(demo_warehouse, tmp_path, args, said):
    warehouse = ["--warehouse", str(demo_warehouse)] if "--warehouse" not in args else []
    args = [a.replace("{missing}", str(tmp_path / "none.duckdb")) for a in args]
    done = briefing(*args, *warehouse, "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "out").exists()


def test_the_help_lists_the_command():
    done = subprocess.run([sys.executable, "-m", "warehouse", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert re.search(r"briefing +生成周调度简报包与周调度通报（与周调度页下载的相同），供定时任务使用", done.stdout)

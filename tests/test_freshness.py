"""Stale data: every page opens with a banner when the data's as-of date is more days before today
(Beijing time, warehouse.clock) than config/thresholds.toml「数据过期」allows (default 7); 投屏
keeps it, in one short line."""

import datetime as dt

import pytest

from tests.app_fixture import app_env, login  # noqa: F401
from tests.demo_app_fixture import demo_app_env, open_page  # noqa: F401
from ui.navigation import PAGES
from warehouse import clock, settings
from warehouse.freshness import days_stale
from warehouse.runner import Warehouse

AS_OF = dt.date(2026, 11, 20)  # the demo data's


@pytest.mark.parametrize(
    "today,limit,expected",
    [
        (AS_OF, 7, None),
        (AS_OF + dt.timedelta(days=7), 7, None),
        (AS_OF + dt.timedelta(days=8), 7, 8),
        (AS_OF + dt.timedelta(days=16), 7, 16),
        (AS_OF + dt.timedelta(days=16), 30, None),
        (AS_OF + dt.timedelta(days=1), 0, 1),
        (AS_OF - dt.timedelta(days=3), 7, None),  # as-of date after today
    ],
    ids=["same-day", "7-days", "8-days", "16-days", "16-of-30", "1-of-0", "future"],
)
def test_the_data_is_stale_past_the_limit_only(today, limit, expected):
    assert days_stale(AS_OF, today, limit) == expected


def set_today(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr(clock, "beijing_now", lambda: dt.datetime.combine(day, dt.time(9, 30)))


def banners(at) -> list[str]:
    """The stale notice: a warning box, or on 投屏 a line of text."""
    return [w.value for w in [*at.warning, *at.markdown] if "未更新" in w.value]


BANNER_16 = "数据截至 2026年11月20日，已 16 天未更新（超过 7 天）。请管理员在“数据管理”页发布本周导出文件。"


@pytest.mark.parametrize(
    "today,expected",
    [(dt.date(2026, 12, 6), [BANNER_16]), (dt.date(2026, 11, 27), []), (dt.date(2026, 11, 20), [])],
    ids=["16-days", "7-days", "same-day"],
)
def test_the_overview_says_when_the_data_is_stale(demo_app_env, monkeypatch, today, expected):
    set_today(monkeypatch, today)
    at = open_page("pages/overview_page.py")
    assert not at.exception
    assert banners(at) == expected


def test_the_limit_is_read_from_the_thresholds_file(demo_app_env, monkeypatch, tmp_path):
    path = tmp_path / "thresholds.toml"
    path.write_text('["数据过期"]\n"提醒_天" = 30\n', encoding="utf-8")
    monkeypatch.setattr(settings, "THRESHOLDS_FILE", path)
    set_today(monkeypatch, dt.date(2026, 12, 6))
    assert banners(open_page("pages/overview_page.py")) == []
    path.write_text('["数据过期"]\n"提醒_天" = 15\n', encoding="utf-8")
    assert banners(open_page("pages/overview_page.py")) == [BANNER_16.replace("超过 7 天", "超过 15 天")]


def test_the_projector_keeps_it_in_one_line(demo_app_env, monkeypatch):
    set_today(monkeypatch, dt.date(2026, 12, 6))
    at = open_page("pages/dispatch_page.py")
    assert banners(at) == [BANNER_16]
    at.toggle(key="projector").set_value(True).run()
    assert not at.exception
    assert banners(at) == [":orange-background[:orange[**数据截至11月20日，已16天未更新**]]"]
    at.toggle(key="projector").set_value(False).run()
    assert banners(at) == [BANNER_16]


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_page_carries_it_once(app_env, live, monkeypatch, spec):
    with Warehouse(live) as wh:
        data_as_of = wh.snapshot().as_of
    set_today(monkeypatch, data_as_of + dt.timedelta(days=8))
    at = login("admin")
    at.switch_page(spec.path).run()
    assert not at.exception
    assert banners(at) == [
        f"数据截至 {data_as_of.year}年{data_as_of.month}月{data_as_of.day}日，已 8 天未更新（超过 7 天）。"
        "请管理员在“数据管理”页发布本周导出文件。"
    ]


def test_a_broken_thresholds_file_is_one_chinese_error_on_every_page(demo_app_env, monkeypatch, tmp_path):
    path = tmp_path / "thresholds.toml"
    path.write_text('["过渡费超发"]\n"接房后续发_月" = -1\n', encoding="utf-8")
    monkeypatch.setattr(settings, "THRESHOLDS_FILE", path)
    for page in ("pages/overview_page.py", "pages/funds_page.py"):
        at = open_page(page)
        assert not at.exception
        assert [e.value for e in at.error] == [
            f"阈值文件 {path}：[过渡费超发] 接房后续发_月 须为0或正整数，现为 -1。请管理员改正该文件后刷新页面。"
        ]

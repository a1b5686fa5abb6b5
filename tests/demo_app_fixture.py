"""AppTest on the demo warehouse (the seed figures), and the helpers every page test reads with.

Usage: `from demo_app_fixture import demo_app_env, open_page  # noqa: F401`. The session fixture
`demo_warehouse` (the demo exports loaded once per run) lives in conftest.py.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re

import pytest

from tests.app_fixture import app_environment, login
from tests.conftest import query
from warehouse.scope import Scope

DEMO_AS_OF = dt.date(2026, 11, 20)
# The demo's five worst open warnings on DEMO_AS_OF, as 本周最需关注 shows them (总览, 周调度).
DEMO_URGENT = [
    {"级别": "红", "预警类型": "安置逾期", "对象": "兴隆镇安置还房小区", "已持续(天)": 1239},
    {"级别": "红", "预警类型": "信访超期", "对象": "来访 · 过渡安置费 · 金山镇场镇危旧房改造搬迁", "已持续(天)": 994},
    {"级别": "红", "预警类型": "信访超期", "对象": "来访 · 过渡安置费 · 东城采煤深陷区搬迁", "已持续(天)": 977},
    {
        "级别": "红",
        "预警类型": "信访超期",
        "对象": "来访 · 资金拨付 · 纵三路（北环路至红茶厂段）房屋征收",
        "已持续(天)": 928,
    },
    {"级别": "红", "预警类型": "先拆后补", "对象": "大观镇农村公路提档升级工程 · HH-007125", "已持续(天)": 334},
]
_CARD = re.compile(r'<div class="kpi-label">(.*?)</div><div class="kpi-value">(.*?)</div>')


@pytest.fixture
def demo_app_env(tmp_path, demo_warehouse, monkeypatch):
    return app_environment(demo_warehouse, tmp_path, monkeypatch)


def open_page(path: str, username: str = "leader", year: int | None = None, towns: list[str] | None = None):
    """Log in, set the sidebar filters as a person would, open the page; returns the AppTest."""
    at = login(username)
    if year is not None:
        at.selectbox(key="f_year").select(year).run()
    if towns is not None:
        at.multiselect(key="f_towns").set_value(towns).run()
    at.switch_page(path).run()
    return at


def unfold(at, key: str):
    """Open a folded section (ui.widgets.folded) as a click on it does: only then is it drawn."""
    at.session_state[key] = True
    return at.run()


def texts(at) -> list[str]:
    """Every markdown and caption text of the page."""
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def cards_by_label(at) -> dict[str, str]:
    """The headline cards of the page, label → value (ui.widgets.cards draws a row as one HTML block)."""
    found = {}
    for m in at.markdown:
        for label, value in _CARD.findall(m.value):
            found[html.unescape(label)] = html.unescape(value)
    return found


def card_values(at) -> set[str]:
    """The headline values of the cards."""
    return set(cards_by_label(at).values())


def table_with(at, column):
    """The first table on the page that has `column`."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with {column}"
    return found[0]


def expected(name, year=2025, extra=None, **filters):
    """The named query run directly, on the scope the page shows (2025 reads as at 2025-12-31)."""
    return query(
        os.environ["WAREHOUSE_PATH"], name, **Scope.for_year(year, DEMO_AS_OF, **filters).params(), **(extra or {})
    )

"""AppTest: the sidebar filters are drawn on the pages that read them, and kept across the others."""

import pytest

from tests.app_fixture import login
from tests.demo_app_fixture import demo_app_env  # noqa: F401
from ui.navigation import PAGES

FILTER_KEYS = ["f_year", "f_towns", "f_sector", "f_key"]


def _filters(at) -> list[str]:
    widgets = [*at.selectbox, *at.multiselect, *at.toggle]
    return [w.key for w in widgets if w.key in FILTER_KEYS]


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_the_filters_are_drawn_only_on_the_pages_that_read_them(demo_app_env, spec):
    at = login("admin")
    at.switch_page(spec.path).run()
    assert not at.exception and at.title[0].value == spec.title
    assert sorted(_filters(at)) == (sorted(FILTER_KEYS) if spec.filtered else [])
    assert any(b.label == "退出登录" for b in at.button)  # the rest of the frame is there on every page


def test_the_filters_are_as_they_were_left_after_a_page_without_them(demo_app_env):
    at = login("admin")
    at.selectbox(key="f_year").select(2025).run()
    at.multiselect(key="f_towns").set_value(["东城街道", "金山镇"]).run()
    at.selectbox(key="f_sector").select("民生保障").run()
    at.toggle(key="f_key").set_value(True).run()
    at.query_params.clear()  # a page switch in the browser clears the query string
    for admin_page in ("pages/data_admin_page.py", "pages/audit_log_page.py"):
        at.switch_page(admin_page).run()
        assert not _filters(at)
    at.switch_page("pages/funds_page.py").run()
    assert not at.exception
    chosen = [at.selectbox(key="f_year").value, at.multiselect(key="f_towns").value]
    assert chosen + [at.selectbox(key="f_sector").value, at.toggle(key="f_key").value] == [
        2025,
        ["东城街道", "金山镇"],
        "民生保障",
        True,
    ]
    assert at.session_state["scope"].townships == ("东城街道", "金山镇")

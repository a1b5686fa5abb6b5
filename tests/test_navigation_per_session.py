"""The navigation is built once per browser session and role (ui.navigation.session_pages): a
signed-in rerun builds no page, and a later login as another role in the same browser gets that
role's pages, not the first one's."""

import pytest

import ui.navigation
from access import roles
from tests.app_fixture import app_env, login  # noqa: F401


@pytest.fixture
def built(monkeypatch):
    """The roles whose pages were built (ui.navigation.pages_for), in order."""
    roles_built = []
    real = ui.navigation.pages_for

    def counting(role, home=True):
        roles_built.append(role)
        return real(role, home)

    monkeypatch.setattr(ui.navigation, "pages_for", counting)
    return roles_built


def test_a_signed_in_rerun_builds_no_page(app_env, built):
    at = login("admin")
    at.switch_page("pages/funds_page.py").run()
    at.run()
    assert not at.exception and at.title[0].value == "资金拨付"
    assert built == [roles.ADMIN]


def test_a_login_as_another_role_in_the_same_browser_gets_its_own_pages(app_env, built):
    at = login("admin")
    at.switch_page("pages/accounts_page.py").run()
    assert at.title[0].value == "账户管理"
    at = next(b for b in at.button if b.label == "退出登录").click().run()
    at = login("chief", at=at)
    assert built == [roles.ADMIN, roles.CHIEF]
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in the chief's navigation
        at.switch_page("pages/accounts_page.py")
    at.switch_page("pages/funds_page.py").run()
    assert at.title[0].value == "资金拨付" and built == [roles.ADMIN, roles.CHIEF]

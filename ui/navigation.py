"""Which pages exist, and which a role sees in the navigation (each page checks again itself)."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from access import roles


@dataclass(frozen=True)
class PageSpec:
    key: str        # access.roles page key
    path: str
    title: str
    icon: str
    section: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("status", "pages/data_status.py", "数据状态", ":material/database:", "看板"),
    PageSpec("data_admin", "pages/data_admin.py", "数据管理", ":material/upload_file:", "管理"),
    PageSpec("accounts", "pages/accounts.py", "账户管理", ":material/manage_accounts:", "管理"),
    PageSpec("audit", "pages/audit_log.py", "审计日志", ":material/policy:", "管理"),
)


def pages_for(role: str) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if roles.can_open(role, spec.key):
            sections.setdefault(spec.section, []).append(
                st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.key))
    return sections


def _login_placeholder() -> None:
    """What every URL shows while logged out: nothing; app.py has drawn the login form."""


def login_pages() -> list[st.Page]:
    """Logged out, every page's URL exists but runs the placeholder: a deep link keeps its
    address through the login, and no page script is ever run for a stranger."""
    return [st.Page(_login_placeholder, title="登录", url_path="login", default=True)] + [
        st.Page(_login_placeholder, title="登录", url_path=spec.key) for spec in PAGES]

"""Which pages exist, and which a role sees in the navigation (each page checks again itself)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from access import roles


@dataclass(frozen=True)
class PageSpec:
    key: str  # access.roles page key
    path: str
    title: str
    icon: str
    section: str
    definitions: tuple[str, ...] = ()  # its sections of docs/metrics.md, shown under 口径说明
    filtered: bool = True  # reads the sidebar filters (ui.filters): drawn only on such pages


ROOT = Path(__file__).resolve().parent.parent
# A page file's stem must never equal a URL path here: Streamlit's implicit pages/ routing would
# then run the file directly on a rerun, skipping app.py (login check, sidebar). Hence *_page.py.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "overview", "pages/overview_page.py", "总览", ":material/dashboard:", "看板", ("通用约定", "年度任务", "预警")
    ),
    PageSpec(
        "dispatch",
        "pages/dispatch_page.py",
        "周调度",
        ":material/event_note:",
        "看板",
        ("通用约定", "周调度", "年度任务", "预警"),
    ),
    PageSpec(
        "projects", "pages/projects_page.py", "项目进度", ":material/construction:", "看板", ("通用约定", "项目进度")
    ),
    PageSpec(
        "resettlement",
        "pages/resettlement_page.py",
        "安置还房",
        ":material/apartment:",
        "看板",
        ("通用约定", "安置还房"),
    ),
    PageSpec("funds", "pages/funds_page.py", "资金拨付", ":material/payments:", "看板", ("通用约定", "资金拨付")),
    PageSpec("petitions", "pages/petitions_page.py", "信访", ":material/forum:", "看板", ("通用约定", "信访")),
    PageSpec(
        "holdouts",
        "pages/holdouts_safety_page.py",
        "尾欠户与平安征收",
        ":material/health_and_safety:",
        "看板",
        ("通用约定", "尾欠户与平安征收"),
    ),
    PageSpec(
        "status", "pages/data_status_page.py", "数据状态", ":material/database:", "看板", ("数据状态",), filtered=False
    ),
    PageSpec("data_admin", "pages/data_admin_page.py", "数据管理", ":material/upload_file:", "管理", filtered=False),
    PageSpec("accounts", "pages/accounts_page.py", "账户管理", ":material/manage_accounts:", "管理", filtered=False),
    PageSpec("audit", "pages/audit_log_page.py", "审计日志", ":material/policy:", "管理", filtered=False),
)
_BY_TITLE = {spec.title: spec for spec in PAGES}


def reads_filters(page: st.Page) -> bool:
    """Whether the page a run shows reads the sidebar filters (the hidden home and login addresses
    run the first page). A page not in PAGES (the benchmark's floor page) has the whole frame."""
    spec = _BY_TITLE.get(page.title)
    return spec is None or spec.filtered


def pages_for(role: str, home: bool = True) -> dict[str, list[st.Page]]:
    """The role's pages by section, and (unless home=False: the benchmark puts its own default
    page first) two hidden addresses that open its first page.

    Streamlit serves the default page at the site's root only: with 总览 as the default,
    /overview (a bookmark, a link in a message) and /login (kept from before the login) showed
    Streamlit's English "Page not found". So the default is a hidden page that runs the first
    page's script, and every page, 总览 included, keeps its own address."""
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if roles.can_open(role, spec.key) and (ROOT / spec.path).exists():
            sections.setdefault(spec.section, []).append(
                st.Page(ROOT / spec.path, title=spec.title, icon=spec.icon, url_path=spec.key)
            )
    if not home:
        return sections
    first_spec = next(spec for spec in PAGES if roles.can_open(role, spec.key))
    # The same script under two more addresses, not a jump to /overview: a switch_page in the run
    # that logs in would leave the browser without its login cookie (stack notes).
    hidden = [
        st.Page(
            ROOT / first_spec.path, title=first_spec.title, url_path=path, default=path == "home", visibility="hidden"
        )
        for path in ("home", "login")
    ]
    sections[first_spec.section] = hidden + sections[first_spec.section]
    return sections


def session_pages(role: str) -> dict[str, list[st.Page]]:
    """pages_for(role), built once per browser session (and role), not on every rerun: each
    st.Page resolves its script's path on disk, some hundred file-system calls per run in all,
    and under 20 sessions each call gave up the interpreter lock and queued to take it back.
    A session runs one script at a time, so its pages are never in two runs at once."""
    key = f"_pages_of_{role}"
    if key not in st.session_state:
        st.session_state[key] = pages_for(role)
    return st.session_state[key]


def _login_placeholder() -> None:
    """What every URL shows while logged out: nothing; app.py has drawn the login form."""


def login_pages() -> list[st.Page]:
    """Logged out, every page's URL exists but runs the placeholder: a deep link keeps its
    address through the login, and no page script is ever run for a stranger."""
    return [st.Page(_login_placeholder, title="登录", url_path="login", default=True)] + [
        st.Page(_login_placeholder, title="登录", url_path=spec.key) for spec in PAGES
    ]

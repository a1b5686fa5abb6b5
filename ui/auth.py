"""Login and access, the Streamlit side: streamlit-authenticator for the form and the cookie,
our own server-side sessions (access.sessions) for whether a login still counts.

The cookie is a JWT that streamlit-authenticator signs; a copied cookie would work until it
expires, so every run also asks `access.sessions.check_session` with the cookie's value as
key: logout, a password change or a disabled account end that row, and the cookie with it.
The password check itself is ours (`access.accounts.authenticate`: lockout after 5 failures,
the same answer and about the same time for unknown users and wrong passwords).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import streamlit as st
import streamlit_authenticator as stauth

from access import accounts, roles, sessions
from access.errors import AccessError
from access.secrets import cookie_key

COOKIE_NAME = "zhengshou_dashboard"
LOGIN_FIELDS = {
    "Form name": "登录 · 区土地和房屋征收中心工作调度看板",
    "Username": "用户名",
    "Password": "密码",
    "Login": "登录",
}
_ACCESS = "access"  # session_state: the checked Access of this browser session
_LOGIN_RESULT = "login_result"  # session_state: our answer to the last form submission
_LOGOUT_PENDING = "logout_pending"
_COOKIE_UNWRITTEN = "cookie_unwritten"  # session_state: (token, expiry) until the browser has it
# The frames that write it, by key; a frame's value True: written. The library's (its default key)
# in the login's run; ours after it, with a key of its own, so a new frame even where the
# library's is still there, unloaded.
_LIBRARY_WRITER, _OUR_WRITER = "set", "cookie_writer"


@dataclass(frozen=True)
class Access:
    username: str
    display_name: str
    role: str
    townships: tuple[str, ...]  # empty: the whole district
    session_key: str

    @property
    def sees_district(self) -> bool:
        return roles.sees_district(self.townships)

    @property
    def sees_personal_data(self) -> bool:
        return roles.sees_personal_data(self.role)

    def name(self, value):
        """A household owner's name as this role may see it."""
        return value if self.sees_personal_data else roles.mask_name(value)

    def petitioner(self, value):
        return value if self.sees_personal_data else roles.mask_id(value)


def demo_mode() -> bool:
    return os.environ.get("APP_DEMO") == "1"


@functools.cache
def _secret_cookie_key() -> str | None:
    """The key in Streamlit secrets, read once per process (a key is set before the server starts).
    With no secrets file, Streamlit searches for one again, under a lock, on every access: a
    twentieth of the server's work under 20 sessions."""
    try:
        return st.secrets.get("cookie_key")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None


def _cookie_key() -> str:
    return _checked_cookie_key(demo_mode(), _secret_cookie_key() or os.environ.get("APP_COOKIE_KEY"))


@functools.cache
def _checked_cookie_key(demo: bool, value: str | None) -> str:
    """Checked once per setting, not on every run: in demo mode without a key, access.secrets
    warns once (it warned on every run, into the server's log)."""
    return cookie_key(demo, value)


def _signed_in() -> bool:
    return bool(st.session_state.get("authentication_status")) and _ACCESS in st.session_state


class Gate:
    """One per run. The authenticator (and the cookie component it draws) is built only when a run
    needs it: to log in (by form or cookie), to log out, or to write the cookie. A signed-in
    session's rerun needs only our own check of its server session (current())."""

    def __init__(self):
        try:
            self.key = _cookie_key()
        except AccessError as exc:  # outside demo mode the app refuses to start without a key
            st.error(str(exc))
            st.stop()

    @functools.cached_property
    def authenticator(self) -> stauth.Authenticate:
        # The accounts are read only when someone may log in: a signed-in session's logout reads none.
        authenticator = stauth.Authenticate(
            {"usernames": {}} if _signed_in() else accounts.config_for_authenticator(),
            COOKIE_NAME,
            self.key,
            cookie_expiry_days=sessions.absolute_limit().total_seconds() / 86400,
            auto_hash=False,
            login_sleep_time=0,
        )
        # Our check instead of the library's: lockout, equal answers, audit (see module doc).
        model = authenticator.authentication_controller.authentication_model
        model.check_credentials = _check_credentials
        return authenticator

    def _forget(self) -> None:
        """Clear the login from this browser session and delete the cookie."""
        if st.session_state.get("authentication_status"):
            self.authenticator.logout(location="unrendered")
        st.session_state["logout"] = True  # the library then ignores the cookie for this session
        st.session_state.pop(_ACCESS, None)
        st.session_state.pop(_COOKIE_UNWRITTEN, None)

    def current(self) -> Access | None:
        """The checked login of this run, or None (logged out, expired, revoked, cookie copied)."""
        if st.session_state.pop(_LOGOUT_PENDING, False):
            self._forget()
            st.session_state["logout_message"] = "已退出登录。"
            return None
        if not _signed_in():  # the library's login returns at once for a signed-in session
            self._ignore_unusable_cookie()
            self.authenticator.login(location="unrendered")  # a valid cookie logs in here
            if not st.session_state.get("authentication_status"):
                return None
        access: Access | None = st.session_state.get(_ACCESS)
        key = access.session_key if access else st.context.cookies.get(COOKIE_NAME)
        info = sessions.check_session(key) if key else None
        if info is None:
            self._forget()
            st.session_state["logout_message"] = "登录已失效（已退出、超时或账户变更），请重新登录。"
            return None
        sessions.touch(key)
        self._write_cookie_until_written()
        return _remember(info, key)

    def _write_cookie_until_written(self) -> None:
        """The login's run draws the frame that writes the cookie in the browser; a rerun that
        starts before that frame has loaded removes it (or its load fails), and the login would
        last only until the next reload. So the same cookie is drawn again on each run until a
        frame says written."""
        unwritten = st.session_state.get(_COOKIE_UNWRITTEN)
        if unwritten is None:
            return
        if any(st.session_state.get(writer) is True for writer in (_LIBRARY_WRITER, _OUR_WRITER)):
            del st.session_state[_COOKIE_UNWRITTEN]
            return
        token, expires = unwritten
        manager = self.authenticator.cookie_controller.cookie_model.cookie_manager
        manager.set(COOKIE_NAME, token, key=_OUR_WRITER, expires_at=expires)

    def _ignore_unusable_cookie(self) -> None:
        """A malformed cookie, or one naming an account that is disabled or gone, would make the
        library fail with an error page: this browser session then ignores it (the login form
        shows, and logging in replaces the cookie)."""
        value = st.context.cookies.get(COOKIE_NAME)
        if value is None or st.session_state.get("authentication_status"):
            return
        known = self.authenticator.authentication_controller.authentication_model.credentials["usernames"]
        if sessions.cookie_username(value, self.key) not in known:
            st.session_state["logout"] = True  # what the library reads as "ignore the cookie"

    def login_form(self) -> Access | None:
        """Draw the login form; on success open the server session and return the Access."""
        if message := st.session_state.pop("logout_message", None):
            st.info(message)
        self.authenticator.login(location="main", fields=LOGIN_FIELDS)
        result = st.session_state.pop(_LOGIN_RESULT, None)
        if not st.session_state.get("authentication_status"):
            if result is not None and not result.ok:
                st.error(result.message)
            return None
        model = self.authenticator.cookie_controller.cookie_model
        if model.exp_date is None:  # no cookie was issued in this run: nothing to bind to
            return None
        key = model._token_encode()  # the exact JWT the browser has just been given
        st.session_state[_COOKIE_UNWRITTEN] = (key, dt.datetime.fromtimestamp(model.exp_date))
        return _remember(sessions.open_session(st.session_state["username"], key), key)


def _remember(info, key: str) -> Access:
    access = Access(info.username, info.display_name, info.role, tuple(info.townships), key)
    st.session_state[_ACCESS] = access
    return access


def _check_credentials(username: str, password: str) -> bool:
    client = accounts.client_address(
        st.context.ip_address, st.context.headers.get("X-Forwarded-For"), accounts.trusted_proxies()
    )
    result = accounts.authenticate(username, password, client=client)
    st.session_state[_LOGIN_RESULT] = result
    return result.ok


def request_logout() -> None:
    """on_click of the logout button: runs before the rerun that draws the login form."""
    access: Access | None = st.session_state.get(_ACCESS)
    if access is not None:
        sessions.close_session(access.session_key, "logout")
    st.session_state[_LOGOUT_PENDING] = True


_checked_this_run: ContextVar[Access | None] = ContextVar("checked_this_run", default=None)


@contextmanager
def checked_this_run(access: Access) -> Iterator[None]:
    """app.py runs the page inside this, right after Gate.current() has checked `access` in the
    same run: the page's require() then does not ask the sessions table a second time."""
    token = _checked_this_run.set(access)
    try:
        yield
    finally:
        _checked_this_run.reset(token)


def require(page_key: str) -> Access:
    """First statement of every page: stop unless this session's login may open the page.

    Streamlit serves a pages/ script directly when st.navigation has not run in the session,
    so a page cannot rely on app.py having checked anything: outside checked_this_run() (app.py
    in this very run) the session is checked here.
    """
    access: Access | None = st.session_state.get(_ACCESS)
    if access is None or (access is not _checked_this_run.get() and sessions.check_session(access.session_key) is None):
        st.warning("请先登录。")
        st.stop()
    if not roles.can_open(access.role, page_key):
        st.error("当前账户无权访问此页面。")
        st.stop()
    return access

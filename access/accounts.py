"""Accounts: creation, passwords, enabling/disabling, login with lockout.

Accounts live in our database (see ``db``), never in a YAML file; streamlit-authenticator gets
a fresh credentials dict from ``config_for_authenticator()`` (``auto_hash=False``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from . import db as _db
from . import passwords
from .audit import write_event
from .errors import AccessError
from .roles import ROLES, SCOPED_ROLES
from .sessions import close_all_in

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCK_DURATION = timedelta(minutes=15)

INVALID_MESSAGE = "用户名或密码错误"
LOCKED_MESSAGE = f"登录失败次数过多，本机已暂停该用户名登录{int(LOCK_DURATION.total_seconds() // 60)}分钟"
DISABLED_MESSAGE = "账户已停用，请联系管理员"
EMPTY_MESSAGE = "请输入用户名和密码"

_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{1,31}$")


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: str
    townships: tuple[str, ...]  # empty = every 镇街
    is_active: bool
    created_at: datetime
    password_changed_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    message: str  # Chinese, shown as it is ("" when ok)
    reason: str  # ok | invalid | locked | disabled | empty
    user: UserInfo | None = None
    locked_until: datetime | None = None


def normalize(username: str | None) -> str:
    """Usernames are compared lower-case and stripped (as streamlit-authenticator does)."""
    return (username or "").strip().lower()


def _user(row) -> UserInfo:
    return UserInfo(
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        townships=tuple(json.loads(row["townships"] or "[]")),
        is_active=bool(row["is_active"]),
        created_at=row["created_at"],
        password_changed_at=row["password_changed_at"],
        last_login_at=row["last_login_at"],
    )


def _row(conn: Connection, name: str):
    return conn.execute(select(_db.users).where(_db.users.c.username == name)).mappings().first()


def _check_townships(role: str, townships: Iterable[str]) -> list[str]:
    if isinstance(townships, str):
        townships = [townships]
    scope = []
    for town in townships or ():
        town = str(town).strip()
        if town and town not in scope:
            scope.append(town)
    if scope and role not in SCOPED_ROLES:
        raise AccessError(f"只有{'、'.join(sorted(SCOPED_ROLES))}可以限定镇街范围")
    return scope


def create_user(
    username: str,
    password: str,
    role: str,
    display_name: str,
    townships: Iterable[str] = (),
    *,
    actor: str | None = None,
    now: datetime | None = None,
    db: Engine | str | None = None,
) -> UserInfo:
    """Create an active account. Raises AccessError (Chinese) on any invalid input."""
    now = _db.utcnow(now)
    name = normalize(username)
    if not _USERNAME_RE.match(name):
        raise AccessError("用户名须为2到32位小写字母、数字或 _ . -，并以字母或数字开头")
    if role not in ROLES:
        raise AccessError(f"未知角色：{role}（可选：{'、'.join(ROLES)}）")
    display = (display_name or "").strip()
    if not display or len(display) > 100:
        raise AccessError("姓名不能为空，且不超过100个字符")
    scope = _check_townships(role, townships)
    passwords.check_rules(password, name)
    hashed = passwords.hash_password(password)
    try:
        with _db.write(db) as conn:
            if _row(conn, name) is not None:
                raise AccessError(f"用户已存在：{name}")
            conn.execute(
                insert(_db.users).values(
                    username=name,
                    display_name=display,
                    password_hash=hashed,
                    role=role,
                    townships=json.dumps(scope, ensure_ascii=False),
                    is_active=True,
                    password_changed_at=now,
                    created_at=now,
                    last_login_at=None,
                )
            )
            write_event(conn, "user_created", name, {"role": role, "townships": scope, "by": actor}, now)
            return _user(_row(conn, name))
    except IntegrityError:  # created by someone else in the meantime
        raise AccessError(f"用户已存在：{name}") from None


def get_user(username: str, *, db: Engine | str | None = None) -> UserInfo | None:
    with _db.read(db) as conn:
        row = _row(conn, normalize(username))
    return _user(row) if row is not None else None


def list_users(*, include_inactive: bool = True, db: Engine | str | None = None) -> list[UserInfo]:
    query = select(_db.users).order_by(_db.users.c.username)
    if not include_inactive:
        query = query.where(_db.users.c.is_active.is_(True))
    with _db.read(db) as conn:
        return [_user(r) for r in conn.execute(query).mappings().all()]


def _require(conn: Connection, name: str):
    row = _row(conn, name)
    if row is None:
        raise AccessError(f"用户不存在：{name}")
    return row


def _failure_key(name: str, client: str) -> str:
    """Failures count per typed name AND client address: five wrong passwords from one computer
    pause that name on that computer only, so nobody can lock the administrator out for everyone.
    Half of each digest keeps the key in 64 characters; the name half is a prefix, so a password
    change or re-enabling can lift the pause on every computer at once."""
    return _name_prefix(name) + hashlib.sha256(client.encode("utf-8")).hexdigest()[:32]


def _name_prefix(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]


def _lift_pauses(conn: Connection, name: str) -> None:
    conn.execute(delete(_db.login_failures).where(_db.login_failures.c.name_hash.startswith(_name_prefix(name))))


def client_address(peer: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str:
    """The address a login is counted under.

    ``peer`` is the TCP peer (which a browser cannot forge; None for localhost). Behind the unit's
    proxy every peer is the proxy, so when the peer is a trusted proxy, the last address of its
    X-Forwarded-For header counts: nginx appends the address it saw there, whatever the browser
    sent before it. Anyone else's X-Forwarded-For is ignored."""
    peer = peer if isinstance(peer, str) and peer else "127.0.0.1"
    if peer in set(trusted) and isinstance(forwarded_for, str):
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return peer


def trusted_proxies() -> tuple[str, ...]:
    """APP_TRUSTED_PROXIES: comma-separated addresses of the proxies in front of the app."""
    listed = os.environ.get("APP_TRUSTED_PROXIES", "127.0.0.1,::1")
    return tuple(a.strip() for a in listed.split(",") if a.strip())


def set_password(
    username: str,
    new_password: str,
    *,
    actor: str | None = None,
    now: datetime | None = None,
    db: Engine | str | None = None,
) -> int:
    """Change a password, end all sessions of the user and lift a lockout; returns sessions closed."""
    now = _db.utcnow(now)
    name = normalize(username)
    passwords.check_rules(new_password, name)
    hashed = passwords.hash_password(new_password)
    with _db.write(db) as conn:
        _require(conn, name)
        conn.execute(
            update(_db.users).where(_db.users.c.username == name).values(password_hash=hashed, password_changed_at=now)
        )
        closed = close_all_in(conn, name, "password_changed", now)
        _lift_pauses(conn, name)
        write_event(conn, "password_changed", name, {"by": actor, "sessions_closed": closed}, now)
    return closed


def disable_user(
    username: str, *, actor: str | None = None, now: datetime | None = None, db: Engine | str | None = None
) -> int:
    """Disable an account and end all its sessions; returns sessions closed."""
    now = _db.utcnow(now)
    name = normalize(username)
    with _db.write(db) as conn:
        _require(conn, name)
        conn.execute(update(_db.users).where(_db.users.c.username == name).values(is_active=False))
        closed = close_all_in(conn, name, "user_disabled", now)
        write_event(conn, "user_disabled", name, {"by": actor, "sessions_closed": closed}, now)
    return closed


def enable_user(
    username: str, *, actor: str | None = None, now: datetime | None = None, db: Engine | str | None = None
) -> None:
    """Enable an account again (and lift a lockout)."""
    now = _db.utcnow(now)
    name = normalize(username)
    with _db.write(db) as conn:
        _require(conn, name)
        conn.execute(update(_db.users).where(_db.users.c.username == name).values(is_active=True))
        _lift_pauses(conn, name)
        write_event(conn, "user_enabled", name, {"by": actor}, now)


def _lock_row(conn: Connection, key: str):
    """The failure row of ``key``, created if missing and locked FOR UPDATE (PostgreSQL)."""
    table = _db.login_failures
    upsert = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(conn.dialect.name)
    if upsert is not None:  # atomic "create if missing" where the dialect has it
        conn.execute(
            upsert(table).values(name_hash=key, failures=0).on_conflict_do_nothing(index_elements=["name_hash"])
        )
    elif conn.execute(select(table.c.name_hash).where(table.c.name_hash == key)).first() is None:
        conn.execute(insert(table).values(name_hash=key, failures=0))
    return conn.execute(select(table).where(table.c.name_hash == key).with_for_update()).mappings().one()


def authenticate(
    username: str, password: str, now: datetime | None = None, *, client: str = "", db: Engine | str | None = None
) -> LoginResult:
    """Check a login. Unknown users and wrong passwords get the same message and take about the
    same time; 5 failures within 15 minutes from one ``client`` address pause the name (known or
    not) there for 15 minutes (see _failure_key)."""
    now = _db.utcnow(now)
    name = normalize(username)
    if not name or not password:
        return LoginResult(False, EMPTY_MESSAGE, "empty")
    key = _failure_key(name, client)
    table = _db.login_failures
    with _db.read(db) as conn:
        fail = conn.execute(select(table).where(table.c.name_hash == key)).mappings().first()
        row = _row(conn, name)
    known = row is not None
    who = name if known else None
    unknown = {} if known else {"reason": "unknown_user"}
    origin = {"from": client} if client else {}  # the staff computer's address, for the audit
    if fail is not None and fail["locked_until"] is not None and fail["locked_until"] > now:
        with _db.write(db) as conn:
            write_event(conn, "login_failed", who, {"reason": "locked", **origin}, now)
        return LoginResult(False, LOCKED_MESSAGE, "locked", locked_until=fail["locked_until"])

    matches = passwords.verify(password, row["password_hash"] if known else None)

    with _db.write(db) as conn:
        current = conn.execute(select(table).where(table.c.name_hash == key)).mappings().first()
        if (
            current is not None and current["locked_until"] is not None and current["locked_until"] > now
        ):  # locked by a parallel attempt meanwhile
            write_event(conn, "login_failed", who, {"reason": "locked", **origin}, now)
            return LoginResult(False, LOCKED_MESSAGE, "locked", locked_until=current["locked_until"])
        if matches:  # disabled meanwhile? read the row again inside this transaction
            row = _row(conn, name)
            matches = row is not None
        if matches and not row["is_active"]:
            write_event(conn, "login_failed", who, {"reason": "disabled", **origin}, now)
            return LoginResult(False, DISABLED_MESSAGE, "disabled")
        if matches:
            conn.execute(delete(table).where(table.c.name_hash == key))
            conn.execute(update(_db.users).where(_db.users.c.username == name).values(last_login_at=now))
            write_event(conn, "login_ok", name, {}, now)
            return LoginResult(True, "", "ok", user=_user(_row(conn, name)))

        state = _lock_row(conn, key)  # waits for parallel failures of the same name
        if state["locked_until"] is not None and state["locked_until"] > now:
            write_event(conn, "login_failed", who, {"reason": "locked", **origin}, now)
            return LoginResult(False, LOCKED_MESSAGE, "locked", locked_until=state["locked_until"])
        start = state["window_start"]
        if start is None or now - start > FAILURE_WINDOW:
            failures, start = 1, now
        else:
            failures = state["failures"] + 1
        write_event(conn, "login_failed", who, {"reason": "wrong_password", **unknown, **origin}, now)
        if failures >= MAX_FAILURES:
            until = now + LOCK_DURATION
            conn.execute(
                update(table).where(table.c.name_hash == key).values(failures=0, window_start=None, locked_until=until)
            )
            write_event(
                conn,
                "locked",
                who,
                {"failures": failures, "minutes": LOCK_DURATION.seconds // 60, **unknown, **origin},
                now,
            )
            return LoginResult(False, LOCKED_MESSAGE, "locked", locked_until=until)
        conn.execute(
            update(table)
            .where(table.c.name_hash == key)
            .values(failures=failures, window_start=start, locked_until=None)
        )
        return LoginResult(False, INVALID_MESSAGE, "invalid")


def config_for_authenticator(*, db: Engine | str | None = None) -> dict:
    """A fresh credentials dict for ``stauth.Authenticate(..., auto_hash=False)``: active users
    only, bcrypt hashes, roles as a one-element list."""
    query = (
        select(_db.users.c.username, _db.users.c.display_name, _db.users.c.password_hash, _db.users.c.role)
        .where(_db.users.c.is_active.is_(True))
        .order_by(_db.users.c.username)
    )
    with _db.read(db) as conn:
        rows = conn.execute(query).all()
    return {
        "usernames": {
            r.username: {"name": r.display_name, "password": r.password_hash, "roles": [r.role], "email": ""}
            for r in rows
        }
    }

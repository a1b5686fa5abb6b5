"""Audit log: who did what and when (UTC). Never personal data of households or petitioners.

``detail`` is a small JSON object (counts, page keys, file names, reasons). As a guard against
mistakes, ``record`` refuses details with keys that name personal data or a password, and string
values that look like a Chinese ID number or mobile number; it cannot recognise every name, so
callers must pass counts and keys, never rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import desc, func, insert, select
from sqlalchemy.engine import Connection, Engine

from . import db as _db

# Every action, with the Chinese the audit page shows for it.
ACTION_LABELS: dict[str, str] = {
    "login_ok": "登录成功",
    "login_failed": "登录失败",
    "locked": "账户锁定",
    "logout": "退出登录",
    "session_expired": "会话过期",
    "password_changed": "修改密码",
    "user_created": "新建账户",
    "user_disabled": "停用账户",
    "user_enabled": "启用账户",
    "load_published": "发布数据",
    "load_failed": "发布失败",
    "rollback": "回滚",
    "download": "下载文件",
    "download_personal": "下载含个人信息的数据",
    "download_refused": "拒绝下载（登录已失效）",
    "snapshot_frozen": "冻结周数据",
    "supervision_created": "交办督办事项",
    "supervision_updated": "更新督办进展",
    "supervision_closed": "办结督办事项",
}
ACTIONS: tuple[str, ...] = tuple(ACTION_LABELS)

# The Chinese the audit page shows for each detail key and for the reasons written in details.
DETAIL_LABELS: dict[str, str] = {
    "what": "文件",
    "rows": "行数",
    "load_id": "加载批次",
    "ok": "成功",
    "files": "文件数",
    "errors": "错误数",
    "snapshot": "快照",
    "as_of": "数据截至",
    "role": "角色",
    "townships": "镇街",
    "by": "操作人",
    "sessions_closed": "结束会话数",
    "sessions": "结束会话数",
    "reason": "原因",
    "from": "来源地址",
    "failures": "失败次数",
    "minutes": "暂停分钟数",
    "item": "督办事项编号",
    "target": "督办对象类型",
    "assignee": "责任人账户",
    "deadline": "办结期限",
    "status": "办理状态",
}
REASON_LABELS: dict[str, str] = {
    "wrong_password": "密码错误",
    "unknown_user": "用户名不存在",
    "locked": "登录已暂停",
    "disabled": "账户已停用",
    "logout": "主动退出",
    "idle_timeout": "闲置超时",
    "absolute_limit": "登录时长超过上限",
    "password_changed": "密码已修改",
    "user_disabled": "账户已停用",
}


def describe(detail: dict) -> str:
    """An event's detail as the audit page shows it: "文件：…；行数：12", in Chinese.

    Keys and reasons this module does not know are shown as written, so nothing is hidden."""

    def value(item: Any) -> str:
        if isinstance(item, bool):
            return "是" if item else "否"
        if isinstance(item, list):
            return "、".join(value(i) for i in item) or "全部"
        if item is None:
            return "—"
        return REASON_LABELS.get(item, str(item)) if isinstance(item, str) else str(item)

    return "；".join(f"{DETAIL_LABELS.get(key, key)}：{value(item)}" for key, item in detail.items())


_ACTION_RE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")

FORBIDDEN_KEYS = frozenset(
    {
        "password",
        "new_password",
        "old_password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "cookie",
        "name",
        "names",
        "owner",
        "owner_name",
        "household",
        "household_name",
        "petitioner",
        "petitioner_name",
        "person",
        "id_number",
        "id_card",
        "idcard",
        "sfz",
        "phone",
        "mobile",
        "tel",
        "address",
        "户主",
        "姓名",
        "身份证",
        "身份证号",
        "电话",
        "手机",
        "住址",
        "信访人",
    }
)
_ID_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])|(?<!\d)\d{15}(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _check_detail(value: Any, path: str = "detail") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"审计明细的键必须是字符串：{path}")
            if key.strip().lower() in FORBIDDEN_KEYS:
                raise ValueError(f"审计明细不得包含个人信息或密码字段：{key}")
            _check_detail(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_detail(item, f"{path}[{i}]")
    elif isinstance(value, str):
        if _ID_RE.search(value) or _MOBILE_RE.search(value):
            raise ValueError(f"审计明细中疑似含有身份证号或手机号：{path}")
    elif value is not None and not isinstance(value, (bool, int, float)):
        raise ValueError(f"审计明细只能包含文字、数字、列表和字典：{path}")


def _check_action(action: str) -> None:
    if not isinstance(action, str) or not _ACTION_RE.match(action):
        raise ValueError(f"无效的审计动作：{action!r}")


def _encode(detail: dict | None) -> str:
    if detail is None:
        detail = {}
    if not isinstance(detail, dict):
        raise ValueError("审计明细必须是字典")
    _check_detail(detail)
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)


def write_event(
    conn: Connection, action: str, username: str | None = None, detail: dict | None = None, now: datetime | None = None
) -> None:
    """Insert one event inside the caller's transaction (used by accounts and sessions)."""
    _check_action(action)
    conn.execute(
        insert(_db.audit_log).values(
            at=_db.utcnow(now),
            username=(username.strip().lower() or None) if username else None,
            action=action,
            detail=_encode(detail),
        )
    )


def record(
    action: str,
    username: str | None = None,
    detail: dict | None = None,
    now: datetime | None = None,
    *,
    db: Engine | str | None = None,
) -> None:
    """Append one event. ``action`` is one of ACTIONS (or another short snake_case word)."""
    _check_action(action)
    _encode(detail)  # refuse bad details before taking the write lock
    with _db.write(db) as conn:
        write_event(conn, action, username, detail, now)


def version(*, db: Engine | str | None = None) -> tuple[str, int]:
    """The log's change marker: its database and newest id. Events are only ever appended, so
    the same marker means the same events (what a page may keep its built table by)."""
    engine = _db.get(db)
    with _db.read(engine) as conn:
        newest = conn.execute(select(func.max(_db.audit_log.c.id))).scalar()
    return str(engine.url), newest or 0


def recent(
    limit: int = 200,
    action: str | Iterable[str] | None = None,
    username: str | None = None,
    *,
    db: Engine | str | None = None,
) -> list[dict]:
    """Events newest first: dicts with id, at (aware UTC), username, action, detail (dict)."""
    table = _db.audit_log
    query = select(table).order_by(desc(table.c.at), desc(table.c.id)).limit(max(0, int(limit)))
    if action is not None:
        actions = [action] if isinstance(action, str) else list(action)
        query = query.where(table.c.action.in_(actions))
    if username is not None:
        query = query.where(table.c.username == username.strip().lower())
    with _db.read(db) as conn:
        rows = conn.execute(query).mappings().all()
    return [
        {
            "id": r["id"],
            "at": r["at"],
            "username": r["username"],
            "action": r["action"],
            "detail": json.loads(r["detail"] or "{}"),
        }
        for r in rows
    ]

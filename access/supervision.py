"""督办事项: what the leaders assign in the 周调度 meeting, to whom, by when, and how it went.

A 领导 (or 管理员, who keeps the meeting's record) assigns an item against a 镇街, a project or a
warning to a 科长's account, with a deadline and a note; the owner (or a leader) adds progress and
closes it with a note. Every step is kept (``supervision_updates``) and audited in the same
transaction, so ``items_as_of`` can show any frozen week's items as they stood then.

The status is ONE rule (``status``), read in Beijing dates: the meeting's deadlines are Beijing
calendar days whatever zone the server runs in. Streamlit-free: the 周调度 page and the 通报 both
read ``items_as_of``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from . import db as _db
from .accounts import normalize
from .audit import write_event
from .errors import AccessError
from .roles import CHIEF, can_assign_supervision, can_steer_supervision

# The same zone as warehouse.clock.BEIJING (access may not import the warehouse; a test checks).
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")

TARGET_KINDS: dict[str, str] = {"town": "镇街", "project": "项目", "warning": "预警"}
OVERDUE_OPEN, OPEN, CLOSED_LATE, CLOSED_ON_TIME = "逾期未办", "进行中", "逾期办结", "按期办结"
STATUSES: tuple[str, ...] = (OVERDUE_OPEN, OPEN, CLOSED_LATE, CLOSED_ON_TIME)  # worst first
NOTE_MAX = 2000


def status(deadline: dt.date, closed_on: dt.date | None, today: dt.date) -> str:
    """按期办结: closed on or before the deadline; 逾期办结: closed after it; 逾期未办: open and
    ``today`` is past the deadline; 进行中: open, deadline not past (the deadline day itself is in time)."""
    if closed_on is not None:
        return CLOSED_ON_TIME if closed_on <= deadline else CLOSED_LATE
    return OVERDUE_OPEN if today > deadline else OPEN


def age_days(opened_on: dt.date, closed_on: dt.date | None, today: dt.date) -> int:
    """Calendar days from the day it was assigned to the day it was closed (or to ``today``)."""
    return ((closed_on or today) - opened_on).days


def beijing_date(moment: dt.datetime) -> dt.date:
    return _db.utcnow(moment).astimezone(BEIJING).date()


@dataclass(frozen=True)
class Item:
    id: int
    target_kind: str  # town | project | warning
    target_id: str
    target_label: str
    township: str | None
    owner: str  # username
    owner_display: str
    assigned_by: str  # username
    assigned_by_display: str
    deadline: dt.date
    note: str  # what was assigned
    opened_at: dt.datetime  # aware UTC
    closed_at: dt.datetime | None  # as it stood at ``as_of``: None if closed later
    latest_note: str  # the last progress or closing note as of ``as_of`` ("" if none)
    latest_at: dt.datetime | None
    as_of: dt.datetime

    @property
    def opened_on(self) -> dt.date:
        return beijing_date(self.opened_at)

    @property
    def closed_on(self) -> dt.date | None:
        return beijing_date(self.closed_at) if self.closed_at else None

    @property
    def status(self) -> str:
        return status(self.deadline, self.closed_on, beijing_date(self.as_of))

    @property
    def age_days(self) -> int:
        return age_days(self.opened_on, self.closed_on, beijing_date(self.as_of))

    @property
    def target_kind_label(self) -> str:
        return TARGET_KINDS[self.target_kind]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def _text(value: str | None, what: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise AccessError(f"{what}不能为空")
    if len(text) > limit:
        raise AccessError(f"{what}不能超过{limit}个字符（现有{len(text)}个）")
    return text


def _account(conn: Connection, username: str, what: str):
    row = conn.execute(select(_db.users).where(_db.users.c.username == normalize(username))).mappings().first()
    if row is None or not row["is_active"]:
        raise AccessError(f"{what}账户不存在或已停用：{normalize(username)}")
    return row


def create(
    *,
    actor: str,
    target_kind: str,
    target_id: str,
    target_label: str,
    township: str | None,
    owner: str,
    deadline: dt.date,
    note: str,
    now: dt.datetime | None = None,
    db: Engine | str | None = None,
) -> Item:
    """Assign an item. ``township``: the target's 镇街 (None when it has no single one); an owner
    held to some 镇街 may only be given items of those."""
    now = _db.utcnow(now)
    if target_kind not in TARGET_KINDS:
        raise AccessError(f"未知的督办对象类型：{target_kind}（可选：{'、'.join(TARGET_KINDS)}）")
    if not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        raise AccessError("办结期限须为日期")
    if deadline < beijing_date(now):
        raise AccessError(f"办结期限 {deadline:%Y-%m-%d} 早于今天")
    label = _text(target_label, "督办对象", 200)
    note = _text(note, "交办内容", NOTE_MAX)
    target_id = _text(target_id, "督办对象编号", 64)
    township = (township or "").strip() or None
    with _db.write(db) as conn:
        who = _account(conn, actor, "交办人")
        if not can_assign_supervision(who["role"]):
            raise AccessError("只有领导或管理员可以交办督办事项")
        held = _account(conn, owner, "责任人")
        if held["role"] != CHIEF:
            raise AccessError(f"督办事项须交由科长办理：{held['username']} 是{held['role']}")
        towns = _towns(held)
        if towns and township not in towns:
            raise AccessError(
                f"{held['display_name']}负责的镇街为{'、'.join(towns)}，"
                f"不含督办对象所在的{township or '全区'}，请改交其他科长"
            )
        item_id = conn.execute(
            insert(_db.supervision_items).values(
                target_kind=target_kind,
                target_id=target_id,
                target_label=label,
                township=township,
                owner=held["username"],
                assigned_by=who["username"],
                deadline=deadline,
                note=note,
                opened_at=now,
                closed_at=None,
                closed_by=None,
            )
        ).inserted_primary_key[0]
        _step(conn, item_id, who["username"], "opened", note, now)
        detail = {
            "item": item_id,
            "target": TARGET_KINDS[target_kind],
            "assignee": held["username"],
            "deadline": deadline.isoformat(),
        }
        write_event(conn, "supervision_created", who["username"], detail, now)
    return item(item_id, now, db=db)


def _towns(user_row) -> tuple[str, ...]:
    return tuple(json.loads(user_row["townships"] or "[]"))


def _step(conn: Connection, item_id: int, username: str, step: str, note: str, now: dt.datetime) -> None:
    conn.execute(
        insert(_db.supervision_updates).values(item_id=item_id, at=now, username=username, step=step, note=note)
    )


def _open_item_for(conn: Connection, item_id: int, actor: str):
    who = _account(conn, actor, "操作人")
    row = conn.execute(select(_db.supervision_items).where(_db.supervision_items.c.id == int(item_id))).mappings()
    row = row.first()
    if row is None:
        raise AccessError(f"督办事项不存在：{item_id}")
    if not can_steer_supervision(who["role"], who["username"], row["owner"]):
        raise AccessError("只有责任人或领导可以更新、办结该督办事项")
    if row["closed_at"] is not None:
        raise AccessError(f"督办事项 {item_id} 已办结")
    return who, row


def update_progress(
    item_id: int, note: str, *, actor: str, now: dt.datetime | None = None, db: Engine | str | None = None
) -> Item:
    """Add a progress note to an open item (its owner or a leader)."""
    now = _db.utcnow(now)
    note = _text(note, "进展情况", NOTE_MAX)
    with _db.write(db) as conn:
        who, row = _open_item_for(conn, item_id, actor)
        _step(conn, row["id"], who["username"], "progress", note, now)
        write_event(conn, "supervision_updated", who["username"], {"item": row["id"]}, now)
    return item(item_id, now, db=db)


def close(
    item_id: int, note: str, *, actor: str, now: dt.datetime | None = None, db: Engine | str | None = None
) -> Item:
    """Close an open item with a closing note (its owner or a leader)."""
    now = _db.utcnow(now)
    note = _text(note, "办结情况", NOTE_MAX)
    with _db.write(db) as conn:
        who, row = _open_item_for(conn, item_id, actor)
        table = _db.supervision_items
        conn.execute(update(table).where(table.c.id == row["id"]).values(closed_at=now, closed_by=who["username"]))
        _step(conn, row["id"], who["username"], "closed", note, now)
        shown = status(row["deadline"], beijing_date(now), beijing_date(now))
        write_event(conn, "supervision_closed", who["username"], {"item": row["id"], "status": shown}, now)
    return item(item_id, now, db=db)


def items_as_of(
    moment: dt.datetime | None = None,
    *,
    townships: tuple[str, ...] | list[str] | None = None,
    owner: str | None = None,
    db: Engine | str | None = None,
) -> list[Item]:
    """Every item assigned up to ``moment`` (now when None) as it stood then: closed only if it
    was closed by then, its latest note the last one written by then; worst first (逾期未办, then
    进行中 by deadline, then 逾期办结 and 按期办结). ``townships``: only items of those 镇街 (a held
    chief's view); ``owner``: only that account's items."""
    moment = _db.utcnow(moment)
    items, users = _db.supervision_items, _db.users
    query = select(items).where(items.c.opened_at <= moment).order_by(items.c.id)
    if townships:
        query = query.where(items.c.township.in_(list(townships)))
    if owner is not None:
        query = query.where(items.c.owner == normalize(owner))
    steps = _db.supervision_updates
    with _db.read(db) as conn:
        rows = conn.execute(query).mappings().all()
        names = dict(conn.execute(select(users.c.username, users.c.display_name)).all())
        latest: dict[int, tuple[str, dt.datetime]] = {}
        ids = [r["id"] for r in rows]
        if ids:
            written = conn.execute(
                select(steps.c.item_id, steps.c.step, steps.c.note, steps.c.at)
                .where(steps.c.item_id.in_(ids), steps.c.at <= moment, steps.c.step != "opened")
                .order_by(steps.c.at, steps.c.id)
            ).all()
            for step in written:
                latest[step.item_id] = (step.note, step.at)
    found = [_item(r, names, latest.get(r["id"]), moment) for r in rows]
    return sorted(found, key=lambda i: (STATUSES.index(i.status), i.deadline, i.id))


def item(item_id: int, moment: dt.datetime | None = None, *, db: Engine | str | None = None) -> Item:
    """One item as it stands at ``moment`` (now when None)."""
    found = [i for i in items_as_of(moment, db=db) if i.id == int(item_id)]
    if not found:
        raise AccessError(f"督办事项不存在：{item_id}")
    return found[0]


def open_counts(owner: str, moment: dt.datetime | None = None, *, db: Engine | str | None = None) -> tuple[int, int]:
    """(open items, of which overdue) of an owner: the notice he sees on login."""
    mine = [i for i in items_as_of(moment, owner=owner, db=db) if i.is_open]
    return len(mine), sum(1 for i in mine if i.status == OVERDUE_OPEN)


def _item(row, names: dict, latest: tuple[str, dt.datetime] | None, moment: dt.datetime) -> Item:
    closed = row["closed_at"] if row["closed_at"] is not None and row["closed_at"] <= moment else None
    return Item(
        id=row["id"],
        target_kind=row["target_kind"],
        target_id=row["target_id"],
        target_label=row["target_label"],
        township=row["township"],
        owner=row["owner"],
        owner_display=names.get(row["owner"], row["owner"]),
        assigned_by=row["assigned_by"],
        assigned_by_display=names.get(row["assigned_by"], row["assigned_by"]),
        deadline=row["deadline"],
        note=row["note"],
        opened_at=row["opened_at"],
        closed_at=closed,
        latest_note=latest[0] if latest else "",
        latest_at=latest[1] if latest else None,
        as_of=moment,
    )

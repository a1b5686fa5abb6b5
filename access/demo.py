"""Demo accounts for trying the dashboard (``python -m access demo-accounts``).

Each demo password is ``demo-<username>-2026`` (leader → demo-leader-2026). They are public:
never create them on a server that holds real data, or disable them there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine

from .accounts import create_user, get_user
from .errors import AccessError

DEMO_ACCOUNTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # username, role, display name, 镇街 scope (empty = all)
    ("leader", "领导", "演示领导", ()),
    ("chief", "科长", "演示科长", ()),
    ("chief_dc", "科长", "东城街道科长", ("东城街道",)),
    ("admin", "管理员", "演示管理员", ()),
)


def demo_password(username: str) -> str:
    return f"demo-{username}-2026"


def ensure_demo_accounts(*, now: datetime | None = None, db: Engine | str | None = None) -> list[str]:
    """Create the demo accounts that are missing; existing ones are left as they are.

    Returns the usernames created (empty on a second run).
    """
    created = []
    for username, role, display, scope in DEMO_ACCOUNTS:
        if get_user(username, db=db) is not None:
            continue
        try:
            create_user(username, demo_password(username), role, display, scope, actor="demo-accounts", now=now, db=db)
        except AccessError:
            if get_user(username, db=db) is None:
                raise
            continue  # created by a parallel run
        created.append(username)
    return created

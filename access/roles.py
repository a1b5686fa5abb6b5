"""Roles, the page matrix and the ONE place where personal data is masked.

Roles are Chinese strings as they appear in the accounts table and in streamlit-authenticator's
``st.session_state["roles"]``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

LEADER = "领导"
CHIEF = "科长"
ADMIN = "管理员"
ROLES: tuple[str, ...] = (LEADER, CHIEF, ADMIN)

# Page keys used by the Streamlit side (one per page script).
MANAGER_PAGES: tuple[str, ...] = (
    "overview",
    "projects",
    "resettlement",
    "funds",
    "petitions",
    "holdouts",
    "dispatch",
    "status",
)
ADMIN_PAGES: tuple[str, ...] = ("data_admin", "accounts", "audit")
PAGES: tuple[str, ...] = MANAGER_PAGES + ADMIN_PAGES

_ALLOWED: dict[str, frozenset[str]] = {
    LEADER: frozenset(MANAGER_PAGES),
    CHIEF: frozenset(MANAGER_PAGES),
    ADMIN: frozenset(PAGES),
}

# Only a 科长 may be limited to some 镇街; 领导 and 管理员 always see the whole district.
SCOPED_ROLES: frozenset[str] = frozenset({CHIEF})


def can_open(role: str | None, page_key: str) -> bool:
    """True when ``role`` may open ``page_key``; unknown roles and pages are refused."""
    return page_key in _ALLOWED.get(role or "", frozenset())


def can_freeze_snapshots(role: str | None) -> bool:
    """冻结本周数据 is the dispatch meeting's record: 领导 (who chair it) and 管理员, not 科长."""
    return role in (LEADER, ADMIN)


def can_assign_supervision(role: str | None) -> bool:
    """督办事项 are the leaders' word in the 周调度 meeting: 领导 assign them, and 管理员 (who keeps
    the meeting's record) may enter them on their behalf; 科长 carry them out."""
    return role in (LEADER, ADMIN)


def can_steer_supervision(role: str | None, username: str | None, owner: str) -> bool:
    """Who may add progress to a 督办事项 or close it: its owner, or whoever may assign one."""
    return (bool(username) and username == owner) or can_assign_supervision(role)


def sees_personal_data(role: str | None) -> bool:
    """Whether names and ID numbers of households and petitioners are shown unmasked.

    领导 and 管理员 yes, 科长 no. Why: section chiefs are the largest group of accounts and steer
    progress, money and dispatch of their 镇街 from counts and stages, which need no names, while
    leadership handles escalated petitions and holdout negotiations person by person and admins
    load and correct the raw exports anyway; data minimisation (个人信息保护法「最小必要」) says
    show the names only to the roles whose work needs them. Unknown roles: no.
    """
    return role in (LEADER, ADMIN)


def sees_district(townships: Iterable[str] | None) -> bool:
    """Whether an account may see district-wide figures: totals, shares of the district, other
    towns' figures, the warehouse's row counts. An account held to some 镇街 sees its own towns'
    figures and their rank among all towns (as the dispatch meeting publishes it), nothing more.
    Why: a rank is what the meeting says aloud to every town; a district total or another town's
    figure is the leadership's to share (docs/operations.md「镇街范围」)."""
    return not tuple(townships or ())


def in_scope(townships: Iterable[str] | None, township: str | None) -> bool:
    """Whether a 镇街 is inside an account's scope (an empty scope means every 镇街)."""
    scope = tuple(townships or ())
    return not scope or township in scope


def _missing(value: object) -> bool:
    # None, float NaN, pandas NA/NaT: left as they are so masking a DataFrame column is safe.
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def mask_name(name):
    """Keep the first character of a person's name, one ``*`` per other character.

    "张三" → "张*", "欧阳娜娜" → "欧***", "" → "", None → None. A one-character name becomes "*"
    (keeping it would show the whole name). Surrounding spaces are dropped.
    """
    if _missing(name):
        return name
    text = str(name).strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)


def mask_id(text):
    """Keep the first three characters of a petitioner's ID, ``*`` for each of the rest.

    "110101199003071234" → "110***************", None → None, "" → "". An ID of three characters
    or fewer is masked completely (keeping three would show all of it).
    """
    if _missing(text):
        return text
    value = str(text).strip()
    if len(value) <= 3:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 3)

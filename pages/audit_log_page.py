"""审计日志（管理员）: logins, failures, lockouts, logouts, loads, rollbacks, personal-data downloads."""

import pandas as pd
import streamlit as st

from access import audit
from display import formatting
from ui import widgets
from ui.auth import require

access = require("audit")

ACTIONS = audit.ACTION_LABELS


def events_table(actions: tuple, username: str | None) -> pd.DataFrame:
    events = audit.recent(limit=500, action=list(actions) or None, username=username)
    return pd.DataFrame(
        [
            {
                "时间": formatting.beijing(e["at"], seconds=True),
                "用户": e.get("username") or "（未知用户）",
                "事件": ACTIONS.get(e["action"], e["action"]),
                "详情": audit.describe(e["detail"]) if e.get("detail") else "",
            }
            for e in events
        ],
        columns=["时间", "用户", "事件", "详情"],
    )


st.title("审计日志")
left, right = st.columns(2)
chosen = left.multiselect("事件类型", list(ACTIONS), format_func=ACTIONS.get, placeholder="全部事件类型")
user = right.text_input("用户名（留空为全部）").strip() or None
# Rebuilt only when an event is added (the newest id is read on every rerun): never stale.
events = events_table(tuple(chosen), user)
widgets.listing(events)
st.caption("最近500条，最新在前，北京时间。日志不记录被征收户姓名、信访人编号或密码。")

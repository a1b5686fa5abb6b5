"""数据状态: what the warehouse holds — as-of date, rows per ledger, the last loads."""

from itertools import islice

import pandas as pd
import streamlit as st

from display import formatting
from display.views import status
from ui import widgets
from ui.auth import require
from ui.data import built, snapshot, warehouse_path
from warehouse.load import history
from warehouse.runner import WarehouseMissing


def recent_loads(live):
    """The latest 20 loads, failed ones included."""
    return pd.DataFrame(
        [
            {
                "加载时间": e["loaded_at"],
                "类型": e.get("kind", "加载"),
                "结果": e["status"],
                "数据截至": e.get("as_of"),
                "文件数": len(e.get("files", [])),
                "记录数": sum((e.get("ledger_rows") or {}).values()),
                "错误": e.get("errors", 0),
                "警告": e.get("warnings", 0),
                "加载批次": e["load_id"],
            }
            for e in islice(history.newest_first(live), 20)
        ],
        columns=["加载时间", "类型", "结果", "数据截至", "文件数", "记录数", "错误", "警告", "加载批次"],
    )


access = require("status")

st.title("数据状态")
widgets.definitions("数据状态")
try:
    generation = snapshot()
except WarehouseMissing as exc:
    st.error(f"{exc}")
    st.stop()

st.markdown(
    f"**数据截至 {formatting.date_cn(generation.as_of)}**　　加载批次 {generation.load_id}，"
    f"加载时间 {generation.loaded_at:%Y-%m-%d %H:%M}"
)

st.subheader("各台账记录数")
if access.sees_district:
    widgets.listing(built(generation, status.ledger_counts))
else:
    st.caption("各台账记录数是全区的数字，只向不限镇街的账户显示。")

st.subheader("最近的数据加载")
loads = recent_loads(warehouse_path())
widgets.listing(loads if access.sees_district else loads.drop(columns=["记录数"]))
st.caption(
    "加载记录含失败的加载；失败的加载不改变正在使用的数据。每次加载的逐条校验报告由管理员在“数据管理”页查看和下载。"
)

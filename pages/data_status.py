"""数据状态: what the warehouse holds — as-of date, rows per ledger, the last loads."""
import streamlit as st

from ui.data import run, snapshot
from warehouse.contract import LEDGER_BY_NAME
from warehouse.runner import WarehouseMissing

st.title("数据状态")
try:
    generation = snapshot()
except WarehouseMissing as exc:
    st.error(f"{exc}")
    st.stop()

st.markdown(f"**数据截至：{generation.as_of:%Y年%m月%d日}**　　加载批次 {generation.load_id}，"
            f"加载时间 {generation.loaded_at:%Y-%m-%d %H:%M}")

ledgers = run(generation, "ledger_row_counts")
ledgers["台账"] = [LEDGER_BY_NAME[name].title for name in ledgers["ledger"]]
ordered = {name: i for i, name in enumerate(LEDGER_BY_NAME)}
ledgers = ledgers.sort_values("ledger", key=lambda s: s.map(ordered))
st.subheader("各台账记录数")
st.dataframe(
    ledgers[["台账", "rows", "pieces", "files"]].rename(
        columns={"rows": "记录数（行）", "pieces": "文件/工作表数", "files": "来源文件"}),
    hide_index=True, width="stretch")

st.subheader("最近的数据加载")
history = run(generation, "load_history").head(20)
st.dataframe(
    history.rename(columns={"seq": "序号", "load_id": "加载批次", "loaded_at": "加载时间", "status": "结果",
                            "as_of": "数据截至", "files": "文件数", "rows": "记录数", "errors": "错误",
                            "warnings": "警告"}),
    hide_index=True, width="stretch")
st.caption("加载记录含失败的加载；失败的加载不改变正在使用的数据。完整的逐条报告见 data/load_reports/。")

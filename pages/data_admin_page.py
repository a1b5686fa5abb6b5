"""数据管理（管理员）: upload a week's exports, check, publish, see the history, roll back."""

import pandas as pd
import streamlit as st

from access import audit
from display import formatting
from ui import widgets
from ui.auth import require
from ui.data import snapshot, warehouse_path
from warehouse.load import archive, history
from warehouse.load.publishing import run_loader, run_rollback, save_uploads
from warehouse.load.readers import SUPPORTED_SUFFIXES
from warehouse.load.report import issues_frame, issues_xlsx
from warehouse.load.uploads import UploadRefused
from warehouse.runner import WarehouseMissing

access = require("data_admin")


def load_history(live, archived: list[str]) -> tuple[pd.DataFrame, dict]:
    """The latest 50 loads as shown, and the 数据截至 of each archived version (the rollback choice)."""
    entries, as_of_by_id = [], {}
    for e in history.newest_first(live):  # read back only as far as needed
        if len(entries) < 50:
            entries.append(e)
        if e["status"] == "成功" and e["load_id"] in archived:
            as_of_by_id[e["load_id"]] = e.get("as_of")
        if len(entries) == 50 and len(as_of_by_id) == len(archived):
            break
    shown = pd.DataFrame(
        [
            {
                "时间": e["loaded_at"],
                "类型": e.get("kind", "加载"),
                "结果": e["status"],
                "数据截至": e.get("as_of"),
                "发布人": e.get("actor") or "命令行",
                "文件": "、".join(f["name"] for f in e.get("files", [])),
                "错误": e.get("errors", 0),
                "警告": e.get("warnings", 0),
                "批次": e["load_id"],
            }
            for e in entries
        ],
        columns=["时间", "类型", "结果", "数据截至", "发布人", "文件", "错误", "警告", "批次"],
    )
    return shown, as_of_by_id


st.title("数据管理")
live = warehouse_path()
current = st.empty()  # filled at the end of the run, after any publish or rollback

st.subheader("上传本周导出文件")
widgets.uploader_in_chinese(st.get_option("server.maxUploadSize"))
files = st.file_uploader(
    f"导出文件（可多选；{'、'.join(SUPPORTED_SUFFIXES)}，按表头识别台账）",
    type=[suffix.lstrip(".") for suffix in SUPPORTED_SUFFIXES],
    accept_multiple_files=True,
    key="uploads",
)
as_of_text = st.text_input("数据截至日期（不填则取导出文件中最晚的业务日期）", placeholder="如 2026-11-20")
check_col, publish_col = st.columns(2)
check = check_col.button("校验（不发布）", disabled=not files, width="stretch")
publish = publish_col.button("校验并发布", type="primary", disabled=not files, width="stretch")

if (check or publish) and files:
    try:
        as_of = formatting.typed_date(as_of_text)
    except ValueError as exc:
        st.error(str(exc))
        st.stop()
    try:
        folder = save_uploads([(f.name, f.getvalue()) for f in files], live.parent / "uploads")
    except UploadRefused as exc:
        st.error(f"文件被拒绝：{exc}")
        st.stop()
    with st.spinner("正在校验…" if check else "正在校验并发布…"):
        report = run_loader(folder, live, as_of=as_of, dry_run=check, actor=access.username)
    st.session_state["last_report"] = report
    if publish:
        action = "load_published" if report.get("ok") else "load_failed"
        audit.record(
            action,
            access.username,
            {
                "load_id": report.get("load_id"),
                "files": len(files),
                "errors": sum(i["level"] == "错误" for i in report.get("issues", [])),
            },
        )

report = st.session_state.get("last_report")
if report:
    issues = issues_frame(report.get("issues", []))
    if report.get("refused"):
        st.error(f"未能加载：{report['refused']}")
    elif report["ok"]:
        st.success(
            f"{'校验通过' if check else '已发布'}：数据截至 {report['as_of']}，"
            f"{sum(report['ledger_rows'].values()):,} 行，用时 {report['seconds']} 秒。"
        )
    else:
        st.error(f"发现 {int((issues['级别'] == '错误').sum())} 条错误，未发布；正在使用的数据未改动。")
    if len(issues):
        st.dataframe(issues, hide_index=True, width="stretch")
        widgets.download(
            "下载校验报告（XLSX）", lambda: issues_xlsx(issues), access, file_name="校验报告.xlsx", key="report_xlsx"
        )

st.subheader("加载记录")
versions = [archive.load_id_of(p, live) for p in archive.published(live)]
loads, as_of_by_id = load_history(live, versions)
widgets.listing(loads)

st.subheader("回滚")
if versions:
    chosen = st.selectbox(
        "回滚到最近发布的版本", versions, format_func=lambda v: f"{v}（数据截至 {as_of_by_id.get(v, '未知')}）"
    )
    confirm = st.checkbox("我确认回滚：所有用户将立即看到所选版本的数据")
    if st.button("回滚", disabled=not confirm):
        ok, message = run_rollback(live, chosen, actor=access.username)
        audit.record("rollback", access.username, {"load_id": chosen, "ok": ok})
        (st.success if ok else st.error)(message)
else:
    st.caption("还没有可回滚的已发布版本。")

try:
    generation = snapshot()
    current.markdown(f"当前发布的数据截至 **{formatting.date_cn(generation.as_of)}**（批次 {generation.load_id}）")
except WarehouseMissing:
    current.warning("尚未发布任何数据。")

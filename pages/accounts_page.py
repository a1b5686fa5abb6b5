"""账户管理（管理员）: list accounts, create one, disable/enable, set a password."""

import pandas as pd
import streamlit as st

from access import accounts, roles
from access.errors import AccessError
from display import formatting
from ui import widgets
from ui.auth import require

access = require("accounts")


def users_table(users: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "用户名": u.username,
                "姓名": u.display_name,
                "角色": u.role,
                "范围": "、".join(u.townships) or "全区",
                "状态": "启用" if u.is_active else "停用",
                "最近登录（北京时间）": formatting.beijing(u.last_login_at) if u.last_login_at else "从未登录",
            }
            for u in users
        ],
        columns=["用户名", "姓名", "角色", "范围", "状态", "最近登录（北京时间）"],
    )


st.title("账户管理")
listed = st.container()  # filled after the forms: a change made below shows in this very run
users = accounts.list_users()

create, change = st.columns(2)
with create.form("create_user", clear_on_submit=True):
    st.subheader("新建账户")
    username = st.text_input("用户名（小写字母、数字）")
    display_name = st.text_input("姓名")
    role = st.selectbox("角色", roles.ROLES)
    townships = st.text_input("负责镇街（仅科长；多个用、分隔，留空为全区）")
    password = st.text_input("初始密码（至少8位）", type="password")
    if st.form_submit_button("新建"):
        try:
            towns = [t.strip() for t in townships.replace("，", "、").replace(",", "、").split("、") if t.strip()]
            accounts.create_user(username, password, role, display_name, towns, actor=access.username)
            st.success(f"已新建账户 {username}")
            users = accounts.list_users()
        except AccessError as exc:
            st.error(str(exc))

with change.form("change_user"):
    st.subheader("停用、启用、重设密码")
    who = st.selectbox("账户", [u.username for u in users])
    action = st.radio("操作", ["停用", "启用", "重设密码"], horizontal=True)
    new_password = st.text_input("新密码（重设密码时填写）", type="password")
    if st.form_submit_button("执行"):
        try:
            if who == access.username and action == "停用":
                raise AccessError("不能停用当前登录的账户")
            if action == "停用":
                accounts.disable_user(who, actor=access.username)
            elif action == "启用":
                accounts.enable_user(who, actor=access.username)
            else:
                accounts.set_password(who, new_password, actor=access.username)
            st.success(f"已{action}：{who}（其已登录的会话随即失效）" if action != "启用" else f"已启用：{who}")
            users = accounts.list_users()
        except AccessError as exc:
            st.error(str(exc))

with listed:
    widgets.listing(users_table(tuple(users)))

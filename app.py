"""Frame only: page config and navigation (login and shared filters come with the access issue)."""
import streamlit as st

st.set_page_config(page_title="区土地和房屋征收中心 · 工作调度看板", page_icon="🏗️", layout="wide")

navigation = st.navigation([st.Page("pages/data_status.py", title="数据状态", icon="🗂️", default=True)])
navigation.run()

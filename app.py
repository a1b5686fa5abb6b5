"""Frame only: page config, login, navigation, the signed-in user in the sidebar, the stale-data banner."""

import streamlit as st

from ui import auth, filters, freshness, prewarm, widgets
from ui.dispatch_panels import projector_on
from ui.navigation import login_pages, reads_filters, session_pages
from warehouse.runner import WarehouseMissing, WarehouseOutdated
from warehouse.settings import ThresholdsInvalid

st.set_page_config(page_title="区土地和房屋征收中心 · 工作调度看板", page_icon="🏗️", layout="wide")
widgets.page_style()
prewarm.after_each_load()  # the first run after a start or a publish: the district's first screens

gate = auth.Gate()
access = gate.current() or gate.login_form()
if access is None:
    # st.navigation runs on every run: logged out, every URL maps to an empty placeholder, so
    # no script of pages/ is served by its URL (a pages/ script is otherwise served by its own URL).
    st.navigation(login_pages(), position="hidden").run()
    st.stop()

navigation = st.navigation(session_pages(access.role))
with st.sidebar:
    scope = "、".join(access.townships) if access.townships else "全区"
    st.caption(f"{access.display_name}（{access.role} · {scope}）")
    st.button("退出登录", on_click=auth.request_logout, icon=":material/logout:", width="stretch")
try:
    if reads_filters(navigation):
        filters.sidebar(access)
    freshness.banner(compact=navigation.url_path == "dispatch" and projector_on())
except ThresholdsInvalid as exc:  # every page reads them: said once here, in Chinese
    st.error(f"{exc}。请管理员改正该文件后刷新页面。")
    st.stop()
except WarehouseOutdated as exc:
    filters.no_data(str(exc))  # the pages say why; the data page still works
except WarehouseMissing:
    filters.no_data()
with auth.checked_this_run(access):  # the page's require() trusts the check of this run
    navigation.run()

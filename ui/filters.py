"""The sidebar filters the content pages share — year, 镇街, 项目领域, 重点项目 — kept in the URL's
query string so a copied link opens the same view, and clamped to a 科长's own 镇街.

Pages that read none of them (数据状态 and the admin pages) do not draw them. Streamlit forgets a
widget's value in a run that does not draw it, and a page switch clears the query string, so the
values are also kept in the session: back on a content page, the filters are as they were left."""

from __future__ import annotations

import streamlit as st

from ui.auth import Access
from ui.data import built, snapshot
from warehouse.contract import SECTORS
from warehouse.scope import Scope, filter_choices

ALL = "全部"
_SCOPE = "scope"
_NO_DATA = "no_data_reason"
_KEPT = "filters_kept"  # the filters' texts as last drawn, as the query string writes them
NO_DATA_YET = "尚未发布任何数据：请管理员在“数据管理”页上传并发布本周导出文件。"


def _param(name: str) -> str | None:
    """The URL's value of a filter, else the one kept from the last page that drew the filters."""
    value = st.query_params.get(name) or st.session_state.get(_KEPT, {}).get(name)
    return value or None


def _text(value) -> str | None:
    if value in (None, "", [], False):
        return None
    return value if isinstance(value, str) else ",".join(value) if isinstance(value, list) else "1"


def _sync(name: str, text: str | None) -> None:
    """Write a filter into the URL, only when it changed (each write is a browser history entry)."""
    if st.query_params.get(name) == text:
        return
    if text is None:
        del st.query_params[name]
    else:
        st.query_params[name] = text


def sidebar(access: Access) -> Scope:
    """Draw the filters; return the Scope every page of this run reads (also in session_state)."""
    st.session_state.pop(_SCOPE, None)
    generation = snapshot()
    choices = built(generation, filter_choices, generation.as_of)
    years = list(choices.years)
    allowed = list(access.townships) or list(choices.townships)

    wanted_year = _param("year")
    year_default = int(wanted_year) if wanted_year and wanted_year.isdigit() and int(wanted_year) in years else years[0]
    wanted_towns = [t for t in (_param("towns") or "").split(",") if t in allowed]
    wanted_sector = _param("sector") if _param("sector") in SECTORS else ALL

    st.sidebar.markdown("**筛选**")
    year = st.sidebar.selectbox("年度", years, index=years.index(year_default), key="f_year")
    towns = st.sidebar.multiselect(
        "镇街",
        allowed,
        default=wanted_towns,
        key="f_towns",
        placeholder="全部镇街" if not access.townships else "本人负责的全部镇街",
    )
    sector = st.sidebar.selectbox(
        "项目领域", [ALL, *SECTORS], index=[ALL, *SECTORS].index(wanted_sector), key="f_sector"
    )
    key_only = st.sidebar.toggle("仅重点项目", value=_param("key") == "1", key="f_key")

    texts = {
        "year": str(year),
        "towns": _text(towns),
        "sector": None if sector == ALL else sector,
        "key": _text(key_only),
    }
    for name, text in texts.items():
        _sync(name, text)
    st.session_state[_KEPT] = texts

    # A scoped 科长 never sees beyond their 镇街: no choice means all of theirs, not the district.
    townships = towns or (list(access.townships) or None)
    scope = Scope.for_year(
        year,
        generation.as_of,
        townships=townships,
        sector=None if sector == ALL else sector,
        key_only=key_only,
        held_to_towns=not access.sees_district,
    )
    st.session_state[_SCOPE] = scope
    return scope


def no_data(reason: str = NO_DATA_YET) -> None:
    """app.py found no warehouse it can read: the pages will say why."""
    st.session_state.pop(_SCOPE, None)
    st.session_state[_NO_DATA] = reason


def current_scope() -> Scope:
    """The scope app.py set for this run (pages call this after `require`)."""
    if _SCOPE not in st.session_state:  # app.py found no warehouse to filter
        st.warning(st.session_state.get(_NO_DATA, NO_DATA_YET))
        st.stop()
    return st.session_state[_SCOPE]

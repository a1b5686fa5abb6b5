"""The app's read-only warehouse handle, and its one cache.

The cache: a named query's result is kept per (warehouse load, query, parameters) by
st.cache_data. The load id is in the key, so a new load is never answered with old rows; the
scope (towns, sector, project, dates) is among the parameters, so one user's towns never answer
another's; every caller gets its own copy, so a page may change what it gets. Personal columns
are masked per user when shown (widgets.table), never in the cache. Nothing else is cached:
pages build their cards, tables and charts from these results on every run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from warehouse.runner import Generation, Warehouse


def warehouse_path() -> Path:
    return Path(os.environ.get("WAREHOUSE_PATH", "data/warehouse.duckdb")).resolve()


@st.cache_resource
def _warehouse(path: str) -> Warehouse:
    """One per app process (and path); each swap of the file opens a new generation inside it."""
    return Warehouse(path)


def warehouse() -> Warehouse:
    return _warehouse(str(warehouse_path()))


def snapshot() -> Generation:
    """The generation a whole page render reads from (taken once, at the top of the page)."""
    return warehouse().snapshot()


@st.cache_data(max_entries=1024, show_spinner=False)
def _result(load_id: str, name: str, params: tuple, _generation: Generation) -> pd.DataFrame:
    return _generation.run(name, dict(params))


def run(generation: Generation, name: str, **params) -> pd.DataFrame:
    """A named query on this generation, through the cache."""
    return _result(generation.load_id, name, tuple(sorted(params.items())), generation)


def reader(generation: Generation):
    """`query(name, **params)`: run() bound to one generation, for the code that builds a page."""
    return lambda name, **params: run(generation, name, **params)


def clear_caches() -> None:
    """Everything cached in this process (tests and the benchmark's cold renders)."""
    st.cache_data.clear()
    st.cache_resource.clear()


@st.cache_resource(max_entries=16)
def _frozen(path: str) -> Warehouse:
    return Warehouse(path)


def frozen_snapshot(path: Path) -> Generation:
    """A frozen week's warehouse (warehouse.snapshots), read-only like the live one."""
    return _frozen(str(path)).snapshot()

"""The app's single read-only warehouse handle and cached named queries.

Query results are kept per (load, query, parameters) in a process-wide memo rather than
st.cache_data: a hit there hashes the arguments and unpickles a fresh copy of the frame
(about 0.5 ms a query, 4–7 ms a page on every rerun); here a hit is a dict lookup and a
copy-on-write shallow copy, so a page that changes its frame never changes the cached one."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from warehouse.memo import VIEWS, Memo, content_key
from warehouse.runner import Generation, Warehouse

QUERIES = Memo(max_entries=1024, max_cells=8_000_000)   # query results; see warehouse.memo


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


def run(generation: Generation, name: str, **params) -> pd.DataFrame:
    """A named query, cached per warehouse load and per parameters — the scope is in the key."""
    key = (generation.load_id, name, content_key(tuple(sorted(params.items()))))
    return QUERIES.get_or_make(key, lambda: generation.run(name, params)).copy(deep=False)


def clear_caches() -> None:
    """Everything cached in this process (tests and the benchmark's cold renders)."""
    QUERIES.clear()
    VIEWS.clear()
    st.cache_data.clear()
    st.cache_resource.clear()


@st.cache_resource(max_entries=16)
def _frozen(path: str) -> Warehouse:
    return Warehouse(path)


def frozen_snapshot(path: Path) -> Generation:
    """A frozen week's warehouse (warehouse.snapshots), read-only like the live one."""
    return _frozen(str(path)).snapshot()

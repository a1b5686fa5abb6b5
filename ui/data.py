"""The app's single read-only warehouse handle and cached named queries."""
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


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(load_id: str, name: str, params: tuple, _generation: Generation) -> pd.DataFrame:
    return _generation.run(name, dict(params))


def run(generation: Generation, name: str, **params) -> pd.DataFrame:
    """A named query, cached per warehouse load and per parameters — the scope is in the key."""
    return _cached(generation.load_id, name, tuple(sorted(params.items())), generation)


@st.cache_resource(max_entries=16)
def _frozen(path: str) -> Warehouse:
    return Warehouse(path)


def frozen_snapshot(path: Path) -> Generation:
    """A frozen week's warehouse (warehouse.snapshots), read-only like the live one."""
    return _frozen(str(path)).snapshot()

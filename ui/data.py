"""The app's single read-only warehouse handle and cached named queries.

Query results are kept per (load, query, parameters) in a process-wide memo rather than
st.cache_data: a hit there hashes the arguments and unpickles a fresh copy of the frame
(about 0.5 ms a query, 4–7 ms a page on every rerun); here a hit is a dict lookup and a
copy-on-write shallow copy, so a page that changes its frame never changes the cached one."""
from __future__ import annotations

import dis
import functools
import os
import types
from pathlib import Path
from typing import Callable, Hashable

import pandas as pd
import streamlit as st

from warehouse.memo import VIEWS, HashedKey, Memo, content_key
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


def once(generation: Generation, build: Callable, *inputs):
    """What a page builds from its queries (cards, display tables, figures), built once per
    (load, inputs) and shared by every rerun and every user of the same scope: `build(query,
    *inputs)`, where `query(name, **params)` is `run` on this generation. The result is shared:
    never modify it (widgets.table copies before masking).

    The key is the load, the inputs and build's code, so build must depend on nothing else: it
    may read modules, functions and classes from its globals, never a page variable (a scope or
    a user read that way would not be in the key). That is checked on each call."""
    _check_reads_no_page_variables(build)
    key = HashedKey((generation.load_id, "once", content_key(build), content_key(inputs)))
    return VIEWS.get_or_make(key, lambda: build(lambda name, **params: run(generation, name, **params), *inputs))


def kept(version: Hashable, build: Callable, *inputs):
    """What a page builds from a source that changes without a new load (the audit table, the
    load history), built once per (version, inputs) and shared: `build(*inputs)`. The version is
    the source's own change marker, read on every rerun (the newest audit id, the history file's
    size and time), so a change shows on the next rerun, never a stale table. With version None
    the inputs are the whole source (a few rows read on every rerun). The same rules as once():
    the result is shared, build reads no page variables."""
    _check_reads_no_page_variables(build)
    key = HashedKey(("kept", content_key(version), content_key(build), content_key(inputs)))
    return VIEWS.get_or_make(key, lambda: build(*inputs))


_DEFINITIONS = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)


def _check_reads_no_page_variables(build: Callable) -> None:
    names = _global_names(build.__code__)
    loose = sorted(n for n in names if n in build.__globals__ and not isinstance(build.__globals__[n], _DEFINITIONS)
                   and not (n.isupper() and isinstance(build.__globals__[n], (str, int, tuple, frozenset, dict))))
    if loose:
        raise TypeError(f"{build.__qualname__} reads page variables {loose}: pass them as inputs of once() or kept()")


@functools.lru_cache(maxsize=256)
def _global_names(code: types.CodeType) -> frozenset[str]:
    """Every global a function's code loads, its comprehensions and lambdas included."""
    names = {ins.argval for ins in dis.get_instructions(code) if ins.opname == "LOAD_GLOBAL"}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return frozenset(names)


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

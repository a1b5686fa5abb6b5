"""The app's read-only warehouse handle, and its cache.

What is cached, process-wide, by the warehouse load it came from (a new load is never answered
with old rows):
- a named query's result, per (load, query, parameters): the scope (towns, sector, project,
  dates) is among the parameters, so one user's towns never answer another's;
- what a page builds from those results (cards, charts, tables), per (load, build, inputs): a
  build is a function of display.views or the warehouse, which read nothing but their inputs,
  never a user. Kept because rebuilding every chart and card on each rerun tripled the server's
  CPU per page open and the 20-session p95 of `make bench` (1.80 → 2.92 s).
Both are shared objects: a result is handed out as a copy-on-write copy; a build's output is
drawn, never changed. Personal columns are masked per user when drawn (widgets.table).
And, per frame object while it lives (per_frame), what a table makes of a frame for the screen.
"""

from __future__ import annotations

import functools
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from display import columns
from warehouse.runner import Generation, Warehouse, named_query

BUILDERS = ("display.", "warehouse.")  # where a cached build may come from: modules without user state


def warehouse_path() -> Path:
    return _resolved(os.getcwd(), os.environ.get("WAREHOUSE_PATH", "data/warehouse.duckdb"))


@functools.lru_cache(maxsize=16)
def _resolved(folder: str, path: str) -> Path:
    """Resolved once per spelling: resolving walks the path on disk, and a run asks several times."""
    return (Path(folder) / path).resolve()


@st.cache_resource
def _warehouse(path: str) -> Warehouse:
    """One per app process (and path); each swap of the file opens a new generation inside it."""
    return Warehouse(path)


def warehouse() -> Warehouse:
    return _warehouse(str(warehouse_path()))


def snapshot() -> Generation:
    """The generation a whole page render reads from (taken once, at the top of the page)."""
    return warehouse().snapshot()


@st.cache_resource(max_entries=512, show_spinner=False)
def _result(load_id: str, name: str, params: tuple, _generation: Generation) -> pd.DataFrame:
    return _generation.run(name, dict(params))


def run(generation: Generation, name: str, **params) -> pd.DataFrame:
    """A named query on this generation, through the cache (a copy-on-write copy: a page may
    change what it gets without touching the cached frame). Only the parameters the query reads
    are in the key, so a page passing its thresholds along still shares the result."""
    return _result(generation.load_id, name, _used(name, params), generation).copy(deep=False)


def _used(name: str, params: dict) -> tuple:
    used = named_query(name).params
    return tuple(sorted((k, v) for k, v in params.items() if k in used))


def result_table(generation: Generation, name: str, **params) -> pd.DataFrame:
    """A named query's result under its Chinese headers, as a table shows it: a build (below),
    so the same frame object on every rerun and the table made of it is prepared once
    (per_frame). Shared: filter or copy it, never change it."""
    return built(generation, columns.chinese_result, name, _used(name, params))


def reader(generation: Generation) -> Callable[..., pd.DataFrame]:
    """`query(name, **params)`: run() bound to one generation."""
    return lambda name, **params: run(generation, name, **params)


BUILDS_KEPT = 256


@st.cache_resource(max_entries=BUILDS_KEPT, show_spinner=False)
def _built(load_id: str, build_name: str, inputs: tuple, _build: Callable, _generation: Generation):
    return _build(reader(_generation), *inputs)


# The builds last handed out, found by their inputs' equality: Streamlit's cache would hash the
# scope and the thresholds value by value again on every call of every rerun.
_recent: OrderedDict[tuple, object] = OrderedDict()
_recent_lock = threading.Lock()


def built(generation: Generation, build: Callable, *inputs):
    """`build(query, *inputs)`, once per (load, build, inputs): what a page shows from its queries.
    Shared by every user with the same inputs, so a build comes from display.views or the
    warehouse, never from a page script, and its output is not modified."""
    name = f"{build.__module__}.{build.__qualname__}"
    if not name.startswith(BUILDERS):
        raise TypeError(f"{name}: a cached build lives in display/ or warehouse/, not in a page")
    key = (generation.load_id, name, inputs, tuple(type(i) for i in inputs))
    try:
        with _recent_lock:
            if key in _recent:
                _recent.move_to_end(key)
                return _recent[key]
    except TypeError:  # an input that cannot be a dict key: Streamlit's cache alone
        return _built(generation.load_id, name, inputs, build, generation)
    value = _built(generation.load_id, name, inputs, build, generation)
    with _recent_lock:
        _recent[key] = value
        if len(_recent) > BUILDS_KEPT:
            _recent.popitem(last=False)
    return value


_prepared: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def per_frame(prepare: Callable[[pd.DataFrame], object], frame: pd.DataFrame):
    """`prepare(frame)`, once for each frame object while that object lives.

    A build's frames (built above) are the same objects on every rerun, in every session, and are
    never changed, so what a table makes of one (its texts, column widths and formats) is made
    once instead of on each rerun; a frame made afresh in a run is prepared afresh. The result is
    shared: read it, never change it."""
    key = (id(frame), f"{prepare.__module__}.{prepare.__qualname__}")
    found = _prepared.get(key)
    if found is not None and found[0]() is frame:
        return found[1]
    value = prepare(frame)
    # Dropped when the frame is freed, before its id can be given to another object.
    _prepared[key] = (weakref.ref(frame, lambda _, key=key: _prepared.pop(key, None)), value)
    return value


def clear_caches() -> None:
    """Everything cached in this process (tests and the benchmark's cold renders)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    _prepared.clear()
    with _recent_lock:
        _recent.clear()


@st.cache_resource(max_entries=16)
def _frozen(path: str) -> Warehouse:
    return Warehouse(path)


def frozen_snapshot(path: Path) -> Generation:
    """A frozen week's warehouse (warehouse.snapshots), read-only like the live one."""
    return _frozen(str(path)).snapshot()

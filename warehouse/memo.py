"""A process-wide memo for what a page rebuilds on every rerun from the same inputs: a figure
from a query's rows, a table made readable for the screen, the 周调度's assembled figures.

A Streamlit page reruns top to bottom on every interaction and every visit; its data comes
from the query cache, but turning those rows into plotly figures and display tables cost
10–30 ms a page (plotly validates every property it is given). Those results depend only on
their arguments, so they are kept here, keyed by the arguments' *content*: two calls with
equal rows, equal options and the same formatter get the same object back. Nothing is keyed by
who asks: results are built from the query rows every user of the process already shares, and
personal columns are masked per user after the memo (ui.widgets.table).

Returned objects are shared: callers must not modify them (take `frame.copy(deep=False)` first;
with pandas' copy-on-write that copies nothing until a column is written).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Callable, Hashable

import pandas as pd
import pyarrow as pa

MAX_KEY_ROWS = 20_000   # a bigger frame is not worth keying by content: the call goes through
_SCALARS = (str, int, float, bool, Decimal, dt.date, dt.datetime, dt.time, bytes, type(None))


class Uncacheable(Exception):
    """An argument has no content key (an open connection, a big frame): call through."""


def content_key(value) -> Hashable:
    """A hashable stand-in for value that is equal exactly when the content is equal."""
    if isinstance(value, _SCALARS):
        return (type(value).__name__, value)
    if (memo_key := getattr(value, "memo_key", None)) is not None:
        return ("memo_key", type(value).__qualname__, memo_key)   # an object that says what it was built from
    if isinstance(value, pd.DataFrame):
        if len(value) > MAX_KEY_ROWS:
            raise Uncacheable("frame too big to key")
        return ("frame", tuple(value.columns), tuple(map(str, value.dtypes)),
                tuple(value.index) if not isinstance(value.index, pd.RangeIndex) else ("range", len(value)),
                _cells(value))
    if isinstance(value, pd.Series):
        return ("series", value.name, str(value.dtype), content_key(value.to_frame()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(content_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((content_key(k), content_key(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(content_key(v) for v in value))
    if callable(value) and hasattr(value, "__code__"):
        # A function is its code plus what it closes over: a lambda written in a page script is
        # the same key on every rerun (equal code objects compare equal), different captures differ.
        cells = tuple(content_key(c.cell_contents) for c in value.__closure__ or ())
        return ("function", value.__module__, value.__code__, cells,
                content_key(value.__defaults__ or ()))
    if isinstance(value, functools.partial):
        return ("partial", content_key(value.func), content_key(value.args), content_key(value.keywords))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__,
                tuple((f.name, content_key(getattr(value, f.name))) for f in dataclasses.fields(value)))
    if isinstance(value, Hashable) and type(value).__hash__ is not object.__hash__:
        return (type(value).__qualname__, value)   # e.g. enums, numpy scalars
    raise Uncacheable(f"no content key for {type(value).__qualname__}")


def _cells(frame: pd.DataFrame) -> tuple:
    """Every cell, row by row, as Python objects in one pass; missing ones (None, NaN, NA, NaT)
    all as None, since NaN != NaN would never match itself. Cells compare as values (with the
    column dtypes beside them in the key): Decimal("1.0") and Decimal("1.00") are one key.
    Cells that cannot be hashed (lists) make the key fail later, in `memoized`."""
    values = frame.to_numpy(dtype=object)
    missing = pd.isna(values)
    if missing.any():
        values[missing] = None
    return tuple(values.ravel().tolist())


def cells(value) -> int:
    """A result's rough size, in frame cells: what the memos budget (a figure or a scalar counts
    as a small frame)."""
    if isinstance(value, pd.DataFrame):
        return value.shape[0] * max(1, value.shape[1])
    if isinstance(value, pd.Series):
        return len(value)
    if isinstance(value, pa.Table):
        return value.num_rows * max(1, value.num_columns)
    if isinstance(value, (tuple, list)):
        return sum(cells(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(cells(getattr(value, f.name)) for f in dataclasses.fields(value))
    return 1_000


class HashedKey:
    """A key with its hash taken once. A content key can hold a frame's every cell, and a tuple
    does not keep its hash: each dict lookup, move and store would hash it all again."""
    __slots__ = ("key", "hash")

    def __init__(self, key: Hashable):
        self.key, self.hash = key, hash(key)   # TypeError for an unhashable cell, here

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other) -> bool:
        return isinstance(other, HashedKey) and self.hash == other.hash and self.key == other.key


class Memo:
    """A bounded, thread-safe LRU of results by key (shared by every session of the process).
    Bounded twice: by entries, and by the cells of the frames it holds (a result bigger than
    the whole budget is returned but not kept), so a server that has drilled into many big
    tables does not keep them all."""

    def __init__(self, max_entries: int, max_cells: int):
        self.max_entries, self.max_cells = max_entries, max_cells
        self._entries: OrderedDict = OrderedDict()   # key → (value, cells)
        self._cells = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], object]):
        key = key if isinstance(key, HashedKey) else HashedKey(key)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[0]
        value = make()   # outside the lock: two sessions may build the same value once each
        size = cells(value)
        with self._lock:
            self.misses += 1
            if size > self.max_cells:
                return value
            if (old := self._entries.pop(key, None)) is not None:
                self._cells -= old[1]
            self._entries[key] = (value, size)
            self._cells += size
            while len(self._entries) > self.max_entries or self._cells > self.max_cells:
                self._cells -= self._entries.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._cells = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_in_cells(self) -> int:
        return self._cells


# Figures and display tables: 4M cells is a few hundred MB at most (Python objects in frames).
VIEWS = Memo(max_entries=512, max_cells=4_000_000)


def memoized(memo: Memo = VIEWS):
    """Decorator: the function's result, kept in memo by its arguments' content."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                key = HashedKey((fn.__module__, fn.__qualname__, content_key(args), content_key(kwargs)))
            except (Uncacheable, TypeError):   # TypeError: an unhashable cell inside a frame
                return fn(*args, **kwargs)
            return memo.get_or_make(key, lambda: fn(*args, **kwargs))
        wrapper.uncached = fn
        return wrapper
    return decorate

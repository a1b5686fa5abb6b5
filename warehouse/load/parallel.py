"""Independent DuckDB statements two at a time: each on a cursor of its own (a connection of
its own to the same database), which DuckDB runs concurrently, outside Python's GIL. A small
table's statement is mostly fixed cost (parsing, binding, planning) that a second core hides; a
big one still uses DuckDB's own threads."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import duckdb

WORKERS = 2
Item = TypeVar("Item")
Result = TypeVar("Result")


def on_own_cursor(con: duckdb.DuckDBPyConnection, work: Callable[..., Result], *args) -> Result:
    """work(cursor, *args) on a cursor of its own, closed afterwards."""
    with con.cursor() as cursor:
        return work(cursor, *args)


def each_on_own_cursor(
    con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection, Item], Result], items: Iterable[Item]
) -> list[Result]:
    """work(cursor, item) for every item, two at a time; the results in the items' order."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda item: on_own_cursor(con, work, item), items))

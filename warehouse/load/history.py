"""The load history: every load, good or refused, with its files, hashes, counts and warnings.

It lives in an append-only JSON-lines file beside the warehouse (so it outlives every swap),
and each new warehouse carries a copy in meta tables, so the app reads it with the data.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

MAX_WARNINGS_KEPT = 500


def history_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.stem + ".loads.jsonl")


def version(warehouse: Path) -> tuple | None:
    """The history's change marker: the file, its size and modification time (it is only ever
    appended to, so each load changes its size). None while there is no history."""
    path = history_path(warehouse)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return str(path), stat.st_size, stat.st_mtime_ns


def read(warehouse: Path) -> list[dict]:
    path = history_path(warehouse)
    if not path.exists():
        return []
    return [entry for line in path.read_bytes().split(b"\n") if (entry := _parsed(line))]


READ_BLOCK = 1 << 16


def newest_first(warehouse: Path) -> Iterator[dict]:
    """The entries newest first, read from the end of the file a block at a time: a page that
    shows the latest few parses those, not every load since the first (an entry keeps up to
    500 issues: a year of weekly loads is megabytes)."""
    try:
        file = history_path(warehouse).open("rb")
    except FileNotFoundError:
        return
    with file:
        end = file.seek(0, os.SEEK_END)
        cut = b""  # the start of a line whose beginning is in the block before
        while end > 0:
            start = max(0, end - READ_BLOCK)
            file.seek(start)
            lines = (file.read(end - start) + cut).split(b"\n")
            cut = lines.pop(0) if start > 0 else b""
            end = start
            for line in reversed(lines):
                if entry := _parsed(line):
                    yield entry


def _parsed(line: bytes) -> dict | None:
    try:
        return json.loads(line) if line.strip() else None
    except json.JSONDecodeError:
        return None  # a line cut short by a killed writer is skipped, not fatal


def entry(result, loaded_at: dt.datetime) -> dict:
    return {
        "load_id": result.load_id,
        "loaded_at": loaded_at.isoformat(sep=" ", timespec="seconds"),
        "kind": result.kind,
        "actor": result.actor,
        "status": "成功" if result.ok else "失败",
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "seconds": round(result.seconds, 2),
        "files": result.files,
        "ledger_rows": result.ledger_rows,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "issues": [i.as_dict() for i in result.issues[:MAX_WARNINGS_KEPT]],
    }


def append(warehouse: Path, result, loaded_at: dt.datetime) -> None:
    line = json.dumps(entry(result, loaded_at), ensure_ascii=False, default=str) + "\n"
    fd = os.open(history_path(warehouse), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def write_tables(con, result, loaded_at: str) -> None:
    """meta.load_history (earlier loads plus this one), meta.load_files, meta.load_warnings."""
    past = [e for e in read(result.warehouse)]
    this = entry(result, dt.datetime.fromisoformat(loaded_at))
    this["status"] = "成功"
    rows = [
        (
            seq,
            e["load_id"],
            e["loaded_at"],
            e["status"],
            e.get("as_of"),
            len(e.get("files", [])),
            sum((e.get("ledger_rows") or {}).values()),
            e.get("errors", 0),
            e.get("warnings", 0),
        )
        for seq, e in enumerate(past + [this], start=1)
    ]
    con.execute("""CREATE TABLE meta.load_history (seq INTEGER, load_id VARCHAR, loaded_at TIMESTAMP, status VARCHAR,
                   as_of DATE, files INTEGER, rows BIGINT, errors INTEGER, warnings INTEGER)""")
    _insert(con, "meta.load_history", rows)
    con.execute("""CREATE TABLE meta.load_files (file VARCHAR, sha256 VARCHAR, bytes BIGINT,
                   ledgers VARCHAR, rows BIGINT)""")
    _insert(
        con,
        "meta.load_files",
        [(f["name"], f["sha256"], f["bytes"], "、".join(sorted(set(f["ledgers"]))), f["rows"]) for f in result.files],
    )
    con.execute("""CREATE TABLE meta.load_warnings (file VARCHAR, sheet VARCHAR, row_number BIGINT,
                   column_name VARCHAR, value VARCHAR, reason VARCHAR)""")
    _insert(con, "meta.load_warnings", [(i.file, i.sheet, i.row, i.column, i.value, i.reason) for i in result.warnings])
    con.execute("CREATE TABLE meta.ledger_rows (ledger VARCHAR, rows BIGINT)")
    _insert(con, "meta.ledger_rows", list(result.ledger_rows.items()))


def _insert(con, table: str, rows: list[tuple]) -> None:
    if rows:  # DuckDB's executemany refuses an empty list
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

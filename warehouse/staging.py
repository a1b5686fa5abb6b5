"""Staging: every recognised sheet's data rows into one text table per ledger.

Rows are streamed in chunks through Arrow, so a ledger of millions of rows never sits in
Python lists whole. Each staged row keeps where it came from (piece, row as the clerk sees
it), so any error found later in SQL can name file, sheet, row and the column's own spelling.
"""
from __future__ import annotations

import duckdb
import pyarrow as pa

from warehouse.contract import LEDGERS, TOTALS_WORDS, Ledger
from warehouse.readers import Piece

CHUNK_ROWS = 50_000


def create_stage_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS stage")
    con.execute("""
        CREATE TABLE stage.pieces (
            piece INTEGER, ledger VARCHAR, file VARCHAR, sheet VARCHAR, header_row INTEGER,
            spelled MAP(VARCHAR, VARCHAR), rows_loaded BIGINT, totals_dropped INTEGER)
    """)
    for ledger in LEDGERS:
        columns = ["_piece INTEGER", "_row BIGINT"]
        for col in ledger.columns:
            columns.append(f'"r_{col.name}" VARCHAR')
            if col.money:
                columns.append(f'"wan_{col.name}" BOOLEAN')
        con.execute(f"CREATE TABLE stage.{ledger.name} ({', '.join(columns)})")


def _is_totals_row(cells: list[str | None], key_positions: list[int]) -> bool:
    """A 合计/总计/小计 row: its key cell, or its first filled cell, reads so."""
    for position in key_positions:
        if position < len(cells) and cells[position] in TOTALS_WORDS:
            return True
    first = next((c for c in cells if c is not None), None)
    return first is not None and first.replace(" ", "") in TOTALS_WORDS


def stage_piece(con: duckdb.DuckDBPyConnection, piece_id: int, piece: Piece) -> int:
    """Append one piece's data rows to its ledger's stage table; return the rows staged."""
    ledger: Ledger = piece.header.ledger
    positions = piece.header.positions
    key_positions = [positions[k] for k in ledger.key if k in positions]
    names = [c.name for c in ledger.columns]
    money = [c.name for c in ledger.columns if c.money]
    staged = totals = 0
    buffer: dict[str, list] = {name: [] for name in names}
    rows_of_buffer: list[int] = []

    def flush() -> None:
        if not rows_of_buffer:
            return
        n = len(rows_of_buffer)
        arrays = {"_piece": pa.array([piece_id] * n, pa.int32()),
                  "_row": pa.array(rows_of_buffer, pa.int64())}
        for name in names:
            arrays[f"r_{name}"] = pa.array(buffer[name], pa.string())
            buffer[name] = []
        for name in money:
            arrays[f"wan_{name}"] = pa.array([name in piece.header.in_wan] * n, pa.bool_())
        chunk = pa.table(arrays)  # noqa: F841 (read by DuckDB by name)
        con.execute(f"INSERT INTO stage.{ledger.name} BY NAME SELECT * FROM chunk")
        rows_of_buffer.clear()

    for number, cells in piece.sheet.open_rows():
        if number <= piece.header_row or not any(c is not None for c in cells):
            continue
        if _is_totals_row(cells, key_positions):
            totals += 1
            continue
        for name in names:
            position = positions.get(name)
            buffer[name].append(cells[position] if position is not None and position < len(cells) else None)
        rows_of_buffer.append(number)
        staged += 1
        if len(rows_of_buffer) >= CHUNK_ROWS:
            flush()
    flush()
    con.execute(
        "INSERT INTO stage.pieces VALUES ($piece, $ledger, $file, $sheet, $header_row, "
        "MAP($spelled_keys, $spelled_values), $rows, $totals)",
        {"piece": piece_id, "ledger": ledger.name, "file": piece.sheet.file.name,
         "sheet": piece.sheet.name, "header_row": piece.header_row,
         "spelled_keys": list(piece.header.spelled), "spelled_values": list(piece.header.spelled.values()),
         "rows": staged, "totals": totals})
    return staged

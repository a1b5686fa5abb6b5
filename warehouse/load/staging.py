"""Staging: every recognised sheet's data rows into one text table per ledger.

Rows are streamed in chunks (NumPy arrays DuckDB scans directly: unlike Arrow's, building them
does not import pandas, a fifth of a demo load), so a ledger of millions of rows never sits in
Python lists whole, and columns are picked with C-level itemgetter/zip rather than cell by
cell. Each staged row keeps where it came from (piece, row as the clerk sees it), so any
error found later in SQL can name file, sheet, row and the column's own spelling.
"""

from __future__ import annotations

from operator import itemgetter

import duckdb
import numpy as np

from warehouse.contract import LEDGERS, TOTALS_WORDS
from warehouse.load.phases import STAGE, Phases
from warehouse.load.sources import Piece
from warehouse.load.staging_csv import has_duckdb_reader, stage_csv_piece, trimmed

CHUNK_ROWS = 100_000
# Trimmed like the clerk's eye trims: spaces, tabs, line breaks and the full-width space.
_BLANKS = " \t\r\n\u3000"


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


def _is_blank(cells: list) -> bool:
    return not any(c and c.strip(_BLANKS) for c in cells)


def _is_totals_row(cells: list, key_positions: list[int]) -> bool:
    """A 合计/总计/小计 row: its key cell, or its first filled cell, reads so."""
    for position in key_positions:
        if position < len(cells) and cells[position] and cells[position].strip(_BLANKS) in TOTALS_WORDS:
            return True
    first = next((c for c in cells if c and c.strip(_BLANKS)), None)
    return first is not None and first.replace(" ", "").strip(_BLANKS) in TOTALS_WORDS


def stage_columns(piece: Piece, source) -> tuple[str, dict]:
    """SELECT list of a ledger's stage columns, and the values it binds (whether each money
    column is in 万元); source(name) is SQL for the column's trimmed cell."""
    ledger = piece.header.ledger
    parts, params = [], {}
    for col in ledger.columns:
        if col.name in piece.header.positions:
            parts.append(f'{source(col.name)} AS "r_{col.name}"')
        else:
            parts.append(f'NULL AS "r_{col.name}"')
        if col.money:
            parts.append(f'$wan_{col.name}::BOOLEAN AS "wan_{col.name}"')
            params[f"wan_{col.name}"] = col.name in piece.header.in_wan
    return ", ".join(parts), params


def stage_piece(con: duckdb.DuckDBPyConnection, piece_id: int, piece: Piece, phases: Phases | None = None) -> int:
    """Append one piece's data rows to its ledger's stage table; return the rows staged."""
    phases = phases or Phases()
    if has_duckdb_reader(piece):
        positions = piece.header.positions
        staged, totals = stage_csv_piece(
            con, piece_id, piece, *stage_columns(piece, lambda name: f"t{positions[name]}"), phases
        )
    else:
        with phases.timed(STAGE):
            staged, totals = _stage_rows(con, piece_id, piece)
    _record_piece(con, piece_id, piece, staged, totals)
    return staged


def _stage_rows(con: duckdb.DuckDBPyConnection, piece_id: int, piece: Piece) -> tuple[int, int]:
    """The general path: rows from Python (Excel sheets, CSVs with blank lines)."""
    ledger = piece.header.ledger
    present = [c.name for c in ledger.columns if c.name in piece.header.positions]
    positions = [piece.header.positions[name] for name in present]
    width = max(positions) + 1
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda row: (row[positions[0]],))
    key_positions = [piece.header.positions[k] for k in ledger.key if k in piece.header.positions]
    select, params = stage_columns(piece, lambda name: trimmed(f'"r_{name}"'))
    staged = totals = 0
    rows: list[list] = []
    numbers: list[int] = []

    def flush() -> None:
        if not rows:
            return
        columns = list(zip(*map(pick, rows)))
        chunk = {
            "_piece": np.full(len(rows), piece_id, dtype=np.int32),  # DuckDB reads it by name
            "_row": np.array(numbers, dtype=np.int64),
        }
        for name, values in zip(present, columns):
            column = np.empty(len(values), dtype=object)  # texts and None, as they are
            column[:] = values
            chunk[f"r_{name}"] = column
        con.execute(f"INSERT INTO stage.{ledger.name} BY NAME SELECT _piece, _row, {select} FROM chunk", params)
        rows.clear()
        numbers.clear()

    for number, cells in piece.sheet.open_rows():
        if number <= piece.header_row or _is_blank(cells):
            continue
        if _is_totals_row(cells, key_positions):
            totals += 1
            continue
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        rows.append(cells)
        numbers.append(number)
        staged += 1
        if len(rows) >= CHUNK_ROWS:
            flush()
    flush()
    return staged, totals


def _record_piece(con, piece_id: int, piece: Piece, staged: int, totals: int) -> None:
    ledger = piece.header.ledger
    con.execute(
        "INSERT INTO stage.pieces VALUES ($piece, $ledger, $file, $sheet, $header_row, "
        "MAP($spelled_keys, $spelled_values), $rows, $totals)",
        {
            "piece": piece_id,
            "ledger": ledger.name,
            "file": piece.sheet.file.name,
            "sheet": piece.sheet.name,
            "header_row": piece.header_row,
            "spelled_keys": list(piece.header.spelled),
            "spelled_values": list(piece.header.spelled.values()),
            "rows": staged,
            "totals": totals,
        },
    )

"""Staging: every recognised sheet's data rows into one typed table per ledger, each cell's
text beside its typed value.

A CSV is read by DuckDB itself (staging_csv); a workbook sheet's cells come from Python in
chunks of rows, column by column, as NumPy arrays DuckDB scans directly (unlike Arrow's, they
do not make DuckDB import pandas, a fifth of a demo load), so a ledger of millions of rows
never sits in Python lists whole. Both then go through the same SQL (staging_sql). Each
staged row keeps where it came from (piece, row as the clerk sees it), so any error found
later in SQL can name file, sheet, row and the column's own spelling.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

import duckdb
import numpy as np

from warehouse.contract import LEDGERS
from warehouse.load.phases import STAGE, Phases
from warehouse.load.sources import Columns, Piece
from warehouse.load.staging_csv import has_duckdb_reader, stage_csv_piece
from warehouse.load.staging_sql import scratch_into_stage
from warehouse.load.typing_sql import typed_table_columns
from warehouse.load.xlsx_arrow import table_chunk

CHUNK_ROWS = 100_000


def create_stage_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS stage")
    con.execute("""
        CREATE TABLE stage.pieces (
            piece INTEGER, ledger VARCHAR, file VARCHAR, sheet VARCHAR, header_row INTEGER,
            spelled MAP(VARCHAR, VARCHAR), rows_loaded BIGINT, totals_dropped INTEGER)
    """)
    con.execute("CREATE SCHEMA IF NOT EXISTS typed")
    for ledger in LEDGERS:
        con.execute(f"CREATE TABLE typed.{ledger.name} ({', '.join(typed_table_columns(ledger))})")


def stage_piece(con: duckdb.DuckDBPyConnection, piece_id: int, piece: Piece, phases: Phases) -> int:
    """Append one piece's data rows to its ledger's typed table; return the rows staged."""
    if has_duckdb_reader(piece):
        staged, totals = stage_csv_piece(con, piece_id, piece, phases)
    else:
        with phases.timed(STAGE):
            staged, totals = _stage_cells(con, piece_id, piece)
    _record_piece(con, piece_id, piece, staged, totals)
    return staged


def _stage_cells(con: duckdb.DuckDBPyConnection, piece_id: int, piece: Piece) -> tuple[int, int]:
    """The general path, for workbook sheets and CSVs with blank lines: cells from Python, a
    chunk of rows at a time, into a scratch table, then the same SQL as DuckDB's CSV path."""
    needed = max(piece.header.positions.values()) + 1
    staged = totals = 0
    for numbers, columns in _column_chunks(piece.sheet):
        width = max(needed, len(columns))  # short CSV rows are padded
        if columns and not isinstance(columns[0], list):  # an .xlsx sheet read into Arrow (xlsx_arrow)
            chunk = table_chunk(numbers, columns, width)
        else:
            columns += [[None] * len(numbers)] * (width - len(columns))
            chunk = {"_row": np.asarray(numbers, dtype=np.int64)}  # DuckDB reads it by name
            for i, values in enumerate(columns):
                chunk[f"c{i}"] = column = np.empty(len(values), dtype=object)  # texts and None, as they are
                column[:] = values
        con.execute("CREATE OR REPLACE TEMP TABLE sheet_cells AS SELECT * FROM chunk")
        rows, dropped = scratch_into_stage(
            con, "sheet_cells", "_row", width, piece_id, piece, trimmed_already=piece.sheet.csv is None
        )
        staged, totals = staged + rows, totals + dropped
    return staged, totals


def _column_chunks(sheet) -> Iterator[Columns]:
    if sheet.open_columns is not None:
        yield from sheet.open_columns(CHUNK_ROWS)
        return
    rows = sheet.open_rows()
    while block := list(islice(rows, CHUNK_ROWS)):
        width = max(len(cells) for _, cells in block)
        padded = [cells + [None] * (width - len(cells)) for _, cells in block]
        yield [number for number, _ in block], [list(column) for column in zip(*padded)]


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

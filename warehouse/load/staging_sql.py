"""The SQL both staging paths share: a piece's cells, read as they are into a scratch table
(DuckDB's CSV reader, or chunks of cells from Python), go to its ledger's typed table trimmed
and typed, with blank and totals rows dropped — one set of rules for CSVs and workbooks alike."""

from __future__ import annotations

import duckdb

from warehouse.contract import TOTALS_WORDS
from warehouse.load.sources import Piece
from warehouse.load.typing_sql import typed_columns

# Spaces, tab, line breaks and the full-width space, spelled with chr(): SQL strings have no escapes.
BLANKS_SQL = "(' ' || chr(9) || chr(10) || chr(13) || chr(12288))"


def trimmed(cell: str) -> str:
    """SQL: the cell trimmed, NULL when blank. Plain trim() is 2× faster than trim with a
    character set, so the set is used only on cells holding one of its rarer characters."""
    rare = " OR ".join(f"contains({cell}, chr({code}))" for code in (9, 10, 13, 12288))
    return f"nullif(CASE WHEN {rare} THEN trim({cell}, {BLANKS_SQL}) ELSE trim({cell}) END, '')"


def stage_columns(piece: Piece) -> tuple[str, dict]:
    """SELECT list of a piece's cell texts r_<name>, read from the trimmed cells t0…tN, and the
    values it binds (whether each money column is in 万元)."""
    ledger = piece.header.ledger
    parts, params = [], {}
    for col in ledger.columns:
        if col.name in piece.header.positions:
            parts.append(f't{piece.header.positions[col.name]} AS "r_{col.name}"')
        else:
            parts.append(f'NULL AS "r_{col.name}"')
        if col.money:
            parts.append(f'$wan_{col.name}::BOOLEAN AS "wan_{col.name}"')
            params[f"wan_{col.name}"] = col.name in piece.header.in_wan
    return ", ".join(parts), params


def scratch_into_stage(
    con: duckdb.DuckDBPyConnection,
    scratch: str,
    row_number: str,
    width: int,
    piece_id: int,
    piece: Piece,
    *,
    trimmed_already: bool = False,
) -> tuple[int, int]:
    """A piece's cells, read as they are into the temp table `scratch` (text columns c0…cN;
    `row_number` is SQL for the row as the clerk sees it), into its ledger's typed table:
    trimmed, blank and totals rows dropped, each cell's text beside its typed value.
    trimmed_already: the cells are trimmed and blank ones NULL (a workbook's, by
    workbooks.column_texts or xlsx_arrow.texts): trimming again, a third of the cost, is skipped.
    Returns (rows, totals); `scratch` is dropped."""
    cells = ", ".join(f"{f'c{i}' if trimmed_already else trimmed(f'c{i}')} AS t{i}" for i in range(width))
    first_filled = f"replace(coalesce({', '.join(f't{i}' for i in range(width))}), ' ', '')"
    key_cells = [f"t{piece.header.positions[k]}" for k in piece.header.ledger.key if k in piece.header.positions]
    is_totals = " OR ".join(f"list_contains($totals, {c})" for c in key_cells + ["_first"])
    ledger = piece.header.ledger
    select_columns, select_params = stage_columns(piece)
    # One pass: trimmed, typed and appended. Totals rows are rare: they go in flagged and
    # are counted and taken out again, rather than every row being kept twice to count them.
    inserted = con.execute(
        f"""INSERT INTO typed.{ledger.name} BY NAME SELECT *, {typed_columns(ledger)} FROM (
                SELECT $piece AS _piece, _row, {select_columns}, coalesce({is_totals}, false) AS _is_totals FROM (
                    SELECT *, {first_filled} AS _first FROM (
                        SELECT {row_number} AS _row, {cells} FROM {scratch} WHERE {row_number} > $header_row))
                WHERE _first IS NOT NULL)""",
        {"header_row": piece.header_row, "totals": sorted(TOTALS_WORDS), "piece": piece_id, **select_params},
    ).fetchone()[0]
    totals = con.execute(  # DuckDB's DELETE answers with the rows it deleted
        f"DELETE FROM typed.{ledger.name} WHERE _piece = $piece AND _is_totals", {"piece": piece_id}
    ).fetchone()[0]
    con.execute(f"DROP TABLE {scratch}")
    return inserted - totals, totals

"""The formats floor: the export files read as they are into DuckDB, with no check at all.

    python -m bench.floor_formats EXPORTS_DIR DB_PATH

Beside the CSV floor (bench.floor_load: plain UTF-8 CSVs of the loaded rows) it prices the input
formats alone: each CSV through DuckDB's read_csv (all text, no header), a GBK/GB18030 one first
streamed into a temporary UTF-8 copy by the loader's own utf8_copy; each workbook sheet as the
loader reads it: a big .xlsx sheet (xlsx_arrow.big_sheets) through fastexcel into Arrow by the
loader's own xlsx_arrow.sheet_texts, any other through python-calamine, its cells made text by
the loader's own column_texts a chunk of rows at a time and handed to DuckDB column by column as
NumPy object arrays. One table per file or sheet, one file after another, then a checkpoint.
Nothing is recognised, typed, validated or swapped: what a load costs beyond this is its checks.
Run in a fresh process (bench.measure).
"""

from __future__ import annotations

import codecs
import sys
import zipfile
from itertools import islice
from pathlib import Path

import duckdb
import numpy as np
import python_calamine

from warehouse.load import xlsx_arrow
from warehouse.load.sources import CsvText
from warehouse.load.staging import CHUNK_ROWS
from warehouse.load.staging_csv import utf8_copy
from warehouse.load.workbooks import WORKBOOK_SUFFIXES, column_texts

SNIFF_BYTES = 1 << 22  # the first block tells UTF-8 from GBK: a floor checks no further


def _encoding(path: Path) -> str:
    """UTF-8 when the first block decodes as UTF-8, else GB18030 (a superset of GBK)."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)  # not final: a block may end mid-character
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _table(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def csv_into(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    with utf8_copy(CsvText(path, _encoding(path), ",")) as utf8:
        con.execute(
            f"CREATE TABLE {_table(path.name)} AS SELECT * FROM read_csv($path, header = false, "
            "all_varchar = true, null_padding = true, strict_mode = false)",
            {"path": str(utf8)},
        )


def workbook_into(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    big = set()
    if path.suffix.lower() == ".xlsx":
        with zipfile.ZipFile(path) as z:
            big = xlsx_arrow.big_sheets(z)
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        if name in big:
            import pyarrow as pa  # only here, as in the loader: a 1x floor does not import it

            cells = xlsx_arrow.sheet_texts(path, name)
            chunk = pa.Table.from_arrays(cells, names=[f"c{i}" for i in range(len(cells))])  # DuckDB reads it by name
            con.execute(f"CREATE TABLE {_table(f'{path.name}[{name}]')} AS SELECT * FROM chunk")
            continue
        rows = workbook.get_sheet_by_name(name).iter_rows()
        verb = f"CREATE TABLE {_table(f'{path.name}[{name}]')} AS"
        while block := list(islice(rows, CHUNK_ROWS)):
            chunk = {}  # DuckDB reads it by name
            for i, values in enumerate(zip(*block)):
                chunk[f"c{i}"] = column = np.empty(len(values), dtype=object)
                column[:] = column_texts(values)
            con.execute(f"{verb} SELECT * FROM chunk")
            verb = f"INSERT INTO {_table(f'{path.name}[{name}]')}"


def main(argv: list[str]) -> int:
    exports, db_path = Path(argv[0]), Path(argv[1])
    db_path.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    for path in sorted(exports.iterdir()):
        if path.suffix.lower() == ".csv":
            csv_into(con, path)
        elif path.suffix.lower() in WORKBOOK_SUFFIXES:
            workbook_into(con, path)
    con.execute("CHECKPOINT")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

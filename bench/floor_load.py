"""The load floor: DuckDB's own bulk ingest of plain CSVs into a new database file.

    python -m bench.floor_load CSV_DIR DB_PATH

One `CREATE TABLE <ledger> AS SELECT * FROM read_csv(...)` per CSV file, then a checkpoint:
no validation, no typing rules, no build-then-swap. Run in a fresh process (bench.measure).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def main(argv: list[str]) -> int:
    csv_dir, db_path = Path(argv[0]), Path(argv[1])
    db_path.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    for csv in sorted(csv_dir.glob("*.csv")):
        con.execute(f'CREATE TABLE "{csv.stem}" AS SELECT * FROM read_csv($path, header = true)', {"path": str(csv)})
    con.execute("CHECKPOINT")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

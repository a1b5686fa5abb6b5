"""Loads: demo exports at each scale, `python -m warehouse load` timed with its peak RSS and its
seconds per phase, and two floors, each in a fresh process: DuckDB's own CSV ingest of the same
rows (bench.floor_load), and the export files read as they are with no check (bench.floor_formats).

Demo exports are kept under OUT/exports/scale-N and reused when their stamp (scale, seed and a
hash of the demo generator's source) matches: scale 100 takes about a minute to write.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from warehouse.contract import LEDGERS
from warehouse.load import phases

ROOT = Path(__file__).resolve().parent.parent
SEED = 2025
STAMP = "bench-stamp.json"
# The phases from the two-thread stretch's wall time on follow one another; the ones before it
# overlap within that stretch (warehouse.load.phases).
SEQUENTIAL = phases.ORDER[phases.ORDER.index(phases.READ_AND_STAGE_WALL) :]
OUTSIDE = "outside every phase (connect, counts, record)"
OWN_TOTAL = "total (the loader's own clock)"
WALL_TOTAL = "wall time of the process (with start-up)"


@dataclass
class LoadRow:
    scale: int
    rows: dict[str, int] = field(default_factory=dict)  # ledger -> rows loaded
    demo_seconds: float | None = None  # None: the exports were reused
    load_seconds: list[float] = field(default_factory=list)
    load_peak_rss_mb: float = 0.0
    floor_seconds: list[float] = field(default_factory=list)
    floor_peak_rss_mb: float = 0.0
    formats_seconds: list[float] = field(default_factory=list)
    formats_peak_rss_mb: float = 0.0
    # Per load run: the loader's seconds per phase (warehouse.load.phases) and its own total.
    load_phases: list[dict[str, float]] = field(default_factory=list)
    load_own_seconds: list[float] = field(default_factory=list)
    warehouse: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def load_median(self) -> float:
        return statistics.median(self.load_seconds)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor_seconds)

    @property
    def formats_median(self) -> float:
        return statistics.median(self.formats_seconds)

    @property
    def ratio(self) -> float:
        return self.load_median / self.floor_median

    @property
    def formats_ratio(self) -> float:
        return self.load_median / self.formats_median

    @property
    def median_run(self) -> int:
        """The run whose time is the median (the lower of the middle two for an even count)."""
        order = sorted(range(len(self.load_seconds)), key=self.load_seconds.__getitem__)
        return order[(len(order) - 1) // 2]

    @property
    def phases(self) -> dict[str, float]:
        """The median run's seconds per phase; the rest of the loader's own total; that total;
        and the wall time of its process (start-up and imports included)."""
        run = self.median_run
        seconds, own = self.load_phases[run], self.load_own_seconds[run]
        outside = own - sum(seconds.get(p, 0.0) for p in SEQUENTIAL)
        return seconds | {OUTSIDE: outside, OWN_TOTAL: own, WALL_TOTAL: self.load_seconds[run]}

    def as_json(self) -> dict:
        return {
            **asdict(self),
            "total_rows": self.total_rows,
            "load_median_s": self.load_median,
            "floor_median_s": self.floor_median,
            "formats_median_s": self.formats_median,
            "load_over_floor": self.ratio,
            "load_over_formats_floor": self.formats_ratio,
            "phases": self.phases,
        }


def generator_version() -> str:
    """A hash of the code that writes the demo exports: a change means the exports are rebuilt."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "warehouse" / "demo").glob("*.py")) + [ROOT / "warehouse" / "contract.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def demo_exports(work: Path, scale: int, log=print) -> tuple[Path, float | None]:
    """The demo exports at `scale`, written unless a matching set is already there; (dir, seconds)."""
    folder = work / "exports" / f"scale-{scale}"
    wanted = {"scale": scale, "seed": SEED, "generator": generator_version()}
    stamp = folder / STAMP
    if stamp.is_file():
        try:
            if json.loads(stamp.read_text()) == wanted:
                log(f"  scale {scale}: reusing demo exports in {folder} (same scale, seed and generator code)")
                return folder, None
        except ValueError:
            pass
    shutil.rmtree(folder, ignore_errors=True)
    log(f"  scale {scale}: writing demo exports to {folder} …")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "warehouse", "demo", str(folder), "--scale", str(scale), "--seed", str(SEED)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps(wanted))  # written last: a killed run leaves no stamp
    return folder, seconds


def measured(command: list[str]) -> dict:
    """Wall time and peak RSS of `command`, run as the only child of a fresh wrapper process."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.measure", "--", *command], cwd=ROOT, check=True, capture_output=True, text=True
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result['returncode']}):\n{completed.stderr[-3000:]}")
    return result


def load_once(exports: Path, warehouse: Path, report: Path) -> tuple[dict, dict]:
    """`python -m warehouse load` into a fresh folder (no earlier versions kept beside it): its
    measure and its JSON report (seconds per phase)."""
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    warehouse.parent.mkdir(parents=True)
    report.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "warehouse", "load", str(exports), "--warehouse", str(warehouse)]
    result = measured([*command, "--report-json", str(report)])
    return result, json.loads(report.read_text(encoding="utf-8"))


def export_plain_csv(warehouse: Path, folder: Path) -> dict[str, int]:
    """Each ledger's loaded rows as one plain UTF-8 comma CSV with a header (untimed); row counts."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counts = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for ledger in LEDGERS:
            columns = ", ".join(f'"{c.name}"' for c in ledger.columns)
            target = folder / f"{ledger.name}.csv"
            con.execute(f"COPY (SELECT {columns} FROM raw.{ledger.name}) TO '{target}' (HEADER, DELIMITER ',')")
            counts[ledger.name] = con.execute(f"SELECT count(*) FROM raw.{ledger.name}").fetchone()[0]
    return counts


def floor_once(module: str, source: Path, db_path: Path) -> dict:
    """A floor (bench.floor_load or bench.floor_formats) from `source` into a new DB file."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    result = measured([sys.executable, "-m", module, str(source), str(db_path)])
    db_path.unlink(missing_ok=True)
    return result


def runs_at(scale: int, repeats: int) -> int:
    """Loads (each with both floors) at a scale: `repeats` at 1×; at most three up to 10×, where one
    takes seconds and one run alone can be a fifth off; one above, where each takes minutes."""
    if scale == 1:
        return max(1, repeats)
    return min(3, max(1, repeats)) if scale <= 10 else 1


def bench_scale(work: Path, scale: int, repeats: int, log=print) -> LoadRow:
    """One scale: exports, runs_at(scale, repeats) loads and each floor, medians compared."""
    row = LoadRow(scale)
    exports, row.demo_seconds = demo_exports(work, scale, log)
    warehouse = work / "warehouses" / f"scale-{scale}" / "warehouse.duckdb"
    csv_dir = work / "csv" / f"scale-{scale}"
    for i in range(runs_at(scale, repeats)):
        result, report = load_once(exports, warehouse, work / "load-reports" / f"scale-{scale}.json")
        row.load_seconds.append(result["seconds"])
        row.load_peak_rss_mb = max(row.load_peak_rss_mb, result["peak_rss_mb"])
        row.load_phases.append(report["phases"])
        row.load_own_seconds.append(report["seconds"])
        if i == 0:
            row.rows = export_plain_csv(warehouse, csv_dir)
        floor = floor_once("bench.floor_load", csv_dir, work / "floor" / f"scale-{scale}.duckdb")
        row.floor_seconds.append(floor["seconds"])
        row.floor_peak_rss_mb = max(row.floor_peak_rss_mb, floor["peak_rss_mb"])
        formats = floor_once("bench.floor_formats", exports, work / "floor" / f"formats-scale-{scale}.duckdb")
        row.formats_seconds.append(formats["seconds"])
        row.formats_peak_rss_mb = max(row.formats_peak_rss_mb, formats["peak_rss_mb"])
    row.warehouse = str(warehouse)
    shutil.rmtree(csv_dir, ignore_errors=True)  # rewritten on every run; at 100× it is ~0.7 GB
    log(
        f"  scale {scale}: {row.total_rows:,} rows · load {row.load_median:.2f} s, peak RSS "
        f"{row.load_peak_rss_mb:.0f} MB · floor {row.floor_median:.2f} s · load ÷ floor {row.ratio:.1f} · "
        f"formats floor {row.formats_median:.2f} s · load ÷ formats floor {row.formats_ratio:.1f}"
    )
    return row


def bench_loads(work: Path, scales: list[int], repeats: int, log=print) -> list[LoadRow]:
    return [bench_scale(work, scale, repeats, log) for scale in scales]

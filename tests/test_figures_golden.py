"""`python -m warehouse figures` prints byte for byte the JSON it printed before the code was
reorganised (tests/golden/figures, written by the code at 58b3c27): the demo data and a second
export set from another seed, 2025 and 2026, the whole district and one town."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "figures"
CASES = [(source, year, town) for source in ("demo", "messy") for year in (2025, 2026) for town in ("全区", "东城街道")]


@pytest.fixture(scope="session")
def messy_warehouse(tmp_path_factory) -> Path:
    """The demo generator's other seed: other figures, the same messy shapes (title rows, GBK
    CSVs, split sheets, 万元 columns, totals rows)."""
    from warehouse.demo.exports import write_demo
    from warehouse.load.loader import load

    folder = tmp_path_factory.mktemp("messy")
    write_demo(folder / "exports", seed=2031)
    result = load(folder / "exports", folder / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    return folder / "warehouse.duckdb"


@pytest.mark.parametrize("source,year,town", CASES, ids=[f"{s}-{y}-{t}" for s, y, t in CASES])
def test_figures_are_byte_identical(source, year, town, demo_warehouse, messy_warehouse):
    warehouse = demo_warehouse if source == "demo" else messy_warehouse
    args = [sys.executable, "-m", "warehouse", "figures", "--year", str(year), "--warehouse", str(warehouse)]
    if town != "全区":
        args += ["--township", town]
    printed = subprocess.run(args, capture_output=True, cwd=ROOT, check=True).stdout
    assert printed == (GOLDEN / f"{source}_{year}_{town}.json").read_bytes()

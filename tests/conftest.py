import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.exports_fixture import write_good_set
from warehouse.load.loader import load
from warehouse.runner import Warehouse

ROOT = Path(__file__).resolve().parent.parent

# No first screens computed in the background of the tests' own process (ui.prewarm): a test
# counts the queries its runs make. tests/test_prewarm.py turns it on; the browser tests' servers
# run with it, as deployed.
os.environ["APP_PREWARM"] = "0"


@pytest.fixture
def good_dir(tmp_path) -> Path:
    return write_good_set(tmp_path / "exports")


@pytest.fixture
def live(tmp_path, good_dir) -> Path:
    """A warehouse loaded from the good set: the live file later loads must not harm."""
    path = tmp_path / "wh" / "warehouse.duckdb"
    result = load(good_dir, path)
    assert result.ok, [i for i in result.errors]
    return path


@pytest.fixture(scope="session")
def small(tmp_path_factory):
    """The good set loaded once per run, opened read-only: for tests that only query it."""
    folder = tmp_path_factory.mktemp("small")
    result = load(write_good_set(folder / "exports"), folder / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    with Warehouse(folder / "warehouse.duckdb") as wh:
        yield wh


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demo exports loaded once per test run (the seed figures); read-only for every test."""
    from warehouse.demo.exports import write_demo

    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder / "exports")
    result = load(folder / "exports", folder / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    return folder / "warehouse.duckdb"


def cli_rollback(load_id: str, live: Path, preexec_fn=None) -> subprocess.CompletedProcess:
    """`python -m warehouse rollback` as the administrator runs it (preexec_fn: e.g. a resource limit)."""
    return subprocess.run(
        [sys.executable, "-m", "warehouse", "rollback", load_id, "--warehouse", str(live)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        preexec_fn=preexec_fn,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, name: str, **params):
    with Warehouse(path) as wh:
        return wh.run(name, **params)


def fresh_copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst

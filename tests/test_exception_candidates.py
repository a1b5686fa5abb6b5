"""The cross-ledger exceptions read from the loader's candidate tables list exactly what the rules
read straight from the ledgers list (tests/exceptions_from_ledgers/: each rule as it was written
before the candidates existed), on the demo data, at every month's end and a few days between,
whole and filtered, and with a grace period for 过渡费超发."""

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import sha256
from tests.page_queries_support import rows
from warehouse.runner import Warehouse, named_query
from warehouse.scope import Scope
from warehouse.settings import Thresholds

FROM_LEDGERS = Path(__file__).with_name("exceptions_from_ledgers")
RULES = sorted(path.stem for path in FROM_LEDGERS.glob("*.sql"))
# The demo's ledgers start in 2023; its data runs to 2026-11-20.
DAYS = [dt.date(year, month, 1) - dt.timedelta(days=1) for year in (2023, 2024, 2025, 2026) for month in range(1, 13)]
DAYS += [dt.date(2025, 3, 1), dt.date(2025, 3, 15), dt.date(2026, 11, 20), dt.date(2027, 6, 30)]


def test_every_exception_query_has_its_rule_from_the_ledgers():
    assert RULES == sorted(n for n in _exception_queries())


def _exception_queries():
    return [p.stem for p in (Path(__file__).parent.parent / "queries" / "exceptions").glob("*.sql")]


@pytest.fixture(scope="module")
def demo(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    yield con
    con.close()


def _rows(con, sql: str, params: dict) -> list[tuple]:
    return con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).fetchall()


def _compare(con, rule: str, days, **filters) -> int:
    """Both readings of the rule on each day; the number of rows listed in all."""
    listed = 0
    for day in days:
        params = dict(as_of=day, townships=None, sector=None, key_only=False, project=None, transition_grace_months=0)
        params |= filters
        expected = _rows(con, (FROM_LEDGERS / f"{rule}.sql").read_text(encoding="utf-8"), params)
        assert _rows(con, named_query(rule).sql, params) == expected, (rule, day, filters)
        listed += len(expected)
    return listed


@pytest.mark.parametrize("rule", RULES)
def test_the_candidates_list_what_the_ledgers_list_on_every_day(demo, rule):
    counts = [_compare(demo, rule, [day]) for day in DAYS]
    # The demo plants cases of every rule: some days list rows, and not all days list the same number.
    assert max(counts) > 0 and len(set(counts)) > 1, counts


@pytest.mark.parametrize("rule", RULES)
def test_the_candidates_list_what_the_ledgers_list_within_a_filter(demo, rule):
    towns = [t for (t,) in demo.execute("SELECT DISTINCT township FROM clean.projects ORDER BY 1").fetchall()]
    sectors = [s for (s,) in demo.execute("SELECT DISTINCT sector FROM clean.projects ORDER BY 1").fetchall()]
    days = [dt.date(2025, 12, 31), dt.date(2026, 11, 20)]
    for filters in (dict(townships=towns[:2]), dict(sector=sectors[0]), dict(key_only=True)):
        _compare(demo, rule, days, **filters)


@pytest.mark.parametrize("grace", [1, 2, 6])
def test_a_grace_period_is_applied_to_the_candidates_alike(demo, grace):
    _compare(demo, "exception_fee_after_handover", DAYS[-14:], transition_grace_months=grace)


def test_a_warehouse_loaded_before_the_candidates_gets_them_when_opened(demo_warehouse, tmp_path):
    """A frozen week, an archived version or a restored backup loaded by the code before: the
    reader builds the candidates in memory, the file stays byte for byte, the rows are the same."""
    older = tmp_path / "older.duckdb"
    shutil.copyfile(demo_warehouse, older)
    con = duckdb.connect(str(older))
    con.execute("DROP SCHEMA candidates CASCADE")
    con.close()
    before = sha256(older)
    params = Scope.for_year(2026, dt.date(2026, 11, 20)).params() | Thresholds().params()
    with Warehouse(demo_warehouse) as new, Warehouse(older) as old:
        for rule in RULES:
            listed = new.run(rule, **params)
            assert len(listed) > 0 and rows(old.run(rule, **params)) == rows(listed), rule
    assert sha256(older) == before

"""display.columns: every shown column's header, unit, kind and personal flag, said once."""

import pytest

from display import columns
from warehouse.contract import LEDGER_BY_NAME
from warehouse.dispatch import DRILLS
from warehouse.runner import named_query, query_names
from warehouse.scope import Scope

ADDED = {"overdue_mark", "stuck_mark"}  # columns a page adds (display.tables' marks)
UNIT_OF_KIND = {
    columns.MONEY: ("(元)",),
    columns.RATE: ("(%)", "(百分点)"),
    columns.AREA: ("(亩)", "(㎡)"),
    columns.DAYS: ("(天)",),
}


@pytest.mark.parametrize("table", sorted(t for t in columns.TABLES if t in query_names()))
def test_every_listed_column_comes_from_its_query(table):
    sql = named_query(table).sql
    for name in set(columns.TABLES[table]) - ADDED:
        assert name in sql, (table, name)


@pytest.mark.parametrize("table", sorted(columns.TABLES))
def test_a_table_has_one_chinese_header_per_column(table):
    headers = [columns.column(table, name).header for name in columns.TABLES[table]]
    assert len(set(headers)) == len(headers), table
    for header in headers:
        assert not any(c.isascii() and c.isalpha() for c in header), header


@pytest.mark.parametrize("key", sorted(columns.COLUMNS))
def test_the_header_carries_the_unit_of_its_kind(key):
    column = columns.COLUMNS[key]
    name = key.split(".")[-1]
    if column.kind in UNIT_OF_KIND:
        assert column.header.endswith(UNIT_OF_KIND[column.kind]), key
    for suffix, kind in (
        ("_yuan", columns.MONEY),
        ("_pct", columns.RATE),
        ("_mu", columns.AREA),
        ("_m2", columns.AREA),
        ("_days", columns.DAYS),
    ):
        if name.endswith(suffix):
            assert column.kind == kind, key
    if column.kind != columns.RATE:  # a 率/进度 ending reads as a percentage on screen
        assert not column.header.endswith(("率", "进度")), key


def test_one_header_means_one_kind():
    kinds = {}
    for column in columns.COLUMNS.values():
        assert kinds.setdefault(column.header, column.kind) == column.kind, column.header


def test_personal_columns_keep_the_contracts_headers():
    contract = {c.name: c.header for ledger in LEDGER_BY_NAME.values() for c in ledger.columns}
    assert columns.PERSONAL_HEADERS == {contract["owner_name"], contract["petitioner_id"]} == {"户主姓名", "信访人编号"}


def test_chinese_picks_orders_and_renames():
    import pandas as pd

    frame = pd.DataFrame({"closed_date": [None], "case_id": ["C1"], "extra": [1], "state": ["未化解"]})
    shown = columns.chinese(frame, "petitions_backlog")
    assert list(shown.columns) == ["信访编号", "化解日期", "化解状态"]
    assert list(columns.headed(frame).columns) == ["办结日期", "信访编号", "extra", "状态"]


@pytest.mark.parametrize("name,extra", sorted(set((n, tuple(e.items())) for n, e in DRILLS.values())))
def test_every_drill_table_reads_in_chinese(small, name, extra):
    """The rows behind a figure (周调度's cells, 总览's monthly bars) are shown through the dictionary."""
    scope = Scope.for_year(2025, small.snapshot().as_of)
    shown = columns.headed(small.run(name, **scope.params(), **dict(extra)), name)
    assert len(shown.columns) and not [c for c in shown.columns if any(ch.isascii() and ch.isalpha() for ch in c)]

"""数据状态: what the warehouse holds, per ledger."""

from __future__ import annotations

from display import columns
from warehouse.contract import LEDGER_BY_NAME


def ledger_counts(query):
    """Rows, pieces and files per ledger, in the contract's order, under the ledgers' titles."""
    ledgers = query("ledger_row_counts")
    ordered = {name: i for i, name in enumerate(LEDGER_BY_NAME)}
    ledgers = ledgers.sort_values("ledger", key=lambda s: s.map(ordered))
    ledgers["ledger"] = [LEDGER_BY_NAME[name].title for name in ledgers["ledger"]]
    return columns.chinese(ledgers, "ledger_row_counts")

"""督办事项 as a table (周调度, and the 通报 later): one row per item, worst first as listed, under
the headers of display.columns. Takes the items access.supervision.items_as_of returns (display
does not import access: any objects with those attributes will do)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from display import columns


def table(items: Iterable) -> pd.DataFrame:
    """The items with their status and age, in the order given."""
    rows = [
        {
            "item_status": i.status,
            "target_label": i.target_label,
            "target_type": i.target_kind_label,
            "township": i.township or "—",
            "assignee": i.owner_display,
            "deadline": i.deadline,
            "age_days": i.age_days,
            "assigned_date": i.opened_on,
            "closed_date": i.closed_on,
            "assignment": i.note,
            "latest_note": i.latest_note or "—",
            "assigned_by": i.assigned_by_display,
            "item_id": i.id,
        }
        for i in items
    ]
    frame = pd.DataFrame(rows, columns=list(columns.TABLES["supervision_items"]))
    return columns.chinese(frame, "supervision_items")

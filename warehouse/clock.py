"""The center's clock: Beijing time, whatever zone the server runs in (no pandas here: the loader
reads it). Load ids, load and rollback times, upload folders and frozen weeks are written in it,
as the audit log is shown in it, so every time on the pages reads the same way."""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")  # no daylight saving: a fixed offset


def beijing_now() -> dt.datetime:
    """Now, as a Beijing wall-clock time (naive, as the warehouse and the history keep it)."""
    return dt.datetime.now(BEIJING).replace(tzinfo=None)

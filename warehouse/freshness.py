"""Is the data stale: its as-of date more days before today (Beijing time) than
config/thresholds.toml「数据过期」allows. Every page says so at its top (app.py)."""

from __future__ import annotations

import datetime as dt


def days_stale(as_of: dt.date, today: dt.date, limit_days: int) -> int | None:
    """The data's age in days when it is more than limit_days, else None (also for an as-of date
    after today, as a load may be dated ahead)."""
    days = (today - as_of).days
    return days if days > limit_days else None

"""The weeks of the 周调度: Monday to Sunday, "this week" holds D.

This week counts events from its Monday up to D (never past D: later rows are plans or typos);
last week is the whole week before. A week is a week even across a year end: the week of
2026-01-02 starts on 2025-12-29 and its figures count those days too, while 年累计 counts from
1 January of D's year. Last week's standings ("排名变化") are read as at last Sunday, within the
same year; in a year's first week there is no earlier standing of that year to compare with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday
    end: dt.date  # its Sunday, or D for the running week

    @classmethod
    def holding(cls, day: dt.date) -> Week:
        start = day - dt.timedelta(days=day.weekday())
        return cls(start, start + dt.timedelta(days=6))

    @property
    def iso_label(self) -> str:
        """ "2026年第47周" (ISO week of its Monday)."""
        year, number, _ = self.start.isocalendar()
        return f"{year}年第{number}周"

    @property
    def span_label(self) -> str:
        """ "11月17日—11月23日" (years shown when the week crosses one)."""
        if self.start.year != self.end.year:
            return f"{self.start.year}年{self.start.month}月{self.start.day}日—{self.end.year}年{self.end.month}月{self.end.day}日"
        return f"{self.start.month}月{self.start.day}日—{self.end.month}月{self.end.day}日"


@dataclass(frozen=True)
class DispatchWeeks:
    as_of: dt.date
    this_week: Week  # Monday of D's week up to D
    last_week: Week  # the whole week before
    year_start: dt.date  # 1 January of D's year: 年累计 runs from here to D

    @classmethod
    def at(cls, as_of: dt.date) -> DispatchWeeks:
        week = Week.holding(as_of)
        return cls(
            as_of, Week(week.start, as_of), Week(week.start - ONE_WEEK, week.start - ONE_DAY), dt.date(as_of.year, 1, 1)
        )

    @property
    def last_standing_date(self) -> dt.date | None:
        """Last Sunday, when it lies in D's year: the date last week's ranking is read at."""
        day = self.last_week.end
        return day if day.year == self.as_of.year else None

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.as_of.year, 12, 31)

    @property
    def days_left(self) -> int:
        """Days after D up to 31 December."""
        return (self.year_end - self.as_of).days

    def params(self) -> dict:
        """The week bounds as bound query parameters."""
        return {
            "this_from": self.this_week.start,
            "this_to": self.this_week.end,
            "last_from": self.last_week.start,
            "last_to": self.last_week.end,
        }

"""The scope of a figure: period, as-of date and filters, turned into bound query parameters.

docs/metrics.md's as-of rule lives here once: D defaults to the data's as-of date, or to
31 December of Y when Y ended before it; "in year Y" counts events dated in Y up to D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import NamedTuple


@dataclass(frozen=True)
class Scope:
    year: int
    as_of: dt.date
    date_from: dt.date
    date_to: dt.date
    townships: tuple[str, ...] | None = None  # None: the whole district
    sector: str | None = None
    key_only: bool = False
    project: str | None = None
    # The viewer's account is held to these towns (docs/operations.md「镇街范围」): its pages show
    # no district total and no share of the district. Not a query parameter: the figures are the same.
    held_to_towns: bool = False

    @classmethod
    def for_year(cls, year: int, data_as_of: dt.date, as_of: dt.date | None = None, **filters) -> Scope:
        year_end = dt.date(year, 12, 31)
        d = as_of or min(data_as_of, year_end)
        return cls(year, d, dt.date(year, 1, 1), min(year_end, d), **_clean(filters))

    @classmethod
    def for_range(cls, date_from: dt.date, date_to: dt.date, **filters) -> Scope:
        """Any date range: events from date_from to date_to, stocks as of date_to."""
        return cls(date_from.year, date_to, date_from, date_to, **_clean(filters))

    def month(self, month: int) -> Scope:
        """One month of this scope's year (cut at D), same filters: the rows behind a month's bar."""
        first = dt.date(self.year, month, 1)
        following = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return replace(
            self,
            date_from=first,
            date_to=min(following - dt.timedelta(days=1), self.date_to),
            as_of=min(following - dt.timedelta(days=1), self.as_of),
        )

    def for_as_of(self, as_of: dt.date) -> Scope:
        """The same towns and filters for the year of another D (a frozen week's)."""
        return Scope.for_year(
            as_of.year,
            as_of,
            townships=self.townships,
            sector=self.sector,
            key_only=self.key_only,
            project=self.project,
        )

    def same_period_last_year(self) -> Scope:
        """去年同期 (docs/metrics.md「同比（较去年同期）」): the same dates one year back, so a year
        to D is 1 January to D of last year (29 February → 28 February); same filters."""
        return replace(
            self,
            year=self.year - 1,
            as_of=_year_back(self.as_of),
            date_from=_year_back(self.date_from),
            date_to=_year_back(self.date_to),
        )

    def with_filters(self, **filters) -> Scope:
        return replace(self, **_clean(filters))

    @property
    def township(self) -> str | None:
        """The one 镇街 in scope, if exactly one."""
        return self.townships[0] if self.townships and len(self.townships) == 1 else None

    @property
    def filtered(self) -> bool:
        return bool(self.townships or self.sector or self.key_only or self.project)

    def params(self) -> dict:
        return {
            "year": self.year,
            "as_of": self.as_of,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "townships": list(self.townships) if self.townships else None,
            "sector": self.sector,
            "key_only": self.key_only,
            "project": self.project,
        }


class FilterChoices(NamedTuple):
    years: tuple[int, ...]  # newest first
    townships: tuple[str, ...]


def filter_choices(query, as_of: dt.date) -> FilterChoices:
    """The sidebar's years and 镇街 (filter_options), built once per load (ui.data.built)."""
    options = query("filter_options", as_of=as_of)
    last, first = int(options["last_year"].iloc[0]), int(options["first_year"].iloc[0])
    return FilterChoices(tuple(range(last, first - 1, -1)), tuple(options["township"]))


def _year_back(day: dt.date) -> dt.date:
    """The same day a year earlier; 29 February, which last year has not, is 28 February."""
    leap_day = (day.month, day.day) == (2, 29)
    return day.replace(year=day.year - 1, day=28 if leap_day else day.day)


def _clean(filters: dict) -> dict:
    """Blank filters mean no filter; a single `township` is a one-town list."""
    out = {k: (v or None) for k, v in filters.items() if k in ("sector", "project")}
    towns = filters.get("townships")
    if filters.get("township"):
        towns = (filters["township"],)
    if "townships" in filters or "township" in filters:
        out["townships"] = tuple(sorted(set(towns))) if towns else None
    if "key_only" in filters:
        out["key_only"] = bool(filters["key_only"])
    if "held_to_towns" in filters:
        out["held_to_towns"] = bool(filters["held_to_towns"])
    return out

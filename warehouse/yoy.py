"""同比（较去年同期, docs/metrics.md): the headline figures of a scope beside the same figures for
the same period last year (Scope.same_period_last_year), read from the same named queries.

增减 = 本期 − 去年同期, exact; 增幅 = 增减 ÷ 去年同期 × 100, two places half up like every rate,
and none when last year's figure is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from warehouse.scope import Scope

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Change:
    current: Decimal
    last: Decimal  # the same period last year

    @property
    def delta(self) -> Decimal:
        return self.current - self.last

    @property
    def growth_pct(self) -> Decimal | None:
        if self.last == 0:
            return None
        return (self.delta * 100 / self.last).quantize(CENT, rounding=ROUND_HALF_UP)


def figures(query, scope: Scope) -> dict[str, Decimal]:
    """The figures 总览 compares with last year, exact: areas in 亩/㎡, money in 元, counts."""
    params = scope.params()
    tasks = query("annual_tasks", **params).set_index("metric")["actual"]
    months = query("monthly_progress", **params)
    paid = query("payouts_by_fund_type", **params)["paid_yuan"]
    petitions = query("petitions_counts", **params).set_index("figure")["value"]
    return {
        "征地面积(亩)": Decimal(tasks["征地面积(亩)"]),
        "房屋征收户数": Decimal(tasks["房屋征收户数"]),
        "房屋征收面积(㎡)": Decimal(tasks["房屋征收面积(㎡)"]),
        "兑付金额(元)": sum(paid, Decimal(0)),
        "接房套数": Decimal(int(months["handed_over_units"].sum())),
        "来访人次": Decimal(int(petitions["来访人次"])),
    }


def compare(query, scope: Scope) -> dict[str, Change]:
    """Each figure of `figures`, this period and the same period last year."""
    now, before = figures(query, scope), figures(query, scope.same_period_last_year())
    return {name: Change(value, before[name]) for name, value in now.items()}

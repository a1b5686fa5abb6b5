"""Demo world, part 5: what the cross-ledger exceptions read (docs/metrics.md, 资金拨付异常核查).

The households part draws a demolition date from the signing date, before any payment exists, so
about one demolition in six fell before the household's first compensation payment: a district
that demolished ahead of paying (先补偿、后搬迁 broken) that often is not a realistic demo. Such a
demolition moves to the day of that payment or a few days after, within its year. A move across
a year would change that year's 房屋征收项目数; before 2025 no figure is checked against one, from
2025 the review's figures are, so those few stay: year-end demolitions ahead of January's payment
run, the demo's own 先拆后补 cases.

Then a few deliberate exceptions of every kind are planted, for the page section and the 周调度
warnings to have rows. Each edit keeps every figure of docs/metrics.md for 2025 and 2026: dates
move within their year and before the last two weeks of the data (本周, 上周); a payment or a flat
changes household within its project; an agreed amount shrinks only where everything agreed was
already paid, so no 待付款缺口 moves.

Runs last, after every other part has drawn its numbers, so nothing else in the world changes.
"""

from __future__ import annotations

import random
from datetime import date

from warehouse.demo.world import AS_OF, World, plus

COMPENSATION = ("征收补偿安置费", "拆迁补偿费")
CHECKED_FROM = 2025  # the first year whose figures are checked (the 2025 review, then 2026)
PLANT_FROM, PLANT_TO = date(2026, 1, 1), date(2026, 11, 8)  # this year, before 上周 (11-09 on)
PLANTED = 2  # of each kind


def first_paid(world: World) -> dict[str, date]:
    """Each household's first compensation paid (兑付), by 户编号."""
    first: dict[str, date] = {}
    for x in world.payments:
        if x.fund in COMPENSATION and x.status == "已兑付":
            hid, paid = x.household.hid, x.reviews[3]
            first[hid] = min(first.get(hid, paid), paid)
    return first


def compensate_before_demolition(rng: random.Random, world: World) -> None:
    first = first_paid(world)
    for h in world.households:
        paid = first.get(h.hid)
        if not h.demolished or paid is None or paid <= h.demolished:
            continue
        if paid.year != h.demolished.year and paid.year >= CHECKED_FROM:
            continue
        moved = plus(paid, rng.randint(0, 10))
        h.demolished = moved if moved.year == paid.year and moved <= AS_OF else paid


def _planted(rng: random.Random, pool: list) -> list:
    return rng.sample(pool, min(PLANTED, len(pool)))


def _in_window(day: date | None) -> bool:
    return day is not None and PLANT_FROM <= day <= PLANT_TO


def plant_exceptions(rng: random.Random, world: World) -> None:
    first = first_paid(world)
    payments_of: dict[str, list] = {}
    for x in world.payments:
        if x.household is not None and x.status != "已退回":
            payments_of.setdefault(x.household.hid, []).append(x)
    used: set[str] = set()

    def fresh(pool):
        return [h for h in pool if h.hid not in used]

    # 先付后签: the signing was keyed days after the first compensation had been paid.
    pool = fresh(
        h
        for h in world.households
        if h.mode == "货币补偿"
        and _in_window(h.signed)
        and _in_window(first.get(h.hid))
        and plus(first[h.hid], 1) <= min(h.demolished or PLANT_TO, PLANT_TO)
    )
    for h in _planted(rng, pool):
        last = min(h.demolished or PLANT_TO, PLANT_TO, plus(first[h.hid], 10))
        h.signed = plus(first[h.hid], rng.randint(1, (last - first[h.hid]).days))
        used.add(h.hid)

    # 超协议兑付: signed this year, every agreed 元 paid; the agreement says less than was paid.
    pool = fresh(
        h
        for h in world.households
        if _in_window(h.signed)
        and (paid := [x for x in payments_of.get(h.hid, []) if x.fund in COMPENSATION])
        and all(x.status == "已兑付" and x.reviews[3] <= PLANT_TO for x in paid)
        and sum(x.amount for x in paid) == h.agreed
    )
    for h in _planted(rng, pool):
        h.agreed -= h.agreed * rng.randint(5, 30) // 1000 // 100 * 100 or 100  # whole 元, at least 1
        used.add(h.hid)

    # 违规交房: a family's second flat went to an unsigned household, or to one paid in money.
    movers = {}
    for u in world.units:
        if u.household is not None and u.handover:
            movers.setdefault(u.household.hid, []).append(u)
    spare = sorted(
        (max(units, key=lambda u: (u.handover, u.uid)) for units in movers.values() if len(units) == 2),
        key=lambda u: u.uid,
    )
    spare = [u for u in spare if _in_window(u.handover) and u.household.hid not in used]
    unsigned = fresh(h for h in world.households if h.signed is None)
    paid_in_money = fresh(h for h in world.households if h.mode == "货币补偿" and h.signed and h.signed <= PLANT_FROM)
    for u, takers in zip(rng.sample(spare, min(PLANTED, len(spare))), (unsigned, paid_in_money)):
        if takers:
            u.household = rng.choice(takers)
            used.add(u.household.hid)

    # 过渡费超发: a household kept drawing 过渡安置费 months after it moved in.
    housed = {h.hid: h for h in world.households if h.moved_in and h.mode == "产权调换" and h.hid not in used}
    fees = sorted(
        (
            x
            for x in world.payments
            if x.fund == "过渡安置费" and x.status == "已兑付" and _in_window(x.applied) and x.household.hid not in used
        ),
        key=lambda x: x.pid,
    )
    planted = 0
    for x in rng.sample(fees, len(fees)):
        late = sorted(
            (h for h in housed.values() if h.project is x.project and _months(h.moved_in, x.applied) >= 1),
            key=lambda h: (h.moved_in, h.hid),
        )
        if late and planted < PLANTED:
            x.household = late[-1]  # the one that moved in last: a fee the month after, or a few
            housed.pop(late[-1].hid)
            used.add(x.household.hid)
            planted += 1

    # 先拆后补: the house came down before the first compensation was paid.
    pool = fresh(
        h
        for h in world.households
        if _in_window(h.demolished)
        and _in_window(h.signed)
        and _in_window(first.get(h.hid))
        and (first[h.hid] - h.signed).days >= 2
    )
    for h in _planted(rng, pool):
        h.demolished = plus(h.signed, rng.randint(1, (first[h.hid] - h.signed).days - 1))
        used.add(h.hid)


def _months(earlier: date, later: date) -> int:
    """Calendar months from earlier's month to later's (the month a fee is applied for)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month

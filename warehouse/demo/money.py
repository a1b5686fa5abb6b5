"""Demo world, part 3: project status and the payments ledger (资金拨付台账).

Payments run the center's three-level review (初审 → 复审 → 终审 → 兑付). Compensation is
generated per signed household, then the installments paid in 2025 are rescaled (integer
分, residual on the largest) so each type's 2025 total is the review's figure exactly; a
household's 协议补偿金额 is the sum of its compensation installments, applied or not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from warehouse.demo.world import AS_OF, Project, World, plus

PAID_2025 = {"征收补偿安置费": 8_400_000_000, "拆迁补偿费": 23_500_000_000}  # 分
PENDING = ("待初审", "待复审", "待终审", "待兑付")
FUND_ORDER = {"征收补偿安置费": 0, "拆迁补偿费": 1, "过渡安置费": 2, "安置补贴": 3, "工作经费": 4}
# 元 per ㎡ of signed area, by land tenure and resettlement mode
RATES = {
    ("state", "货币补偿"): (3600, 4400),
    ("state", "产权调换"): (800, 1300),
    ("collective", "货币补偿"): (4000, 5000),
    ("collective", "产权调换"): (2000, 2800),
    ("collective", "安置补贴"): (2800, 3400),
}
TRANSITION_PER_QUARTER = {"state": 30, "collective": 18}  # 元/㎡ per quarter (10 or 6 a month)


@dataclass(slots=True, eq=False)
class Payment:
    project: Project
    household: object | None
    fund: str
    amount: int  # 分
    applied: date
    reviews: list  # [初审, 复审, 终审, 兑付], None where not done
    status: str = ""
    pid: str = ""


# ---------------------------------------------------------------- project status
def last_events(world: World) -> dict[str, date]:
    last: dict[str, date] = {}
    for x in world.parcels:
        for t in (x.approved, x.acquired, x.transferred):
            if t:
                last[x.project.pid] = max(last.get(x.project.pid, t), t)
    for h in world.households:
        for t in (h.signed, h.demolished):
            if t:
                last[h.project.pid] = max(last.get(h.project.pid, t), t)
    return last


def finish_projects(rng: random.Random, world: World) -> None:
    """Plan figures and 项目状态 follow from what the ledgers say happened."""
    last = last_events(world)
    parcels: dict[str, list] = {}
    for x in world.parcels:
        parcels.setdefault(x.project.pid, []).append(x)
    houses: dict[str, list] = {}
    for h in world.households:
        houses.setdefault(h.project.pid, []).append(h)
    for p in world.projects:
        mine, hh = parcels.get(p.pid, []), houses.get(p.pid, [])
        done = all(x.acquired for x in mine) and all(h.signed for h in hh)
        if p.pid not in last:
            p.status = "前期"
        elif done and last[p.pid] <= date(2025, 6, 30):
            p.status = "已完成"
        elif done and p.start.year < 2025 and rng.random() < 0.4:
            p.status = "收尾"
        else:
            p.status = "实施中"
        # 征地进度 = acquired ÷ planned: done projects planned exactly what they took,
        # projects still under way planned more land than their parcels so far
        extra = {"已完成": (0, 0), "收尾": (0, 4), "实施中": (5, 30), "前期": (0, 10)}[p.status]
        if mine:
            p.planned_mu = sum(x.area for x in mine) * (100 + rng.randint(*extra)) // 100
        if hh:
            p.planned_hh = len(hh)
            p.planned_m2 = sum(h.house_m2 for h in hh)


# ---------------------------------------------------------------- review flow
def _flow(rng: random.Random, applied: date) -> list:
    gaps = [rng.randint(0, 4), rng.randint(1, 6), rng.randint(1, 8), rng.randint(1, 12)]
    if rng.random() < 0.05:  # a file that sat on someone's desk
        gaps[rng.randrange(4)] += rng.randint(10, 40)
    out, day = [], applied
    for g in gaps:
        day = plus(day, g)
        out.append(day if day <= AS_OF else None)
    return out


def _pay(rng: random.Random, p: Project, h, fund: str, amount: int, applied: date) -> Payment:
    return Payment(p, h, fund, amount, applied, _flow(rng, applied))


def _compensation(rng: random.Random, h, out: list[Payment]) -> int:
    """Installments of one household; returns the amount not yet applied for."""
    p = h.project
    fund = "征收补偿安置费" if p.tenure == "state" else "拆迁补偿费"
    lo, hi = RATES[(p.tenure, h.mode)]
    total = h.signed_m2 * rng.randint(lo, hi) + rng.randint(20, 500) * 10_000  # + 签约奖励
    first = total if h.mode == "产权调换" and total < 50_000_000 else total * 7 // 10
    plan = [(first, plus(h.signed, rng.randint(3, 25)))]
    if first < total:
        plan.append((total - first, plus(h.demolished or plus(h.signed, 90), rng.randint(5, 40))))
    unapplied = 0
    for amount, applied in plan:
        if applied > AS_OF:
            unapplied += amount
            continue
        if rng.random() < 0.015:  # sent back at a review, then resubmitted
            back = _pay(rng, p, h, fund, amount, applied)
            stage = rng.randint(1, 3)
            back.reviews = back.reviews[:stage] + [None] * (4 - stage)
            back.status = "已退回"
            out.append(back)
            applied = plus(max(t for t in [applied] + back.reviews if t), rng.randint(3, 15))
            if applied > AS_OF:
                unapplied += amount
                continue
        out.append(_pay(rng, p, h, fund, amount, applied))
    return unapplied


def _transition(rng: random.Random, h, out: list[Payment]) -> None:
    """Quarterly 过渡安置费 from the quarter after signing until the family moves in."""
    end = h.moved_in or AS_OF
    year, q = h.signed.year, (h.signed.month - 1) // 3 + 1
    amount = h.signed_m2 * TRANSITION_PER_QUARTER[h.project.tenure]
    while True:
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
        applied = plus(date(year, 3 * q - 2, 1), rng.randint(3, 20))
        if applied > end:
            return
        out.append(_pay(rng, h.project, h, "过渡安置费", amount, applied))


def _work_funds(rng: random.Random, p: Project, last: date | None, out: list[Payment]) -> None:
    """Monthly 工作经费 while a project is open (no household)."""
    end = AS_OF if p.status != "已完成" else min(AS_OF, plus(last, 60))
    base = rng.randint(5, 40) * 1000
    year, month = p.start.year, p.start.month
    while True:
        applied = plus(date(year, month, 1), rng.randint(2, 11))
        if applied > end:
            return
        if applied >= p.start:
            amount = base * rng.randint(80, 120) // 100 // 100 * 100 * 100  # whole 百元, in 分
            out.append(_pay(rng, p, None, "工作经费", amount, applied))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _rescale_2025(payments: list[Payment]) -> None:
    for fund, target in PAID_2025.items():
        rows = [
            x
            for x in payments
            if x.fund == fund and x.status != "已退回" and x.reviews[3] and x.reviews[3].year == 2025
        ]
        total = sum(x.amount for x in rows)
        for x in rows:
            x.amount = x.amount * target // total
        max(rows, key=lambda x: (x.amount, x.applied)).amount += target - sum(x.amount for x in rows)


def _status(x: Payment) -> str:
    if x.status == "已退回":
        return x.status
    done = sum(1 for t in x.reviews if t)
    return "已兑付" if done == 4 else PENDING[done]


def _stick(rng: random.Random, payments: list[Payment]) -> None:
    """Files waiting at each stage over 15 and over 30 days, and one applied on the as-of date."""
    pool = sorted(
        (
            x
            for x in payments
            if x.fund == "工作经费"
            and x.project.start <= date(2026, 6, 30)
            and date(2026, 9, 1) <= x.applied <= date(2026, 10, 20)
        ),
        key=lambda x: (x.applied, x.project.pid),
    )
    picks = rng.sample(pool, 16)
    for i, x in enumerate(picks):
        stage, wait = i % 4, (rng.randint(16, 29) if i < 8 else rng.randint(31, 75))
        steps = [plus(AS_OF, -wait)]
        for _ in range(stage):
            steps.insert(0, plus(steps[0], -rng.randint(1, 5)))
        x.applied, x.reviews = steps[0], steps[1:] + [None] * (4 - stage)
    fresh = [
        x
        for x in payments
        if x.fund == "工作经费" and x.applied.month == 11 and x.applied.year == 2026 and x not in picks
    ]
    x = min(fresh, key=lambda x: (x.project.pid, x.applied))
    x.applied, x.reviews = AS_OF, [None] * 4


def build_payments(rng: random.Random, world: World) -> list[Payment]:
    out: list[Payment] = []
    agreed_left: dict[str, int] = {}
    for h in world.households:
        if not h.signed:
            continue
        agreed_left[h.hid] = _compensation(rng, h, out)
        if h.mode == "产权调换":
            _transition(rng, h, out)
        elif h.mode == "安置补贴":
            applied = plus(h.signed, rng.randint(20, 60))
            if applied <= AS_OF:
                out.append(_pay(rng, h.project, h, "安置补贴", h.signed_m2 * rng.randint(400, 800), applied))
    last = last_events(world)
    for p in world.projects:
        _work_funds(rng, p, last.get(p.pid), out)
    _stick(rng, out)
    for x in out:
        x.status = _status(x)
    _rescale_2025(out)
    for x in out:  # 协议补偿金额 = all installments, paid or not
        if x.fund in PAID_2025 and x.status != "已退回":
            agreed_left[x.household.hid] += x.amount
    for h in world.households:
        if h.signed:
            h.agreed = agreed_left[h.hid]
    out.sort(
        key=lambda x: (x.applied, FUND_ORDER[x.fund], x.project.pid, x.household.hid if x.household else "", x.amount)
    )
    seq: dict[int, int] = {}
    for x in out:
        seq[x.applied.year] = seq.get(x.applied.year, 0) + 1
        x.pid = f"BF{x.applied.year}-{seq[x.applied.year]:06d}"
    return out

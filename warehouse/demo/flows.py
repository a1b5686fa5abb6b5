"""Demo world, part 4: petitions (信访), safety inspections and hazards, annual targets.

The 2025 figures are built by construction: cases are generated per channel either by the
year they were received (来访/下访 persons split exactly) or by the year they were closed
(书面 113, 复议诉讼 47), so no later adjustment can move a count.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from warehouse.demo import names as N
from warehouse.demo.world import AS_OF, Project, World, apportion, plus, rdate, split_int

DURATION = {
    "来访": (0, 25),
    "下访": (0, 20),
    "书面": (8, 60),
    "网上": (2, 30),
    "复议诉讼": (30, 170),
    "市级交办": (15, 60),
    "中央巡视组交办": (10, 45),
}
# cases received per year (来访/下访 2025: persons are exact, case counts free)
RECEIVED = {
    2024: {"来访": 210, "下访": 95, "网上": 140, "市级交办": 3, "中央巡视组交办": 0},
    2025: {"来访": 265, "下访": 104, "网上": 160, "市级交办": 2, "中央巡视组交办": 10},
    2026: {"来访": 205, "下访": 88, "网上": 150, "市级交办": 2, "中央巡视组交办": 0},
}
PERSONS_2025 = {"来访": 457, "下访": 219}
CLOSED = {"书面": {2024: 104, 2025: 113, "later": 98}, "复议诉讼": {2024: 41, 2025: 47, "later": 44}}
TOPICS = ["补偿标准", "安置房", "资金拨付", "过渡安置费", "房屋拆除", "政策咨询", "其他"]
TOPIC_WEIGHTS = [30, 20, 12, 10, 10, 12, 6]


@dataclass(slots=True, eq=False)
class Petition:
    received: date
    channel: str
    persons: int
    project: Project | None
    topic: str
    backlog: bool
    closed: date | None
    petitioner: str = ""
    cid: str = ""


@dataclass(slots=True, eq=False)
class Inspection:
    iid: str
    day: date
    kind: str
    project: Project
    letters: int = 0


@dataclass(slots=True, eq=False)
class Hazard:
    inspection: Inspection
    desc: str
    due: date
    rectified: date | None = None
    rechecked: date | None = None
    closed: date | None = None
    hid: str = ""


# ---------------------------------------------------------------- petitions
def _project_for(rng: random.Random, projects: list[Project], day: date) -> Project | None:
    if rng.random() < 0.15:
        return None
    pool = [p for p in projects if p.start <= plus(day, -30) and (p.spec or p.land_role != "P")]
    return rng.choices(pool, [6 if p.spec else 1 for p in pool])[0]


def _case(rng, projects, channel, received, persons=1, closed="auto", backlog=False) -> Petition:
    if closed == "auto":
        closed = plus(received, rng.randint(*DURATION[channel]))
        closed = closed if closed <= AS_OF else None
    return Petition(
        received,
        channel,
        persons,
        _project_for(rng, projects, received),
        rng.choices(TOPICS, TOPIC_WEIGHTS)[0],
        backlog,
        closed,
    )


def _persons(rng: random.Random, year: int, channel: str, n: int) -> list[int]:
    if year == 2025 and channel in PERSONS_2025:
        return split_int(rng, PERSONS_2025[channel], [rng.choice((1, 1, 1, 2, 2, 4, 9)) for _ in range(n)])
    return [rng.choice((1, 1, 1, 1, 2, 2, 3, 5)) for _ in range(n)]


def _closed_in_year(rng, projects, channel: str, year: int) -> Petition:
    """A case closed in `year` (2024 ones were also received in 2024)."""
    lo, hi = DURATION[channel]
    closed = rdate(rng, date(year, 1, 20), date(year, 12, 31))
    took = rng.randint(lo, hi) if year == 2025 else rng.randint(lo, hi) // 4
    return _case(rng, projects, channel, max(date(2024, 1, 2), plus(closed, -took)), closed=closed)


def _closed_after_2025(rng, projects, channel: str) -> Petition:
    received = rdate(rng, date(2025, 11, 1), AS_OF)
    closed = max(plus(received, rng.randint(*DURATION[channel])), date(2026, 1, 4))
    return _case(rng, projects, channel, received, closed=closed if closed <= AS_OF else None)


def _backlog(rng, projects) -> list[Petition]:
    """积案: eight old 来访 cases from 2024; two resolved in 2025, three in 2026, three open."""
    out = []
    for i in range(8):
        received = rdate(rng, date(2024, 1, 2), date(2024, 6, 30))
        if i < 2:
            closed = rdate(rng, date(2025, 3, 1), date(2025, 12, 20))
        else:
            closed = rdate(rng, date(2026, 1, 5), AS_OF) if i < 5 else None
        out.append(_case(rng, projects, "来访", received, rng.randint(1, 3), closed, backlog=True))
    return out


def build_petitions(rng: random.Random, projects: list[Project]) -> list[Petition]:
    cases: list[Petition] = []
    for year, volumes in RECEIVED.items():
        last = min(date(year, 12, 31), AS_OF)
        for channel, n in volumes.items():
            for persons in _persons(rng, year, channel, n):
                cases.append(_case(rng, projects, channel, rdate(rng, date(year, 1, 2), last), persons))
    for channel, plan in CLOSED.items():  # closed-year buckets keep 2025's counts exact
        cases += [_closed_in_year(rng, projects, channel, y) for y in (2024, 2025) for _ in range(plan[y])]
        cases += [_closed_after_2025(rng, projects, channel) for _ in range(plan["later"])]
    cases += _backlog(rng, projects)
    late = [
        c
        for c in cases
        if c.received.year == 2026 and c.channel in ("网上", "书面") and c.received <= date(2026, 9, 15)
    ]
    for c in rng.sample(sorted(late, key=lambda c: c.received), 7):
        c.closed = None  # 信访超期: still open after 60 days
    _number_petitions(rng, cases)
    return cases


def _number_petitions(rng: random.Random, cases: list[Petition]) -> None:
    """Case ids by receipt order; petitioners come back (same project, same year) now and then."""
    cases.sort(key=lambda c: (c.received, c.channel, c.persons, c.project.pid if c.project else ""))
    seen: dict[tuple, list[str]] = {}
    seq: dict[int, int] = {}
    count = 0
    for c in cases:
        y = c.received.year
        seq[y] = seq.get(y, 0) + 1
        c.cid = f"XF{y}-{seq[y]:04d}"
        key = (y, c.project.pid if c.project else "")
        if seen.get(key) and rng.random() < 0.22:
            c.petitioner = rng.choice(seen[key])
        else:
            count += 1
            c.petitioner = f"XFR-{count:05d}"
            seen.setdefault(key, []).append(c.petitioner)


# ---------------------------------------------------------------- safety
def _inspection_dates(rng: random.Random, year: int, n: int) -> list[date]:
    last_month = AS_OF.month if year == AS_OF.year else 12
    months = sorted(rng.sample(range(1, last_month + 1), n))
    last = plus(AS_OF, -2) if year == 2026 else None
    return [rdate(rng, date(year, m, 3), last if m == 11 and last else date(year, m, 26)) for m in months]


def _hazard(rng: random.Random, ins: Inspection) -> Hazard:
    hz = Hazard(ins, rng.choice(N.HAZARD_DESCS), plus(ins.day, rng.randint(7, 20)))
    steps = [plus(ins.day, rng.randint(2, 25))]
    steps += [plus(steps[0], rng.randint(1, 7))]
    steps += [plus(steps[1], rng.randint(0, 5))]
    if ins.day.year == 2026 and ins.day >= date(2026, 7, 1) and rng.random() < 0.5:
        steps = [None, None, None]  # not rectified yet; overdue once due_date passes
    hz.rectified, hz.rechecked, hz.closed = (s if s and s <= AS_OF else None for s in steps)
    if hz.rectified is None:
        hz.rechecked = hz.closed = None
    elif hz.rechecked is None:
        hz.closed = None
    return hz


def build_safety(rng: random.Random, world: World, active: dict[int, list[Project]]):
    """2025: 11 inspections covering exactly 22 projects, 25 letters, 36 hazards."""
    rows: list[Inspection] = []
    hazards: list[Hazard] = []
    plan = {2024: (8, None, 19, 27), 2025: (11, 22, 25, 36), 2026: (11, None, 21, 34)}
    for year, (n, cover, letters, n_hazards) in plan.items():
        pool = sorted((p for p in active[year] if p.start < date(year, 1, 1)), key=lambda p: p.pid)
        pool = rng.sample(pool, cover or min(len(pool), 24))
        mine: list[Inspection] = []
        for i, day in enumerate(_inspection_dates(rng, year, n)):
            iid, kind = f"JC{year}-{i + 1:02d}", rng.choice(("拆除安全", "扬尘治理", "综合检查"))
            covered = pool[2 * i : 2 * i + 2] if cover else []
            extra = [p for p in pool if p not in covered]
            covered += rng.sample(extra, rng.randint(0 if cover else 2, 3))
            mine += [Inspection(iid, day, kind, p) for p in sorted(covered, key=lambda p: p.pid)]
        for _ in range(letters):
            rng.choice(mine).letters += 1
        hazards += [_hazard(rng, rng.choice(mine)) for _ in range(n_hazards)]
        rows += mine
    hazards.sort(key=lambda h: (h.inspection.day, h.inspection.project.pid, h.due, h.desc))
    seq: dict[int, int] = {}
    for hz in hazards:
        y = hz.inspection.day.year
        seq[y] = seq.get(y, 0) + 1
        hz.hid = f"YH{y}-{seq[y]:03d}"
    return rows, hazards


def active_projects(world: World) -> dict[int, list[Project]]:
    """Projects with a parcel or household event in each year (who gets inspected)."""
    out: dict[int, set] = {2024: set(), 2025: set(), 2026: set()}
    events = [(x.project, t) for x in world.parcels for t in (x.acquired, x.transferred) if t]
    events += [(h.project, t) for h in world.households for t in (h.signed, h.demolished) if t]
    for p, t in events:
        if t.year in out:
            out[t.year].add(p)
    return {y: sorted(s, key=lambda p: p.pid) for y, s in out.items()}


# ---------------------------------------------------------------- targets
DISTRICT_TARGETS = {
    2025: {
        "征地面积(亩)": "1379.1",
        "用地报批面积(亩)": "1200",
        "房屋征收户数": "190",
        "房屋征收面积(㎡)": "50000",
        "接房率(%)": "80",
        "安置项目交付数": "3",
        "尾欠户签约数": "30",
    },
    2026: {
        "征地面积(亩)": "1000",
        "用地报批面积(亩)": "900",
        "房屋征收户数": "80",
        "房屋征收面积(㎡)": "20000",
        "接房率(%)": "90",
        "安置项目交付数": "4",
        "尾欠户签约数": "61",
    },
}


def _town_split(rng: random.Random, actual: dict[str, int], total: int, pace: list[int]) -> list:
    """Town targets summing to total: target ∝ actual ÷ pace (pace in %, ahead > 100)."""
    towns = sorted(actual, key=N.TOWNS.index)
    order = rng.sample(towns, len(towns))
    paces = {t: pace[i] if i < len(pace) else rng.randint(85, 100) for i, t in enumerate(order)}
    nominal = max(1, sum(actual.values()) // (4 * len(towns)))
    weights = [max(actual[t], nominal) * 100 // paces[t] for t in towns]
    return list(zip(towns, apportion(total, weights)))


def build_targets(rng: random.Random, world: World) -> list[tuple]:
    rows = [(y, m, Decimal(v), None) for y, metrics in DISTRICT_TARGETS.items() for m, v in metrics.items()]
    land = {2025: {}, 2026: {}}
    for x in world.parcels:
        if x.acquired and x.acquired.year in land:
            land[x.acquired.year][x.project.town] = land[x.acquired.year].get(x.project.town, 0) + x.area
    ahead25 = [rng.randint(120, 190) for _ in range(12)] + [rng.randint(80, 95) for _ in range(2)]
    for town, tenths in _town_split(rng, land[2025], 13_791, sorted(ahead25, reverse=True)):
        rows.append((2025, "征地面积(亩)", Decimal(tenths).scaleb(-1), town))
    pace26 = [rng.randint(115, 140) for _ in range(3)] + [rng.randint(45, 70) for _ in range(3)]
    for town, tenths in _town_split(rng, land[2026], 10_000, pace26):
        rows.append((2026, "征地面积(亩)", Decimal(tenths).scaleb(-1), town))
    house = {"鸣玉镇": 0}  # planned signings there have not started
    for h in world.households:
        if h.signed and h.signed.year == 2026:
            house[h.project.town] = house.get(h.project.town, 0) + h.signed_m2
    for town, m2 in _town_split(rng, house, 20_000, [rng.randint(110, 130), rng.randint(50, 70)]):
        rows.append((2026, "房屋征收面积(㎡)", Decimal(m2), town))
    return rows

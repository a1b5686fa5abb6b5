"""Demo world, part 1: row types, exact-arithmetic helpers, projects and parcels.

Units: areas in 亩 are ints of 1e-4 亩, areas in ㎡ ints of 0.01 ㎡, money ints of 分 (cents).
Nothing here touches floats, so every total the 2025 review quotes is hit exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from warehouse.demo import names as N

AS_OF = date(2026, 11, 20)  # latest event date in every ledger
Y25B = date(2025, 12, 31)
MU = 10_000  # 1 亩 in area units

# The 2025 review's land figures (seed 000), in 1e-4 亩.
ACQUIRED_2025 = 20_340_000  # 征地 2034 亩
APPROVED_2025 = 13_422_445  # 用地报批 1342.2445 亩
TRANSFER_PROJECTS_2025 = 6


def d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def rdate(rng: random.Random, a: date, b: date) -> date:
    """Uniform date in [a, b]; b before a collapses to a."""
    return a + timedelta(days=rng.randint(0, max(0, (b - a).days)))


def plus(x: date, days: int) -> date:
    return x + timedelta(days=days)


def split_int(rng: random.Random, total: int, weights: list[int], lo: int = 1) -> list[int]:
    """Split an integer total into parts ≥ lo proportional to integer weights, exactly."""
    n = len(weights)
    free = total - lo * n
    if free < 0 or n == 0:
        raise ValueError(f"cannot split {total} into {n} parts of at least {lo}")
    wsum = sum(weights)
    parts = [lo + free * w // wsum for w in weights]
    for i in rng.sample(range(n), total - sum(parts)):  # floor lost < 1 unit per part
        parts[i] += 1
    return parts


def apportion(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder apportionment of an integer total (deterministic, no rng)."""
    wsum = sum(weights)
    parts = [total * w // wsum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % wsum), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(N.GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(N.SURNAMES) + given


@dataclass(slots=True, eq=False)
class Project:
    name: str
    kind: str
    sector: str
    town: str
    is_key: bool
    start: date
    planned_end: date | None
    land_role: str  # H house only; A_both/A_appr/A_acq active 2025; O old; N 2026; P 前期
    tenure: str | None = None  # state / collective for house projects
    spec: tuple | None = None  # the HOUSE_PROJECTS row, if any
    pid: str = ""
    planned_mu: int | None = None
    planned_hh: int | None = None
    planned_m2: int | None = None
    status: str = "实施中"
    lead: str = ""
    note: str = ""


@dataclass(slots=True, eq=False)
class Parcel:
    project: Project
    area: int  # 1e-4 亩
    land_use: str | None = None
    approved: date | None = None
    acquired: date | None = None
    transferred: date | None = None
    pid: str = ""


@dataclass
class World:
    projects: list = field(default_factory=list)
    parcels: list = field(default_factory=list)
    households: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    units: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    petitions: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    hazards: list = field(default_factory=list)
    targets: list = field(default_factory=list)


# ---------------------------------------------------------------- projects
ROLE_STARTS = {
    "A_both": ("2022-01-01", "2025-03-31"),
    "A_appr": ("2023-06-01", "2025-06-30"),
    "A_acq": ("2021-03-01", "2024-10-31"),
    "O": ("2016-01-01", "2022-06-30"),
    "N": ("2025-07-01", "2026-06-30"),
    "P": ("2026-05-01", "2026-10-31"),
}
SECTOR_WEIGHTS = {"基础设施": 34, "乡村振兴": 24, "工业商贸": 16, "文旅康养": 13, "民生保障": 13}


def _unique_name(rng: random.Random, sector: str, town: str, used: set[str]) -> str:
    for _ in range(200):
        other = rng.choice([t for t in N.TOWNS if t != town]).removesuffix("街道").removesuffix("镇")
        name = rng.choice(N.NAME_TEMPLATES[sector]).format(t=town, u=other) + rng.choice(N.PHASES)
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of project names")


def _start_for(rng: random.Random, role: str) -> date:
    a, b = ROLE_STARTS[role]
    return rdate(rng, d(a), d(b))


def build_projects(rng: random.Random) -> list[Project]:
    projects: list[Project] = []
    for spec in N.HOUSE_PROJECTS:
        name, town, kind, sector, key, start, end, tenure, role = spec[:9]
        projects.append(Project(name, kind, sector, town, key, d(start), d(end), role, tenure, spec))
    for name, town, sector, key, role in N.SEED_LAND_PROJECTS:
        start = _start_for(rng, role)
        projects.append(Project(name, "土地征收", sector, town, key, start, plus(start, rng.randint(700, 1500)), role))
    used = {p.name for p in projects}
    sectors, sweights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    for role, count in N.GENERATED_ROLES.items():
        for _ in range(count):
            sector = rng.choices(sectors, sweights)[0]
            rural = sector == "乡村振兴"  # farms and villages are in 镇, not 街道
            town = rng.choice([t for t in N.TOWNS if t.endswith("镇")] if rural else N.TOWNS)
            start = _start_for(rng, role)
            projects.append(
                Project(
                    _unique_name(rng, sector, town, used),
                    "土地征收",
                    sector,
                    town,
                    rng.random() < 0.22,
                    start,
                    plus(start, rng.randint(700, 1600)),
                    role,
                )
            )
    _assign_project_ids(projects)
    for p in projects:
        p.lead = rng.choice(N.LEADS)
        p.note = rng.choice(N.PROJECT_NOTES) if p.is_key else ""
    return projects


def _assign_project_ids(projects: list[Project]) -> None:
    """NCZS-<立项年>-<seq>, numbered in order of 立项日期 within the year."""
    projects.sort(key=lambda p: (p.start, p.name))
    seq: dict[int, int] = {}
    for p in projects:
        seq[p.start.year] = seq.get(p.start.year, 0) + 1
        p.pid = f"NCZS-{p.start.year}-{seq[p.start.year]:03d}"


# ---------------------------------------------------------------- parcels
def _land_use(rng: random.Random, p: Project) -> str | None:
    return None if rng.random() < 0.06 else rng.choice(N.LAND_USE_BY_SECTOR[p.sector])


def _old_parcel(rng: random.Random, p: Project, area: int, may_transfer_2026: bool) -> Parcel:
    """A parcel whose approval, acquisition and transfer all fall before 2025."""
    end = date(2024, 12, 31)
    approved = rdate(rng, plus(p.start, 20), min(plus(p.start, 900), plus(end, -90)))
    acquired = rdate(rng, plus(approved, 5), min(plus(approved, 300), plus(end, -30)))
    transferred = None
    if rng.random() < 0.8:
        transferred = rdate(rng, plus(acquired, 3), min(plus(acquired, 200), end))
    elif may_transfer_2026 and rng.random() < 0.5:
        transferred = rdate(rng, date(2026, 1, 5), AS_OF)
    if p.sector == "乡村振兴" and rng.random() < 0.3:
        approved = None  # no 农转用 approval needed for some rural uses
    return Parcel(p, area, _land_use(rng, p), approved, acquired, transferred)


def _after_2025_transfer(rng: random.Random, acquired: date) -> date | None:
    return rdate(rng, max(acquired, date(2026, 1, 5)), AS_OF) if rng.random() < 0.45 else None


def _category_slots(rng: random.Random, active: list[Project]) -> dict[str, list[Project]]:
    """One entry per parcel to create in each 2025 category (C1 approved+acquired,
    C2 approved only, C3 acquired only); the role fixes which projects count where."""
    slots: dict[str, list[Project]] = {"C1": [], "C2": [], "C3": []}
    for p in active:
        if p.land_role == "A_both":
            slots["C1"] += [p] * rng.randint(1, 3)
            if rng.random() < 0.3:
                slots["C2"].append(p)
            if rng.random() < 0.3:
                slots["C3"].append(p)
        elif p.land_role == "A_appr":
            slots["C2"] += [p] * rng.randint(1, 3)
        else:
            slots["C3"] += [p] * rng.randint(1, 4)
    return slots


def _weight(rng: random.Random, p: Project) -> int:
    big = p.sector in ("工业商贸", "文旅康养")
    return rng.randint(40, 400) if big else rng.randint(20, 200)


def _parcels_2025(rng: random.Random, active: list[Project]) -> list[Parcel]:
    slots = _category_slots(rng, active)
    c1_total = rng.randint(650 * MU, 900 * MU)
    totals = {"C1": c1_total, "C2": APPROVED_2025 - c1_total, "C3": ACQUIRED_2025 - c1_total}
    out = []
    for cat in ("C1", "C2", "C3"):
        projs = slots[cat]
        areas = split_int(rng, totals[cat], [_weight(rng, p) for p in projs], lo=3000)
        for p, area in zip(projs, areas):
            first = max(plus(p.start, 30), date(2025, 1, 2))
            parcel = Parcel(p, area, _land_use(rng, p))
            if cat in ("C1", "C2"):
                parcel.approved = rdate(rng, first, date(2025, 10, 31) if cat == "C1" else date(2025, 12, 20))
            if cat == "C1":
                parcel.acquired = rdate(rng, plus(parcel.approved, 7), date(2025, 12, 28))
            if cat == "C3":
                parcel.acquired = rdate(rng, first, date(2025, 12, 28))
                if p.start <= date(2024, 9, 30) and rng.random() < 0.85:
                    parcel.approved = rdate(rng, plus(p.start, 20), date(2024, 12, 27))
            if parcel.acquired:
                parcel.transferred = _after_2025_transfer(rng, parcel.acquired)
            out.append(parcel)
    return out


def _transfers_2025(rng: random.Random, active: list[Project], parcels: list[Parcel]) -> list[Parcel]:
    """交地 in 2025 happens in exactly six projects: either a parcel acquired early in 2025
    is handed over later that year, or an older parcel (acquired 2024) is handed over."""
    pool = sorted((p for p in active if p.land_role != "A_appr" and p.start <= date(2023, 6, 30)), key=lambda p: p.pid)
    chosen = rng.sample(pool, TRANSFER_PROJECTS_2025)
    extra = []
    for p in chosen:
        early = [x for x in parcels if x.project is p and x.acquired and x.acquired <= date(2025, 9, 30)]
        if early and rng.random() < 0.6:
            x = rng.choice(early)
            x.transferred = rdate(rng, max(plus(x.acquired, 3), date(2025, 1, 6)), date(2025, 12, 30))
        else:
            x = _old_parcel(rng, p, rng.randint(5 * MU, 60 * MU), False)
            x.transferred = rdate(rng, date(2025, 1, 6), date(2025, 12, 30))
            extra.append(x)
    return extra


def _parcels_2026(rng: random.Random, projects: list[Project], parcels: list[Parcel]) -> list[Parcel]:
    """2026 征地: C2 parcels acquired this year plus new parcels, 84–92% of the 1000 亩 plan."""
    for x in parcels:
        if x.approved and x.approved.year == 2025 and not x.acquired and rng.random() < 0.6:
            x.acquired = rdate(rng, max(plus(x.approved, 10), date(2026, 1, 5)), AS_OF)
            if rng.random() < 0.3:
                x.transferred = rdate(rng, x.acquired, AS_OF)
    done = sum(x.area for x in parcels if x.acquired and x.acquired.year == 2026)
    goal = rng.randint(840 * MU, 920 * MU)
    cands = [p for p in projects if p.land_role.startswith("A_") or p.land_role == "N"]
    towns = sorted({p.town for p in cands}, key=N.TOWNS.index)
    town_areas = split_int(rng, goal - done, [rng.randint(1, 12) for _ in towns], lo=5 * MU)
    out = []
    for town, amount in zip(towns, town_areas):
        here = [p for p in cands if p.town == town]
        new = sorted((p for p in here if p.land_role == "N"), key=lambda p: p.pid)
        owners = new + [rng.choice(here) for _ in range(max(0, rng.randint(2, 5) - len(new)))]
        for p, area in zip(owners, split_int(rng, amount, [_weight(rng, p) for p in owners], lo=2000)):
            out.append(_parcel_2026(rng, p, area, acquire=True))
    for p in rng.sample(cands, 8):  # approvals still waiting for acquisition
        out.append(_parcel_2026(rng, p, rng.randint(3 * MU, 40 * MU), acquire=False))
    return out


def _parcel_2026(rng: random.Random, p: Project, area: int, acquire: bool) -> Parcel:
    first = max(plus(p.start, 15), date(2026, 1, 5))
    x = Parcel(p, area, _land_use(rng, p))
    x.approved = rdate(rng, first, plus(AS_OF, -40))
    if acquire:
        x.acquired = rdate(rng, plus(x.approved, 5), AS_OF)
        if rng.random() < 0.15 and p.land_role == "N":
            x.approved = None
        if rng.random() < 0.3:
            x.transferred = rdate(rng, x.acquired, AS_OF)
    return x


def build_parcels(rng: random.Random, projects: list[Project]) -> list[Parcel]:
    active = [p for p in projects if p.land_role.startswith("A_")]
    parcels = _parcels_2025(rng, active)
    for p in projects:
        n_old = 0
        if p.land_role == "O":
            n_old = rng.randint(2, 6)
        elif p.land_role.startswith("A_") and p.start <= date(2023, 6, 30) and rng.random() < 0.6:
            n_old = rng.randint(1, 3)
        for _ in range(n_old):
            parcels.append(_old_parcel(rng, p, rng.randint(2 * MU, 80 * MU), p.land_role != "O"))
        if p.name == "南川工业园区水江组团（一期）":  # the big ones clerks print as 1,234.5678
            parcels += [_old_parcel(rng, p, rng.randint(1000 * MU, 1300 * MU), False) for _ in range(2)]
        if p.land_role == "P":
            parcels += [Parcel(p, rng.randint(5 * MU, 90 * MU), _land_use(rng, p)) for _ in range(rng.randint(1, 2))]
    parcels += _transfers_2025(rng, active, parcels)
    parcels += _parcels_2026(rng, projects, parcels)
    _assign_parcel_ids(parcels)
    return parcels


def _assign_parcel_ids(parcels: list[Parcel]) -> None:
    """DK<year>-<seq>: the year of the parcel's first recorded step (立项 year if none)."""

    def first(x: Parcel) -> date:
        return min([t for t in (x.approved, x.acquired, x.transferred) if t] or [x.project.start])

    parcels.sort(key=lambda x: (first(x), x.project.pid, x.area))
    seq: dict[int, int] = {}
    for x in parcels:
        y = first(x).year
        seq[y] = seq.get(y, 0) + 1
        x.pid = f"DK{y}-{seq[y]:04d}"

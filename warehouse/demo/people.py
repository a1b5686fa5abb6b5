"""Demo world, part 2: households (被征收户) and resettlement (安置还房项目, 安置房源).

2025 house figures are built exactly: the 425 signings are three groups whose areas are
split from the review's totals (38 holdouts 24790.07 ㎡, G353's 39 with 14851.25 ㎡, the
other 348 with the rest of 112200 ㎡). Resettlement is driven by 产权调换 households: each
is routed to a site, chooses its flat(s) once the site is delivered, and moves in later.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from warehouse.demo import names as N
from warehouse.demo.world import AS_OF, Y25B, Project, d, person_name, plus, rdate, split_int

GROUP_TOTALS_2025 = {"h25": 2_479_007, "g353": 1_485_125, "s25": 7_255_868}  # 0.01 ㎡
UNITS_ALLOCATED_2025 = 6685  # allocated by 2025-12-31, all in delivered sites
UNITS_HANDED_2025 = 5348  # 接房 by 2025-12-31 → 接房率 80.0%
SIGNING_2025 = ("s25", "g353", "h25")


@dataclass(slots=True, eq=False)
class Household:
    project: Project
    owner: str
    group: str  # the segment kind it was generated from
    holdout: bool
    house_m2: int = 0  # 0.01 ㎡
    surveyed: date | None = None
    signed: date | None = None
    signed_m2: int | None = None
    agreed: int | None = None  # 分, set once its payments exist
    mode: str | None = None
    demolished: date | None = None
    hid: str = ""
    site: Site | None = None
    alloc: date | None = None
    n_units: int = 0
    moved_in: date | None = None  # first 接房 date


@dataclass(slots=True, eq=False)
class Site:
    sid: str
    name: str
    town: str
    started: date
    planned: date
    delivered: date | None
    spare: int  # units never allocated (capacity when undelivered)
    shops: bool
    total: int = 0


@dataclass(slots=True, eq=False)
class Unit:
    site: Site
    utype: str
    m2: int
    household: Household | None = None
    alloc: date | None = None
    handover: date | None = None
    cert: date | None = None
    uid: str = ""


# ---------------------------------------------------------------- households
def _sign_date(rng: random.Random, p: Project, seg: tuple) -> date | None:
    kind = seg[0]
    if kind in ("old", "s26"):
        return rdate(rng, d(seg[2]), d(seg[3]))
    if kind in ("s25", "g353"):
        return rdate(rng, max(plus(p.start, 20), date(2025, 1, 6)), date(2025, 12, 26))
    if kind == "h25":
        return rdate(rng, date(2025, 2, 10), date(2025, 12, 28))
    if kind == "h26":
        return rdate(rng, date(2026, 1, 12), AS_OF)
    return None  # hu / u: not signed yet


def _area_weight(rng: random.Random, h: Household) -> int:
    if h.holdout:
        return rng.randint(300, 1200) if h.group == "h25" else rng.randint(150, 400)
    if h.project.tenure == "state":
        return rng.randint(60, 160)
    return rng.randint(150, 400)


def _set_areas(rng: random.Random, hh: list[Household]) -> None:
    """Exact totals for the 2025 groups and for 2026 (84–92% of the 20,000 ㎡ plan)."""
    groups = {g: [h for h in hh if h.group == g] for g in GROUP_TOTALS_2025}
    groups["y26"] = [h for h in hh if h.signed and h.signed.year == 2026]
    totals = dict(GROUP_TOTALS_2025, y26=rng.randint(1_680_000, 1_840_000))
    for g, members in groups.items():
        lo = 15_000 if g == "h25" else 3000
        for h, area in zip(members, split_int(rng, totals[g], [_area_weight(rng, h) for h in members], lo)):
            h.signed_m2 = area
    for h in hh:
        if h.signed_m2 is None and h.signed:
            h.signed_m2 = rng.randint(4500, 16000) if h.project.tenure == "state" else rng.randint(9000, 42000)
        if h.signed_m2 is None:
            h.house_m2 = rng.randint(15_000, 60_000) if h.holdout else rng.randint(6000, 30000)
        else:
            extra = rng.randint(500, 4000) if rng.random() < 0.15 else 0  # 未认定的违法建筑
            h.house_m2 = h.signed_m2 + extra


def _mode(rng: random.Random, h: Household) -> str:
    if h.project.tenure == "state":
        return "产权调换" if rng.random() < 0.55 else "货币补偿"
    if h.signed >= date(2025, 7, 1):  # 安置补贴 policy drafted in 2025
        return rng.choices(["产权调换", "货币补偿", "安置补贴"], [55, 25, 20])[0]
    return "产权调换" if rng.random() < (0.5 if h.holdout else 0.75) else "货币补偿"


def _demolish(rng: random.Random, h: Household, works_2025: bool) -> date | None:
    if rng.random() < 0.02:
        return None
    dem = plus(h.signed, rng.randint(10, 150))
    if not works_2025 and dem.year == 2025:  # only the 12 projects of 2025 demolish in 2025
        dem = rdate(rng, h.signed, date(2024, 12, 31))
    return dem if dem <= AS_OF else None


def build_households(rng: random.Random, projects: list[Project]) -> list[Household]:
    hh: list[Household] = []
    for p in projects:
        if not p.spec:
            continue
        for seg in p.spec[9]:
            for _ in range(seg[1]):
                h = Household(p, person_name(rng), seg[0], seg[0] in ("h25", "h26", "hu"))
                h.signed = _sign_date(rng, p, seg)
                hh.append(h)
    _set_areas(rng, hh)
    works_2025 = {p.pid for p in projects if p.spec and any(s[0] in SIGNING_2025 for s in p.spec[9])}
    for h in hh:
        p = h.project
        if h.signed:
            h.mode = _mode(rng, h)
            h.demolished = _demolish(rng, h, p.pid in works_2025)
            h.surveyed = rdate(rng, max(plus(p.start, 5), plus(h.signed, -300)), plus(h.signed, -20))
            h.surveyed = min(h.surveyed, h.signed)
        else:
            h.surveyed = rdate(rng, plus(p.start, 10), min(plus(p.start, 300), AS_OF))
    for h in rng.sample(hh, 6):  # a handful never surveyed: load warnings
        h.surveyed = None
    hh.sort(key=lambda h: (h.project.pid, h.signed or AS_OF, h.owner))
    for i, h in enumerate(hh, 1):
        h.hid = f"HH-{i:06d}"
    return hh


# ---------------------------------------------------------------- resettlement
def _route(h: Household, sites: dict[str, Site]) -> Site:
    for code, until in h.project.spec[10]:
        if until is None or h.signed <= d(until):
            return sites[code]
    raise AssertionError("route table must end with an open route")


def _allocate(rng: random.Random, hh: list[Household], sites: dict[str, Site]) -> list[Household]:
    """Route 产权调换 households to sites; 选房 happens once the site is delivered."""
    movers = [h for h in hh if h.mode == "产权调换"]
    for h in movers:
        h.site = _route(h, sites)
        if h.site.delivered:
            wait = rng.randint(7, 60) if rng.random() < 0.85 else rng.randint(61, 240)
            alloc = plus(max(h.signed, h.site.delivered), wait)
            h.alloc = alloc if alloc <= AS_OF else None
        h.n_units = 2 if rng.random() < 0.45 else 1
    early = [h for h in movers if h.alloc and h.alloc <= Y25B]
    rng.shuffle(early)
    count = sum(h.n_units for h in early)
    for h in early:  # big families take two flats: fix the total
        if count > UNITS_ALLOCATED_2025 and h.n_units == 2:
            h.n_units, count = 1, count - 1
        elif count < UNITS_ALLOCATED_2025 and h.n_units == 1:
            h.n_units, count = 2, count + 1
    if count != UNITS_ALLOCATED_2025:
        raise AssertionError(f"cannot reach {UNITS_ALLOCATED_2025} allocated units (got {count})")
    return [h for h in movers if h.alloc]


def _unit_addresses(rng: random.Random, site: Site, units: list[Unit]) -> None:
    """Flats as AZ03-<栋>-<单元>-<楼层><房号>, shops as AZ03-MF-<n>."""
    code = site.sid.replace("-", "")
    floors, rooms = rng.randint(11, 32), rng.choice((2, 3, 4))
    flats = [u for u in units if u.utype == "住宅"]
    for i, u in enumerate(flats):
        per_building = 2 * (floors - 1) * rooms
        b, r = divmod(i, per_building)
        unit_no, r = divmod(r, (floors - 1) * rooms)
        floor, room = divmod(r, rooms)
        u.uid = f"{code}-{b + 1}-{unit_no + 1}-{floor + 2:02d}{room + 1:02d}"
    for i, u in enumerate(u for u in units if u.utype == "门面"):
        u.uid = f"{code}-MF-{i + 1:03d}"


def _site_units(rng: random.Random, site: Site, owners: list[Household]) -> list[Unit]:
    units = []
    for h in owners:
        for k in range(h.n_units):
            shop = k == 1 and site.shops and rng.random() < 0.25
            units.append(
                Unit(
                    site,
                    "门面" if shop else "住宅",
                    rng.randint(1800, 9000) if shop else rng.randint(5500, 13500),
                    h,
                    h.alloc,
                )
            )
    for _ in range(site.spare):
        shop = site.shops and rng.random() < 0.1
        units.append(
            Unit(site, "门面" if shop else "住宅", rng.randint(1800, 9000) if shop else rng.randint(5500, 13500))
        )
    rng.shuffle(units)
    _unit_addresses(rng, site, units)
    units.sort(key=lambda u: u.uid)
    site.total = len(units)
    return units


def _natural_handover(rng: random.Random, u: Unit) -> date | None:
    r = rng.random()
    if r < 0.04:
        return None  # allocated but never collected (yet)
    day = plus(u.alloc, rng.randint(121, 500) if r < 0.14 else rng.randint(3, 120))
    return day if day <= AS_OF else None


def _fix_handovers(rng: random.Random, units: list[Unit]) -> None:
    """Exactly 5348 接房 by 2025-12-31, then 85–88% of allocated units by the as-of date."""
    early = [u for u in units if u.alloc and u.alloc <= Y25B]
    done = [u for u in early if u.handover and u.handover <= Y25B]
    if len(done) > UNITS_HANDED_2025:  # push the latest-allocated ones into 2026
        done.sort(key=lambda u: (u.alloc, u.uid), reverse=True)
        need = len(done) - UNITS_HANDED_2025
        for u in rng.sample(done[: 3 * need], need):
            u.handover = rdate(rng, date(2026, 1, 4), AS_OF) if rng.random() < 0.7 else None
    else:
        waiting = [u for u in early if not u.handover or u.handover > Y25B]
        for u in rng.sample(waiting, UNITS_HANDED_2025 - len(done)):
            u.handover = rdate(rng, u.alloc, Y25B)
    allocated = [u for u in units if u.alloc]
    goal = len(allocated) * rng.randint(850, 880) // 1000
    handed = sum(1 for u in allocated if u.handover)
    if handed > goal:
        late = [u for u in allocated if u.handover and u.handover > Y25B]
        for u in rng.sample(late, handed - goal):
            u.handover = None
    else:
        open_ = [u for u in allocated if not u.handover]
        for u in rng.sample(open_, goal - handed):
            u.handover = rdate(rng, max(u.alloc, date(2026, 1, 2)), AS_OF)


def build_resettlement(rng: random.Random, hh: list[Household]) -> tuple[list[Site], list[Unit]]:
    sites = {s[0]: Site(s[0], s[1], s[2], d(s[3]), d(s[4]), d(s[5]), s[6], s[7]) for s in N.SITES}
    owners = _allocate(rng, hh, sites)
    units: list[Unit] = []
    for code in sorted(sites):
        mine = sorted((h for h in owners if h.site.sid == code), key=lambda h: (h.alloc, h.hid))
        units += _site_units(rng, sites[code], mine)
    for u in units:
        if u.alloc:
            u.handover = _natural_handover(rng, u)
    _fix_handovers(rng, units)
    for u in units:
        if u.handover and rng.random() < 0.85:
            cert = plus(u.handover, rng.randint(15, 200))
            u.cert = cert if cert <= AS_OF else None
        if u.household and u.handover:
            h = u.household
            h.moved_in = min(h.moved_in or u.handover, u.handover)
    return [sites[c] for c in sorted(sites)], units

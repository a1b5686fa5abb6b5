"""尾欠户 as of D: a project started after D is not there yet (as 项目进度 leaves it out), and a
household surveyed after D has not begun to wait. No wait is ever negative.

The small export set plus three holdouts: H6 in P1 without a survey date (waits from P1's start,
2024-03-01), H7 in P4 (started 2025-02-01) surveyed 2025-07-01, H4 in P3 started 2025-09-01 and
surveyed 2025-09-15. H2 (P1, surveyed 2025-01-12) was there already.
"""

import datetime as dt
from decimal import Decimal

import pytest

from tests.exports_fixture import GOOD_ROWS, table, write_csv
from tests.page_queries_support import rows
from warehouse.contract import LEDGER_BY_NAME
from warehouse.load.loader import load
from warehouse.runner import Warehouse
from warehouse.scope import Scope

JUNE, OCTOBER = dt.date(2025, 6, 1), dt.date(2025, 10, 1)


@pytest.fixture(scope="module")
def holdouts(tmp_path_factory):
    p1, p2 = GOOD_ROWS["projects"]
    later = dict(p2, project_id="P3", project_name="南山片区更新", start_date="2025-09-01", township="东城街道")
    surveyed_late = dict(p2, project_id="P4", project_name="北湖路拓宽", start_date="2025-02-01")
    h2 = GOOD_ROWS["households"][1]
    households = [
        *GOOD_ROWS["households"],
        dict(h2, household_id="H6", owner_name="王五", surveyed_date=""),
        dict(h2, household_id="H7", project_id="P4", owner_name="赵六", surveyed_date="2025-07-01"),
        dict(h2, household_id="H4", project_id="P3", owner_name="钱七", surveyed_date="2025-09-15"),
    ]
    folder = tmp_path_factory.mktemp("holdouts")
    exports = folder / "exports"
    exports.mkdir()
    changed = {"projects": [p1, p2, later, surveyed_late], "households": households}
    for ledger, good in GOOD_ROWS.items():
        write_csv(exports / f"{LEDGER_BY_NAME[ledger].title}导出.csv", table(ledger, changed.get(ledger, good)))
    result = load(exports, folder / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    with Warehouse(folder / "warehouse.duckdb") as wh:
        yield wh


def household(household_id, project_id, project_name, township, owner, surveyed, open_days):
    return {
        "household_id": household_id,
        "project_id": project_id,
        "project_name": project_name,
        "township": township,
        "owner_name": owner,
        "house_m2": Decimal("80.0000"),
        "surveyed_date": surveyed,
        "signed_date": None,
        "signed_m2": None,
        "agreed_yuan": None,
        "resettlement_mode": None,
        "state": "未签约",
        "signed_in_period": False,
        "open_days": open_days,
        "project_planned_end_date": dt.date(2026, 6, 30) if project_id == "P1" else None,
        "stranded": False,
    }


P1 = ("P1", "纵三路道路工程", "东城街道")
P3 = ("P3", "南山片区更新", "东城街道")
P4 = ("P4", "北湖路拓宽", "水江镇")


@pytest.mark.parametrize(
    "as_of,household_id,expected",
    [
        # surveyed and project started before D: from the survey, 2025-01-12 → 2025-06-01
        (JUNE, "H2", household("H2", *P1, "李四", dt.date(2025, 1, 12), 140)),
        (OCTOBER, "H2", household("H2", *P1, "李四", dt.date(2025, 1, 12), 262)),
        # no survey date: from the project's start, 2024-03-01
        (JUNE, "H6", household("H6", *P1, "王五", None, 457)),
        # surveyed after D: listed (a holdout of a started project), its wait not begun, the date blank
        (JUNE, "H7", household("H7", *P4, "赵六", None, None)),
        (OCTOBER, "H7", household("H7", *P4, "赵六", dt.date(2025, 7, 1), 92)),
        # project started after D (and surveyed after D): not there yet
        (JUNE, "H4", None),
        (OCTOBER, "H4", household("H4", *P3, "钱七", dt.date(2025, 9, 15), 16)),
    ],
    ids=[
        "surveyed",
        "surveyed-later-D",
        "no-survey-date",
        "surveyed-after-D",
        "surveyed-by-later-D",
        "project-started-after-D",
        "project-started-by-later-D",
    ],
)
def test_a_holdouts_wait_as_of_d(holdouts, as_of, household_id, expected):
    listed = rows(holdouts.run("holdouts_households", **Scope.for_year(2025, as_of).params()))
    assert [r for r in listed if r["household_id"] == household_id] == ([expected] if expected else [])
    assert all(r["open_days"] is None or r["open_days"] >= 0 for r in listed)


def test_the_unsurveyed_wait_last_and_the_late_project_is_left_out(holdouts):
    scope = Scope.for_year(2025, JUNE)
    listed = rows(holdouts.run("holdouts_households", **scope.params()), "household_id", "open_days")
    assert [(r["household_id"], r["open_days"]) for r in listed] == [
        ("H6", 457),
        ("H2", 140),
        ("H7", None),
    ]
    assert rows(holdouts.run("holdouts_summary", **scope.params())) == [
        {
            "holdouts_total": 3,
            "holdout_projects": 2,
            "holdouts_signed_to_date": 0,
            "clear_rate_pct": 0.0,
            "holdouts_signed_m2": Decimal("0.0000"),
        }
    ]
    by_project = rows(
        holdouts.run("holdouts_by_project", **scope.params()),
        "project_id",
        "holdouts",
        "signed",
        "unsigned",
        "clear_rate_pct",
        "signed_in_period",
        "oldest_open_days",
        "stranded",
    )
    assert by_project == [
        {
            "project_id": "P1",
            "holdouts": 2,
            "signed": 0,
            "unsigned": 2,
            "clear_rate_pct": 0.0,
            "signed_in_period": 0,
            "oldest_open_days": 457,
            "stranded": 0,
        },
        {
            "project_id": "P4",
            "holdouts": 1,
            "signed": 0,
            "unsigned": 1,
            "clear_rate_pct": 0.0,
            "signed_in_period": 0,
            "oldest_open_days": 0,  # nobody waits yet
            "stranded": 0,
        },
    ]


@pytest.mark.parametrize("as_of", [JUNE, OCTOBER], ids=str)
def test_the_holdouts_page_and_project_progress_count_the_same_projects(holdouts, as_of):
    scope = Scope.for_year(2025, as_of)
    progress = holdouts.run("projects_progress", **scope.params())
    progress = progress[progress["holdouts_total"] > 0]
    by_project = holdouts.run("holdouts_by_project", **scope.params())
    assert sorted(zip(progress["project_id"], progress["holdouts_total"], progress["holdouts_unsigned"])) == sorted(
        zip(by_project["project_id"], by_project["holdouts"], by_project["unsigned"])
    )

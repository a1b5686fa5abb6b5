"""A small, valid export set (all ten ledgers) that tests copy and then break one way each.

Rows are keyed by the contract's English names and written under the Chinese headers.
"""

from __future__ import annotations

import csv
from pathlib import Path

from warehouse.contract import LEDGER_BY_NAME

GOOD_ROWS: dict[str, list[dict]] = {
    "projects": [
        dict(
            project_id="P1",
            project_name="纵三路道路工程",
            kind="土地及房屋征收",
            sector="基础设施",
            township="东城街道",
            is_key="是",
            start_date="2024-03-01",
            planned_end_date="2026-06-30",
            planned_land_mu="30.5",
            planned_households="2",
            planned_house_m2="200",
            status="实施中",
            lead="王强",
        ),
        dict(
            project_id="P2",
            project_name="水江工业园配套",
            kind="土地征收",
            sector="工业商贸",
            township="水江镇",
            is_key="否",
            start_date="2025-01-10",
            planned_end_date="",
            planned_land_mu="40",
            planned_households="",
            planned_house_m2="",
            status="实施中",
            lead="",
        ),
    ],
    "parcels": [
        dict(
            parcel_id="D1",
            project_id="P1",
            area_mu="10.5",
            land_use="耕地",
            approved_date="2025-03-01",
            acquired_date="2025-04-01",
            transferred_date="2025-05-01",
        ),
        dict(
            parcel_id="D2",
            project_id="P2",
            area_mu="20.1234",
            land_use="林地",
            approved_date="",
            acquired_date="2025-06-01",
            transferred_date="",
        ),
    ],
    "households": [
        dict(
            household_id="H1",
            project_id="P1",
            owner_name="张三",
            house_m2="120.5",
            surveyed_date="2025-01-10",
            signed_date="2025-02-01",
            signed_m2="120.5",
            agreed_yuan="500000.00",
            resettlement_mode="产权调换",
            is_holdout="否",
            demolished_date="2025-03-01",
        ),
        dict(
            household_id="H2",
            project_id="P1",
            owner_name="李四",
            house_m2="80",
            surveyed_date="2025-01-12",
            signed_date="",
            signed_m2="",
            agreed_yuan="",
            resettlement_mode="",
            is_holdout="是",
            demolished_date="",
        ),
    ],
    "payments": [
        dict(
            payment_id="F1",
            project_id="P1",
            household_id="H1",
            fund_type="拆迁补偿费",
            amount_yuan="300000.00",
            applied_date="2025-02-05",
            review1_date="2025-02-06",
            review2_date="2025-02-08",
            review3_date="2025-02-10",
            paid_date="2025-02-15",
            status="已兑付",
        ),
        dict(
            payment_id="F2",
            project_id="P1",
            household_id="H1",
            fund_type="过渡安置费",
            amount_yuan="2000",
            applied_date="2025-03-01",
            review1_date="2025-03-02",
            review2_date="",
            review3_date="",
            paid_date="",
            status="待复审",
        ),
        dict(
            payment_id="F3",
            project_id="P2",
            household_id="",
            fund_type="工作经费",
            amount_yuan="5000.50",
            applied_date="2025-04-01",
            review1_date="",
            review2_date="",
            review3_date="",
            paid_date="",
            status="待初审",
        ),
    ],
    "resettlement_sites": [
        dict(
            site_id="S1",
            site_name="东城花园",
            township="东城街道",
            total_units="2",
            started_date="2023-01-01",
            planned_delivery_date="2024-12-31",
            delivered_date="2025-01-15",
        )
    ],
    "resettlement_units": [
        dict(
            unit_id="U1",
            site_id="S1",
            unit_type="住宅",
            unit_m2="90.5",
            household_id="H1",
            allocated_date="2025-02-10",
            handover_date="2025-03-10",
            certificate_date="",
        ),
        dict(
            unit_id="U2",
            site_id="S1",
            unit_type="门面",
            unit_m2="45",
            household_id="",
            allocated_date="",
            handover_date="",
            certificate_date="",
        ),
    ],
    "petitions": [
        dict(
            case_id="C1",
            received_date="2025-03-01",
            channel="来访",
            persons="3",
            petitioner_id="XFR1",
            project_id="P1",
            topic="补偿标准",
            is_backlog="否",
            closed_date="2025-03-20",
        ),
        dict(
            case_id="C2",
            received_date="2025-04-01",
            channel="书面",
            persons="1",
            petitioner_id="XFR1",
            project_id="",
            topic="其他",
            is_backlog="否",
            closed_date="2025-05-01",
        ),
    ],
    "inspections": [
        dict(inspection_id="J1", inspected_date="2025-05-10", inspection_type="拆除安全", project_id="P1", letters="2"),
        dict(inspection_id="J1", inspected_date="2025-05-10", inspection_type="拆除安全", project_id="P2", letters="1"),
    ],
    "hazards": [
        dict(
            hazard_id="Y1",
            inspection_id="J1",
            project_id="P1",
            description="围挡缺失",
            due_date="2025-05-20",
            rectified_date="2025-05-18",
            rechecked_date="2025-05-19",
            closed_date="2025-05-20",
        )
    ],
    "targets": [
        dict(year="2025", metric="征地面积(亩)", value="100", township=""),
        dict(year="2025", metric="房屋征收面积(㎡)", value="1000", township=""),
        dict(year="2025", metric="征地面积(亩)", value="40", township="东城街道"),
    ],
}


def headers(ledger: str) -> list[str]:
    return [c.header for c in LEDGER_BY_NAME[ledger].columns]


def table(ledger: str, rows: list[dict] | None = None) -> list[list[str]]:
    """Header row then data rows, in contract order."""
    cols = LEDGER_BY_NAME[ledger].columns
    rows = GOOD_ROWS[ledger] if rows is None else rows
    return [headers(ledger)] + [[r.get(c.name, "") for c in cols] for r in rows]


def write_csv(path: Path, cells: list[list[object]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(cells)
    return path


def write_good_set(folder: Path, skip: tuple[str, ...] = ()) -> Path:
    """One CSV per ledger, named freely (the loader goes by headers)."""
    folder.mkdir(parents=True, exist_ok=True)
    for ledger in GOOD_ROWS:
        if ledger not in skip:
            write_csv(folder / f"{LEDGER_BY_NAME[ledger].title}导出.csv", table(ledger))
    return folder

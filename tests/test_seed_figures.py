"""docs/metrics.md's seed table, row by row, through `python -m warehouse figures --year 2025` on the demo."""

import hashlib
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from warehouse.demo.exports import write_demo


def figures(warehouse, *args):
    run = subprocess.run(
        [sys.executable, "-m", "warehouse", "figures", "--warehouse", str(warehouse), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(run.stdout)


@pytest.fixture(scope="session")
def figures_2025(demo_warehouse):
    return figures(demo_warehouse, "--year", "2025")


SEED_TABLE = {
    "征地完成面积 2034 亩; target 1379.1 亩 → 147.49%": {
        "land_acquired_mu": "2034.0000",
        "land_target_mu": "1379.1000",
        "land_rate_pct": 147.49,
    },
    "土地征收项目 / 房屋征收项目 90 / 12": {"land_projects": 90, "house_projects": 12},
    "房屋征收 425 户, 112,200 ㎡; target 50,000 ㎡ → 224.4%": {
        "households_signed": 425,
        "house_signed_m2": "112200.0000",
        "house_target_m2": "50000.0000",
        "house_rate_pct": 224.4,
    },
    "用地报批 26 projects, 1342.2445 亩": {"land_approved_projects": 26, "land_approved_mu": "1342.2445"},
    "尾欠户 99; 38 signed in 2025 with 24790.07 ㎡": {
        "holdouts_total": 99,
        "holdouts_signed": 38,
        "holdouts_signed_m2": "24790.0700",
    },
    "兑付 征收补偿安置费 84,000,000 元; 拆迁补偿费 235,000,000 元": {
        "paid_yuan.征收补偿安置费": "84000000.00",
        "paid_yuan.拆迁补偿费": "235000000.00",
    },
    "安置还房项目 16 sites": {"resettlement_sites": 16},
    "累计接房 5348 套, 接房率 80.0%, target 80%": {
        "as_of": "2025-12-31",
        "handed_over_units": 5348,
        "handover_rate_pct": 80.0,
        "handover_target_pct": 80.0,
    },
    "信访 457/219/113/47/2/10/2": {
        "petitions": {
            "来访人次": 457,
            "下访人次": 219,
            "书面办结": 113,
            "复议诉讼办结": 47,
            "市级交办": 2,
            "中央巡视组交办": 10,
            "积案化解": 2,
        }
    },
    "安全 11 inspections / 22 projects / 25 整改函 / 36 hazards / 6 projects transferred": {
        "inspections": 11,
        "inspected_projects": 22,
        "letters": 25,
        "hazards": 36,
        "transferred_projects": 6,
    },
}


def pick(figures_json, key):
    value = figures_json
    for part in key.split("."):
        value = value[part]
    return value


@pytest.mark.parametrize("row", list(SEED_TABLE))
def test_seed_table_row(figures_2025, row):
    expected = SEED_TABLE[row]
    assert {key: pick(figures_2025, key) for key in expected} == expected


def test_g353_signed_in_2025(demo_warehouse):
    got = figures(demo_warehouse, "--year", "2025", "--project", "G353博览城至福南桥段改建工程")
    assert (got["households_signed"], got["house_signed_m2"]) == (39, "14851.2500")


def test_holdouts_sit_in_four_key_projects(demo_warehouse):
    import datetime as dt

    from tests.conftest import query
    from warehouse.scope import Scope

    params = Scope.for_year(2025, dt.date(2026, 11, 20), key_only=True).params()
    assert query(demo_warehouse, "holdouts_summary", **params).at[0, "holdout_projects"] == 4


def test_2026_targets_and_a_realistic_year_to_2026_11_20(demo_warehouse):
    got = figures(demo_warehouse, "--year", "2026")
    assert got["as_of"] == "2026-11-20"
    assert (got["land_target_mu"], got["house_target_m2"], got["handover_target_pct"]) == (
        "1000.0000",
        "20000.0000",
        90.0,
    )
    assert 60 < got["land_rate_pct"] < 100 and 60 < got["house_rate_pct"] < 100
    assert all(float(v) > 0 for v in got["pending_yuan"].values())
    towns = [
        "东城街道",
        "西城街道",
        "南城街道",
        "水江镇",
        "大观镇",
        "南平镇",
        "三泉镇",
        "兴隆镇",
        "鸣玉镇",
        "神童镇",
        "石墙镇",
        "金山镇",
        "头渡镇",
        "德隆镇",
    ]
    rates = [figures(demo_warehouse, "--year", "2026", "--township", t)["land_rate_pct"] for t in towns[:6]]
    time_elapsed = 324 / 365 * 100  # 2026-11-20 is day 324
    assert any(r > time_elapsed for r in rates) and any(r < time_elapsed - 10 for r in rates)


def test_demo_is_deterministic_for_a_seed(tmp_path):
    def digest(folder):
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    write_demo(tmp_path / "a", seed=7)
    write_demo(tmp_path / "b", seed=7)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")

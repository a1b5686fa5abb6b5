"""The docs live in the repo: every page's 口径说明 finds its sections of docs/metrics.md, and
nothing in the repo points outside it for a definition."""

import subprocess

import pytest

from display import definitions
from tests.conftest import ROOT
from ui.navigation import PAGES

METRIC_SECTIONS = [
    "通用约定",
    "年度任务",
    "项目进度",
    "安置还房",
    "资金拨付",
    "信访",
    "尾欠户与平安征收",
    "预警",
    "周调度",
    "数据状态",
    "2025年核对数字",
    "命令行输出",
]


def test_metrics_md_has_its_sections_in_order():
    assert list(definitions.sections()) == METRIC_SECTIONS
    assert all(len(text) > 200 for text in definitions.sections().values())


@pytest.mark.parametrize("spec", [p for p in PAGES if p.section == "看板"], ids=lambda p: p.key)
def test_every_dashboard_page_shows_the_definitions_of_its_figures(spec):
    assert spec.definitions and set(spec.definitions) <= set(METRIC_SECTIONS)
    text = definitions.for_page(spec.definitions)
    assert all(f"**{title}**" in text for title in spec.definitions)
    assert not [line for line in text.splitlines() if line.startswith("#")], "no headings inside the expander"


def test_the_docs_cover_the_contract_and_operations():
    exports = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    from warehouse.contract import LEDGERS

    for ledger in LEDGERS:
        assert f"`{ledger.name}`" in exports, ledger.name
        for column in ledger.columns:
            assert column.header in exports, (ledger.name, column.header)
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for command in (
        "python -m warehouse load",
        "python -m warehouse rollback",
        "python -m warehouse backup",
        "python -m warehouse restore",
        "python -m warehouse briefing",
        "briefing --year $(date +\\%Y) --out /srv/简报包/全区 --send",
        "APP_ROBOT_URL",
        "APP_ROBOT_SECRET",
        "deploy/systemd/zhengshou-briefing.timer",
        "python -m access add",
        "config/thresholds.toml",
    ):
        assert command in operations, command


OUTSIDE = ("shared" + "/spec", "../" + "shared")  # spelled apart, so this file does not match itself


def test_nothing_in_the_repo_points_outside_it():
    patterns = [arg for pattern in OUTSIDE for arg in ("-e", pattern)]
    found = subprocess.run(["git", "grep", "-n", "-F", *patterns], cwd=ROOT, capture_output=True, text=True).stdout
    assert found == ""

"""One figure, one status: 接房率 and 征地 read the same value and the same status word on 总览,
安置还房 and 周调度, for the district and for a 科长 of 东城街道 (whose 接房率 is 89.99%, shown
as 89.99% and 滞后 everywhere, never "90.0%" beside 滞后)."""

import re

import pytest

from tests.demo_app_fixture import demo_app_env, open_page, table_with  # noqa: F401

_CARD = re.compile(
    r'<div class="kpi-label">(.*?)</div><div class="kpi-value">(.*?)</div>'
    r'(?:<div class="kpi-note">(?:<span style="[^"]*">● (.*?)</span>)?)?'
)


def cards(at) -> dict[str, tuple[str, str | None]]:
    """label → (value, status word) of every headline card on the page."""
    return {label: (value, word) for m in at.markdown for label, value, word in _CARD.findall(m.value)}


@pytest.mark.parametrize(
    ("username", "handover"),
    [("leader", ("86.90%", "滞后")), ("chief_dc", ("89.99%", "滞后"))],
)
def test_handover_rate_reads_alike_on_every_page(demo_app_env, username, handover):
    overview = cards(open_page("pages/overview_page.py", username))
    resettlement = cards(open_page("pages/resettlement_page.py", username))
    dispatch = table_with(open_page("pages/dispatch_page.py", username), "较上周").set_index("指标")
    value, word = handover
    assert overview["接房率"] == (value, word)
    assert resettlement["接房率"][0] == value and resettlement["接房率"][1] == word
    assert dispatch.loc["接房套数", ["完成率", "状态"]].tolist() == [f"接房率 {value}", word]


@pytest.mark.parametrize("username", ["leader", "chief_dc"])
def test_land_reads_alike_on_overview_and_dispatch(demo_app_env, username):
    overview = cards(open_page("pages/overview_page.py", username))
    dispatch = table_with(open_page("pages/dispatch_page.py", username), "较上周").set_index("指标")
    assert overview["征地完成面积"][1] == dispatch.at["征地面积", "状态"]

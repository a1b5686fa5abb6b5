"""In a real browser, on the demo data: a leader assigns a 督办事项 on 周调度, the chief of 东城街道
logs in elsewhere, sees the notice on his first page, follows it to 周调度 and closes the item."""

from access import supervision
from tests.browser_fixture import browser, demo_server, log_in, new_context, open_page, settled, shoot  # noqa: F401


def pick(page, label: str, option: str) -> None:
    """Choose in a Streamlit selectbox as a person would: open it, type, take the option."""
    box = page.get_by_label(label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option).first.click()
    settled(page, 500)


def test_a_leader_assigns_and_the_chief_sees_the_notice_and_closes(demo_server, browser):
    leader_context, chief_context = new_context(browser), new_context(browser)
    leader = open_page(leader_context, demo_server.url)
    leader.reload()  # a cold server's first form can be inert: one reload warms it
    settled(leader)
    log_in(leader, "leader")
    leader.goto(f"{demo_server.url}/dispatch")
    settled(leader, 2500)
    leader.get_by_text("交办督办事项").click()
    settled(leader, 800)
    pick(leader, "督办的镇街", "东城街道")
    pick(leader, "责任科长", "东城街道科长（东城街道）")
    leader.get_by_label("交办内容").fill("本周内完成剩余10户入户调查")
    leader.get_by_role("button", name="交办", exact=True).click()
    leader.get_by_text("已交办：东城街道 → 东城街道科长").wait_for(timeout=30000)
    shoot(leader, "supervision_assigned")

    chief = open_page(chief_context, demo_server.url)
    log_in(chief, "chief_dc")
    chief.get_by_text("您有 1 项督办事项未办结（其中逾期 0 项）").wait_for(timeout=30000)
    shoot(chief, "supervision_notice")
    chief.get_by_role("link", name="前往周调度办理").click()
    chief.get_by_label("进展或办结情况").wait_for(timeout=30000)
    settled(chief, 1500)
    chief.get_by_label("进展或办结情况").fill("10户全部完成")
    chief.get_by_role("button", name="办结", exact=True).click()
    chief.get_by_text("已办结：东城街道（按期办结）").wait_for(timeout=30000)
    shoot(chief, "supervision_closed")

    [item] = supervision.items_as_of(db=demo_server.db_url)
    assert (item.owner, item.assigned_by, item.status, item.latest_note) == (
        "chief_dc",
        "leader",
        "按期办结",
        "10户全部完成",
    )
    leader_context.close()
    chief_context.close()

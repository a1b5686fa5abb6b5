"""AppTest 信访: the seven figures of 2025, a 镇街 filter, a topic bar's cases, 信访人编号 masked by role."""

from access import roles
from display import formatting
from tests.demo_app_fixture import (  # noqa: F401
    DEMO_AS_OF,
    card_values,
    cards_by_label,
    demo_app_env,
    expected,
    open_page,
    table_with,
    texts,
)

PAGE = "pages/petitions_page.py"
TOPIC_KEY = "petition_topics"
SEVEN = ("来访人次", "下访人次", "书面办结", "复议诉讼办结", "市级交办", "中央巡视组交办", "积案化解")


def pick_topic(at, topic, index=0):
    at.session_state[TOPIC_KEY] = {
        "selection": {"points": [{"customdata": [topic, "x"]}], "point_indices": [index], "box": [], "lasso": []}
    }
    return at.run()


def test_2025_shows_the_seven_figures_of_the_review(demo_app_env):
    at = open_page(PAGE, year=2025)
    assert not at.exception
    shown, cards = " | ".join(texts(at)), card_values(at)
    assert {label: value for label, value in cards_by_label(at).items() if label in SEVEN} == {
        "来访人次": "457 人次",
        "下访人次": "219 人次",
        "书面办结": "113 件",
        "复议诉讼办结": "47 件",
        "市级交办": "2 件",
        "中央巡视组交办": "10 件",
        "积案化解": "2 件",
    }
    closure = expected("petitions_closure").iloc[0]
    repeat = expected("petitions_repeat_rate").iloc[0]
    assert {
        formatting.pct(closure["closure_rate_pct"]),
        f"{formatting.number(closure['mean_close_days'], 1)} 天",
        formatting.pct(repeat["repeat_rate_pct"]),
    } <= cards
    assert "数据截至 2025年12月31日 · 2025年 · 全区" in shown
    open_long = expected("petitions_open_long", extra={"days": 60})
    assert list(table_with(at, "已历时(天)")["信访编号"]) == list(open_long["case_id"])
    backlog = expected("petitions_backlog")
    shown_backlog = table_with(at, "化解状态")
    assert list(shown_backlog["信访编号"]) == list(backlog["case_id"])
    assert "None" not in shown_backlog.astype(str).to_numpy()  # blanks read "—"
    assert len(at.get("plotly_chart")) == 2


def test_a_town_filter_changes_the_figures_to_that_towns(demo_app_env):
    town = "东城街道"
    counts = expected("petitions_counts", township=town)
    at = open_page(PAGE, year=2025, towns=[town])
    assert not at.exception
    cards = card_values(at)
    for row in counts.itertuples():
        assert formatting.count(row.value, row.unit) in cards, row.figure
    assert "457 人次" not in cards and f"2025年 · {town}" in " | ".join(texts(at))
    open_long = expected("petitions_open_long", township=town, extra={"days": 60})
    assert list(table_with(at, "已历时(天)")["信访编号"]) == list(open_long["case_id"])
    assert set(table_with(at, "化解状态")["镇街"]) <= {town}


def test_a_topic_bar_lists_the_cases_of_that_topic(demo_app_env):
    at = pick_topic(open_page(PAGE, year=2025), "安置房", 1)
    assert not at.exception
    cases = expected("petitions_cases", extra={"channel": None, "topic": "安置房"})
    cases = cases[cases["received_in_period"]]
    topics = expected("petitions_by_topic").set_index("topic")
    detail = table_with(at, "信访人编号")
    assert len(detail) == len(cases) == topics.at["安置房", "received"]
    assert list(detail["信访编号"]) == list(cases["case_id"])
    assert set(detail["诉求类别"]) == {"安置房"}
    assert list(detail["信访人编号"]) == list(cases["petitioner_id"])  # 领导 sees the IDs
    assert "**诉求类别“安置房”：2025年登记的信访件" in " | ".join(texts(at))
    assert set(detail["积案"]) <= {"是", "否"} and "None" not in detail.astype(str).to_numpy()


def test_petitioner_ids_are_masked_for_a_chief(demo_app_env):
    at = pick_topic(open_page(PAGE, "chief", year=2025), "补偿标准")
    assert not at.exception
    cases = expected("petitions_cases", extra={"channel": None, "topic": "补偿标准"})
    cases = cases[cases["received_in_period"]]
    shown = list(table_with(at, "信访人编号")["信访人编号"])
    assert shown == [roles.mask_id(v) for v in cases["petitioner_id"]]
    assert not set(shown) & set(cases["petitioner_id"].dropna())

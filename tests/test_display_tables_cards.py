"""How tables read (flags 是/否, blank texts and dates "—", numbers left numeric), ledger text kept
inert in markdown, and the HTML of a row of headline cards."""

import datetime as dt
import html
from decimal import Decimal

import pandas as pd
import pytest

from display.cards import Card, card_row_html
from display.formatting import plain
from display.tables import for_display
from warehouse import status


def test_flags_blanks_and_numbers():
    frame = pd.DataFrame(
        {
            "是否尾欠户": [True, False],
            "办结日期": [dt.date(2025, 3, 1), None],
            "项目名称": ["纵三路", None],
            "金额(元)": [Decimal("1.50"), None],
            "人次": [3, 4],
        }
    )
    shown = for_display(frame)
    assert shown.to_dict("list") == {
        "是否尾欠户": ["是", "否"],
        "办结日期": ["2025-03-01", "—"],
        "项目名称": ["纵三路", "—"],
        "金额(元)": [Decimal("1.50"), None],
        "人次": [3, 4],
    }


def test_texts_stay_on_their_rows():
    """Blanks and dates written in place whatever the rows' index (a filtered table keeps its own)."""
    frame = pd.DataFrame(
        {"项目名称": ["纵三路", None, "G353"], "办结日期": [None, dt.date(2025, 3, 1), None]}, index=[9, 4, 7]
    )
    shown = for_display(frame)
    assert shown.index.tolist() == [9, 4, 7]
    assert shown.to_dict("list") == {"项目名称": ["纵三路", "—", "G353"], "办结日期": ["—", "2025-03-01", "—"]}


@pytest.mark.parametrize(
    "text,shown",
    [
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert\(1\)\>"),
        (":red[纵三路]**道路**", r"\:red\[纵三路\]\*\*道路\*\*"),
        ("[点我](javascript:alert(1))", r"\[点我\]\(javascript\:alert\(1\)\)"),
        ("东城街道", "东城街道"),
        ("A&B_1", r"A\&B\_1"),
        # bare URLs and addresses: a word joiner where GFM would start a link
        ("http://evil.example", "http\u2060\\://evil\\.example"),
        ("见 WWW.x.cn", "见 WWW\u2060\\.x\\.cn"),
        ("a@b.cn", "a\u2060@b\\.cn"),
    ],
)
def test_ledger_text_is_inert_in_markdown(text, shown):
    assert plain(text) == shown


def test_a_row_of_cards_is_one_grid_with_a_column_per_card():
    row = card_row_html(
        [
            Card("征地完成面积", "879.21 亩", "目标 1,000.00 亩", status.ON_TRACK),
            Card("接房率", "86.9%", "目标 90.0%", status.FAR_BEHIND),
            Card("安置项目", "3 个"),
        ]
    )
    assert row == (
        '<div class="kpi-row" style="grid-template-columns:repeat(3,minmax(0,1fr))">'
        '<div class="kpi"><div class="kpi-label">征地完成面积</div><div class="kpi-value">879.21 亩</div>'
        '<div class="kpi-note"><span style="color:rgb(12, 90, 68)">● 正常</span> <span class="kpi-detail">目标 1,000.00 亩</span></div></div>'
        '<div class="kpi"><div class="kpi-label">接房率</div><div class="kpi-value">86.9%</div>'
        '<div class="kpi-note"><span style="color:rgb(158, 48, 59)">● 严重滞后</span> <span class="kpi-detail">目标 90.0%</span></div></div>'
        '<div class="kpi"><div class="kpi-label">安置项目</div><div class="kpi-value">3 个</div></div></div>'
    )


@pytest.mark.parametrize(
    "mark,shown",
    [(status.BEHIND, '<span style="color:rgb(155, 69, 25)">● 滞后</span> '), (status.NO_TARGET, ""), (None, "")],
)
def test_a_cards_mark(mark, shown):
    assert f'<div class="kpi-note">{shown}<span class="kpi-detail">无对应目标</span></div>' in card_row_html(
        [Card("x", "1", "无对应目标", mark)]
    )


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "A&B \"引号\" 'x'"])
def test_ledger_text_in_a_card_is_escaped(text):
    row = card_row_html([Card(text, text, text)])
    assert "<img" not in row and "<script" not in row and text not in row
    assert html.unescape(row).count(text) == 3


def test_each_column_is_as_wide_as_its_longest_text():
    """The grid measured Chinese short ("略低于序时进度" was cut to "略低于序时进"): widths come
    from the text, a Chinese character a full 14.5-px em, digits and Latin 7.4 px, 26 px padding."""
    from display.tables import column_widths

    frame = pd.DataFrame(
        {"指标": ["征地面积", "用地报批面积"], "状态": ["正常", "略低于序时进度"], "本周": ["24.5027", "0.0000"]}
    )
    assert column_widths(frame) == {"指标": 6 * 14.5 // 1 + 26, "状态": int(7 * 14.5) + 26, "本周": int(7 * 7.4) + 26}


def test_numbers_are_measured_as_the_grid_writes_them_within_bounds():
    from display.tables import column_widths

    frame = pd.DataFrame(
        {
            "金额(元)": [Decimal("122262623.11")],  # "122,262,623.11": 14 characters
            "完成率(%)": [87.9],  # "87.90%" is narrower than its header
            "人次": [3],
            "隐患描述": ["墙体开裂" * 40],
        }
    )
    assert column_widths(frame) == {
        "金额(元)": int(14 * 7.4) + 26,
        "完成率(%)": int(3 * 14.5 + 3 * 7.4) + 26,
        "人次": 56,
        "隐患描述": 340,
    }


def test_blank_cells_are_not_measured_and_dates_read_as_written():
    """A blank cell adds nothing to a width (not "None" or "NaT"); a date column is as wide as
    "2025-03-01"; the rows' index plays no part."""
    from display.tables import column_widths

    frame = pd.DataFrame(
        {
            "金额(元)": [Decimal("1234.5"), None],  # "1,234.5" is narrower than its header
            "办结日期": pd.to_datetime(["2025-03-01", None]),
            "备注": [None, "说明文字abc"],
        },
        index=[7, 9],
    )
    assert column_widths(frame) == {
        "金额(元)": int(3 * 14.5 + 2 * 7.4) + 26,
        "办结日期": int(10 * 7.4) + 26,
        "备注": int(4 * 14.5 + 3 * 7.4) + 26,
    }


def test_key_columns_are_pinned_only_when_a_table_is_wider_than_a_laptop():
    from display.tables import column_widths, pinned

    narrow = pd.DataFrame({"卡滞标记": ["红色·超30天"], "拨付单号": ["ZF-1"], "已等待(天)": [45]})
    assert pinned(narrow, column_widths(narrow)) == []
    wide = narrow.assign(**{f"备注{i}": ["很长很长的说明文字" * 2] for i in range(4)})
    assert pinned(wide, column_widths(wide)) == ["卡滞标记", "已等待(天)"]


def test_a_phone_reads_the_cards_as_one_paragraph():
    """Each card's label, figure and status word (none for 无对应目标 or no mark)."""
    from display.cards import summary

    rows = (
        (
            Card("征地完成面积", "879.21 亩", "目标 1,000.00 亩", status.SLIGHTLY_BEHIND),
            Card("接房率", "86.90%", "", status.BEHIND),
        ),
        (
            Card("兑付金额", "1.22 亿元", "征收补偿安置费 …"),
            Card("安置项目交付", "3 个", "无对应目标", status.NO_TARGET),
        ),
    )
    assert (
        summary(rows)
        == "征地完成面积 879.21 亩（略低于序时进度）；接房率 86.90%（滞后）；兑付金额 1.22 亿元；安置项目交付 3 个。"
    )

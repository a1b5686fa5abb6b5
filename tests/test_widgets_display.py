"""How tables read: flags 是/否, blank texts and dates "—", numbers left numeric."""
import datetime as dt
from decimal import Decimal

import pandas as pd

from ui.widgets import for_display


def test_flags_blanks_and_numbers():
    frame = pd.DataFrame({"是否尾欠户": [True, False], "办结日期": [dt.date(2025, 3, 1), None],
                          "项目名称": ["纵三路", None], "金额(元)": [Decimal("1.50"), None], "人次": [3, 4]})
    shown = for_display(frame)
    assert shown.to_dict("list") == {"是否尾欠户": ["是", "否"], "办结日期": ["2025-03-01", "—"],
                                     "项目名称": ["纵三路", "—"], "金额(元)": [Decimal("1.50"), None], "人次": [3, 4]}


import pytest  # noqa: E402

from ui.widgets import plain  # noqa: E402


@pytest.mark.parametrize("text,shown", [
    ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert\(1\)\>"),
    (":red[纵三路]**道路**", r"\:red\[纵三路\]\*\*道路\*\*"),
    ("[点我](javascript:alert(1))", r"\[点我\]\(javascript\:alert\(1\)\)"),
    ("东城街道", "东城街道"),
    ("A&B_1", r"A\&B\_1"),
])
def test_ledger_text_is_inert_in_markdown(text, shown):
    assert plain(text) == shown

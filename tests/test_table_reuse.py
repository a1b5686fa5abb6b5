"""A table drawn again from the same frame (a cached build's, on every rerun and in every session)
is prepared for the screen once; each viewer still gets their own masking."""

import datetime as dt
import gc

import pandas as pd
import pyarrow as pa
import pytest

import ui.widgets as widgets
from ui import data
from ui.auth import Access
from warehouse.scope import Scope

SCOPE = Scope.for_year(2025, dt.date(2025, 11, 20))
LEADER = Access("leader", "领导", "领导", (), "key-leader")
CHIEF = Access("chief", "科长", "科长", ("东城街道",), "key-chief")


@pytest.fixture
def drawn(monkeypatch):
    """What each st.dataframe call was given, and how many times a frame was prepared."""
    calls = {"prepared": 0, "frames": [], "sent": [], "configs": []}
    real = widgets.for_display

    def counting(frame):
        calls["prepared"] += 1
        return real(frame)

    def dataframe(frame, **kwargs):
        calls["frames"].append(frame.to_pandas() if isinstance(frame, pa.Table) else frame)
        calls["sent"].append(frame)
        calls["configs"].append(kwargs["column_config"])

    monkeypatch.setattr(widgets, "for_display", counting)
    monkeypatch.setattr(widgets.st, "dataframe", dataframe)
    monkeypatch.setattr(widgets, "download", lambda *a, **k: None)
    data.clear_caches()
    return calls


def _households() -> pd.DataFrame:
    return pd.DataFrame({"户主姓名": ["张三", "欧阳娜娜"], "签约日期": [dt.date(2025, 3, 1), None]})


def test_the_same_frame_is_prepared_once_and_masked_per_viewer(drawn):
    frame = _households()
    for access in (CHIEF, LEADER, CHIEF):
        widgets.table(frame, "尾欠户", "households", SCOPE, access)
    assert drawn["prepared"] == 1
    assert [list(f["户主姓名"]) for f in drawn["frames"]] == [["张*", "欧***"], ["张三", "欧阳娜娜"], ["张*", "欧***"]]
    assert [list(f["签约日期"]) for f in drawn["frames"]] == [["2025-03-01", "—"]] * 3
    assert list(frame["户主姓名"]) == ["张三", "欧阳娜娜"]  # the build's own frame is left as it was


def test_a_pages_own_column_types_do_not_stick_to_the_shared_frame(drawn):
    frame = pd.DataFrame({"项目名称": ["纵三路"], "签约率(%)": [87.5]})
    widgets.table(
        frame, "项目", "projects", SCOPE, LEADER, column_config={"签约率(%)": {"help": "已签约户 ÷ 被征收户"}}
    )
    widgets.table(frame, "项目", "projects", SCOPE, LEADER)
    assert drawn["prepared"] == 1
    assert [c["签约率(%)"]["help"] for c in drawn["configs"]] == ["已签约户 ÷ 被征收户", None]
    assert drawn["configs"][0]["签约率(%)"]["width"] == drawn["configs"][1]["签约率(%)"]["width"]


def test_an_unmasked_table_is_sent_as_the_arrow_table_streamlit_would_make(drawn):
    """Made once with the shared frame (pyarrow's own conversion, as st.dataframe's), also for a
    viewer who may see the names; a masked table is sent as its frame, converted by Streamlit."""
    from display.tables import for_display

    plain = pd.DataFrame({"项目名称": ["纵三路", None], "金额(元)": [1.5, 2.25]})
    households = _households()
    widgets.table(plain, "项目", "projects", SCOPE, CHIEF)
    widgets.table(households, "尾欠户", "households", SCOPE, LEADER)
    widgets.table(households, "尾欠户", "households", SCOPE, CHIEF)
    arrow, names, masked = drawn["sent"]
    assert isinstance(arrow, pa.Table) and arrow.equals(pa.Table.from_pandas(for_display(plain)))
    assert isinstance(names, pa.Table) and names.equals(pa.Table.from_pandas(for_display(households)))
    assert isinstance(masked, pd.DataFrame) and list(masked["户主姓名"]) == ["张*", "欧***"]


def test_a_frame_made_afresh_is_prepared_afresh_and_forgotten_with_it(drawn):
    held = len(data._prepared)
    for name in ("张三", "李四"):
        widgets.listing(pd.DataFrame({"户主姓名": [name]}))
        gc.collect()
    assert drawn["prepared"] == 2
    assert [list(f["户主姓名"]) for f in drawn["frames"]] == [["张三"], ["李四"]]
    assert len(data._prepared) == held

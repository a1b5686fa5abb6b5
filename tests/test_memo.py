"""warehouse.memo and what uses it: equal content → the same object back, any difference → a new
build; shared results stay intact when a page changes its copy."""
import datetime as dt
import functools
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

from warehouse import charts, formatting
from warehouse.memo import Memo, Uncacheable, cells, content_key, memoized

BASE = pd.DataFrame({"town": ["东城街道", "兴隆镇"], "mu": [D("12.3400"), D("5.0000")],
                     "units": [3, 4], "day": [dt.date(2026, 1, 5), None], "rate": [81.5, np.nan]})


def changed(column, value, row=1):
    frame = BASE.copy()
    frame.loc[row, column] = value
    return frame


def same_as_base():
    return pd.DataFrame({"town": ["东城街道", "兴隆镇"], "mu": [D("12.3400"), D("5.0000")],
                         "units": [3, 4], "day": [dt.date(2026, 1, 5), None], "rate": [81.5, float("nan")]})


def test_equal_content_is_one_key_even_with_a_fresh_nan():
    assert content_key(BASE) == content_key(same_as_base())
    assert hash(content_key(BASE)) == hash(content_key(same_as_base()))


@pytest.mark.parametrize("other", [
    changed("town", "兴隆街道"),
    changed("mu", D("5.0001")),
    changed("units", 5),
    changed("day", dt.date(2026, 1, 6)),
    changed("rate", 0.0),
    BASE.rename(columns={"units": "套数"}),
    BASE.astype({"units": "float64"}),
    BASE.iloc[[1, 0]],
    BASE.iloc[:1],
    BASE[["mu", "town", "units", "day", "rate"]],
], ids=["text", "decimal", "int", "date", "nan-to-zero", "column-name", "dtype", "row-order", "fewer-rows",
        "column-order"])
def test_any_difference_is_another_key(other):
    assert content_key(other) != content_key(BASE)


@pytest.mark.parametrize("a, b, equal", [
    ((1, "a"), (1, "a"), True),
    ((1, "a"), (1, "b"), False),
    ({"x": [1, 2]}, {"x": [1, 2]}, True),
    ({"x": [1, 2]}, {"x": [2, 1]}, False),
    (1, 1.0, False),        # typed: an int and a float option are different options
    (True, 1, False),
    (None, "", False),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), True),
])
def test_plain_values(a, b, equal):
    assert (content_key(a) == content_key(b)) is equal


def _formatter(unit):
    return lambda v: formatting.count(v, unit)


def _page_lambda(unit):
    """The formatter a page script writes inline, as a rerun gets it: the script compiled again."""
    scope = {"formatting": formatting}
    exec(compile(f'fmt = lambda v: formatting.count(v, "{unit}")', "pages/some_page.py", "exec"), scope)
    return scope["fmt"]


def test_functions_are_their_code_and_what_they_capture():
    assert _page_lambda("件") is not _page_lambda("件")
    assert content_key(_page_lambda("件")) == content_key(_page_lambda("件"))
    assert content_key(_page_lambda("件")) != content_key(_page_lambda("项"))
    assert content_key(_formatter("件")) == content_key(_formatter("件"))
    assert content_key(_formatter("件")) != content_key(_formatter("项"))
    assert content_key(functools.partial(formatting.count, unit="户")) != \
        content_key(functools.partial(formatting.count, unit="套"))


def test_what_has_no_content_key_is_refused():
    with pytest.raises(Uncacheable):
        content_key(object())


def test_memoized_builds_once_per_content_and_goes_through_when_it_cannot_key():
    memo, calls = Memo(max_entries=8, max_cells=1_000_000), []

    @memoized(memo)
    def total(frame, extra=0):
        calls.append(1)
        return frame["units"].sum() + extra

    assert total(BASE) == 7 and total(same_as_base()) == 7 and len(calls) == 1
    assert total(changed("units", 10)) == 13 and len(calls) == 2
    assert total(BASE, extra=1) == 8 and len(calls) == 3
    unhashable = BASE.assign(units=[[1], [2]])   # a list in a cell: no key, called every time
    total.uncached(BASE)
    assert len(calls) == 4
    with pytest.raises(TypeError):
        total(unhashable)   # the function's own error, not the memo's
    assert memo.hits == 1 and memo.misses == 3


def test_memo_keeps_the_most_recent_entries():
    memo = Memo(max_entries=2, max_cells=1_000_000)
    for key in ("a", "b", "a", "c"):
        memo.get_or_make(key, lambda k=key: k.upper())
    assert len(memo) == 2
    assert memo.get_or_make("a", lambda: "rebuilt") == "A"      # used recently: kept
    assert memo.get_or_make("b", lambda: "rebuilt") == "rebuilt"  # the oldest: evicted


def frame_of(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"a": range(rows), "b": range(rows)})   # 2 cells a row


def test_memo_keeps_frames_within_its_cell_budget():
    memo = Memo(max_entries=100, max_cells=100)
    first = memo.get_or_make("a", lambda: frame_of(20))    # 40 cells
    memo.get_or_make("b", lambda: frame_of(20))            # 80
    memo.get_or_make("c", lambda: frame_of(20))            # 120 > 100: "a", the oldest, goes
    assert memo.size_in_cells == 80 and len(memo) == 2
    assert memo.get_or_make("a", lambda: "rebuilt") == "rebuilt"
    big = memo.get_or_make("big", lambda: frame_of(60))    # 120 cells: bigger than the budget
    assert len(big) == 60 and memo.get_or_make("big", lambda: "not kept") == "not kept"
    assert first is not None and memo.size_in_cells <= 100


def test_a_chart_from_equal_rows_is_the_same_figure_and_other_rows_another():
    options = dict(title="逐月征地面积", unit="亩", as_of=dt.date(2026, 11, 20), fmt=formatting.mu)
    first = charts.bar(BASE, "town", "mu", **options)
    assert charts.bar(same_as_base(), "town", "mu", **options) is first
    other = charts.bar(changed("mu", D("6")), "town", "mu", **options)
    assert other is not first and list(other.data[0].y) == [12.34, 6.0]
    assert charts.bar(BASE, "town", "mu", **(options | {"unit": "公顷"})).layout.yaxis.title.text == "公顷"


def test_series_colors_and_layout_are_options_not_changes_to_a_shared_figure():
    frame = pd.DataFrame({"stage": ["整改", "整改"], "status": ["按期", "逾期"], "n": [3, 1]})
    plain = charts.bar(frame, "stage", "n", title="隐患", color="status")
    marked = charts.bar(frame, "stage", "n", title="隐患", color="status", series_colors={"逾期": charts.BEHIND},
                        layout={"height": 360})
    assert [t.marker.color for t in plain.data] == [charts.COLORS[0], charts.COLORS[1]]
    assert [t.marker.color for t in marked.data] == [charts.COLORS[0], charts.BEHIND]
    assert plain.layout.height is None and marked.layout.height == 360


def test_a_page_changing_its_table_leaves_the_shared_one_alone():
    from ui.widgets import _prepared
    shown = _prepared(BASE).frame
    mine = shown.copy(deep=False)
    mine["town"] = mine["town"].map(lambda v: v[0] + "**")
    again = _prepared(same_as_base()).frame
    assert again is shown
    assert list(again["town"]) == ["东城街道", "兴隆镇"] and list(mine["town"]) == ["东**", "兴**"]
    assert list(again["day"]) == ["2026-01-05", "—"]


def test_query_results_are_cached_per_load_and_params_and_copies_stay_private(small):
    from ui import data
    data.clear_caches()
    generation = small.snapshot()
    first = data.run(generation, "ledger_row_counts")
    first["rows"] = -1
    second = data.run(generation, "ledger_row_counts")
    assert (second["rows"] > 0).all()
    assert data.QUERIES.hits == 1 and data.QUERIES.misses == 1
    data.run(generation, "filter_options", as_of=dt.date(2026, 1, 1))
    data.run(generation, "filter_options", as_of=dt.date(2026, 1, 2))
    assert data.QUERIES.misses == 3
    data.clear_caches()
    assert len(data.QUERIES) == 0


def _row_counts(query, minimum):
    """A page's build: reads only its inputs and modules (ui.data.once)."""
    counts = query("ledger_row_counts")
    return counts[counts["rows"] >= minimum].reset_index(drop=True)


def test_once_builds_per_load_and_inputs_and_shares_the_result(small):
    from ui import data
    data.clear_caches()
    generation = small.snapshot()
    first = data.once(generation, _row_counts, 1)
    assert data.once(generation, _row_counts, 1) is first
    everything = data.once(generation, _row_counts, 0)
    assert everything is not first and len(everything) >= len(first) > 0
    assert data.VIEWS.misses == 2 and data.VIEWS.hits == 1


page_scope = dt.date(2026, 1, 1)   # a page variable


def _reads_a_page_variable(query):
    return query("filter_options", as_of=page_scope)


def test_once_refuses_a_build_that_reads_a_page_variable(small):
    from ui import data
    with pytest.raises(TypeError, match=r"page_scope"):
        data.once(small.snapshot(), _reads_a_page_variable)


def _titled(rows, title):
    """A build for kept(): reads only its inputs."""
    return [f"{title}{row}" for row in rows]


def test_kept_builds_once_per_version_and_inputs():
    from ui import data
    data.clear_caches()
    first = data.kept(("log", 7), _titled, (1, 2), "行")
    assert first == ["行1", "行2"]
    assert data.kept(("log", 7), _titled, (1, 2), "行") is first
    assert data.kept(("log", 8), _titled, (1, 2), "行") is not first   # the source changed
    assert data.kept(("log", 7), _titled, (1, 2, 3), "行") == ["行1", "行2", "行3"]
    assert data.VIEWS.misses == 3 and data.VIEWS.hits == 1
    with pytest.raises(TypeError, match=r"page_scope"):
        data.kept(None, lambda: page_scope)


def test_memo_budgets_an_arrow_table_by_its_cells():
    import pyarrow as pa
    table = pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    assert cells(table) == 6 and cells((BASE, table)) == cells(BASE) + 6

"""本周变化: two loads of the small export set that differ by known rows (one a week after the
other), compared as two frozen weeks and as this week against last Sunday; the demo's week
checked against independent SQL counts; a chief held to his towns; the section on 周调度."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pandas as pd
import pytest

from display.views import changes as views
from tests.app_fixture import app_environment
from tests.demo_app_fixture import DEMO_AS_OF, demo_app_env, open_page, table_with, texts, unfold  # noqa: F401
from tests.exports_fixture import GOOD_ROWS, table, write_csv, write_good_set
from warehouse import changes, dispatch, snapshots
from warehouse.contract import LEDGER_BY_NAME
from warehouse.load.loader import load
from warehouse.runner import Warehouse
from warehouse.scope import Scope
from warehouse.settings import Thresholds

D1, D2 = dt.date(2025, 6, 1), dt.date(2025, 6, 8)  # two Sundays: last week's data, this week's
d = dt.date.fromisoformat

# In both loads: a petition and a hazard still open on D1.
C3 = dict(case_id="C3", received_date="2025-05-20", channel="来访", persons="2", petitioner_id="XFR2",
          project_id="P2", topic="补偿标准", is_backlog="否", closed_date="")  # fmt: skip
Y2 = dict(hazard_id="Y2", inspection_id="J1", project_id="P2", description="临边防护缺失", due_date="2025-05-25",
          rectified_date="", rechecked_date="", closed_date="")  # fmt: skip


def write(folder, ledger, rows):
    write_csv(folder / f"{LEDGER_BY_NAME[ledger].title}导出.csv", table(ledger, rows))


def week_later() -> dict[str, list[dict]]:
    """The good set a week on: F2 paid, F3 returned, U2 handed over to H2, H2 (a 尾欠户) signed,
    C3 closed and C4 received, Y2 closed and Y3 (due 6月5日, open: 隐患逾期) found, and 水江镇's
    parcel D3 approved (水江镇 passes 东城街道 in 用地报批面积)."""
    rows = {k: [dict(r) for r in v] for k, v in GOOD_ROWS.items()}
    rows["parcels"].append(dict(parcel_id="D3", project_id="P2", area_mu="30", land_use="林地",
                                approved_date="2025-06-02", acquired_date="", transferred_date=""))  # fmt: skip
    rows["households"][1].update(signed_date="2025-06-05", signed_m2="80", agreed_yuan="300000.00",
                                 resettlement_mode="产权调换")  # fmt: skip
    rows["payments"][1].update(review2_date="2025-06-03", review3_date="2025-06-04", paid_date="2025-06-05",
                               status="已兑付")  # fmt: skip
    rows["payments"][2].update(status="已退回")
    rows["resettlement_units"][1].update(household_id="H2", allocated_date="2025-06-02", handover_date="2025-06-06")
    rows["petitions"] += [
        dict(C3, closed_date="2025-06-04"),
        dict(
            case_id="C4",
            received_date="2025-06-03",
            channel="书面",
            persons="1",
            petitioner_id="XFR3",
            project_id="P1",
            topic="其他",
            is_backlog="否",
            closed_date="",
        ),  # fmt: skip
    ]
    rows["hazards"] += [
        dict(Y2, rectified_date="2025-06-02", rechecked_date="2025-06-03", closed_date="2025-06-04"),
        dict(
            hazard_id="Y3",
            inspection_id="J1",
            project_id="P1",
            description="消防通道堵塞",
            due_date="2025-06-05",
            rectified_date="",
            rechecked_date="",
            closed_date="",
        ),  # fmt: skip
    ]
    return rows


@pytest.fixture(scope="module")
def two_weeks(tmp_path_factory):
    """(last week's warehouse file, this week's), loaded as at D1 and D2."""
    root = tmp_path_factory.mktemp("changes")
    earlier = write_good_set(root / "a")
    write(earlier, "petitions", GOOD_ROWS["petitions"] + [C3])
    write(earlier, "hazards", GOOD_ROWS["hazards"] + [Y2])
    later = root / "b"
    shutil.copytree(earlier, later)
    for ledger, rows in week_later().items():
        write(later, ledger, rows)
    files = root / "a.duckdb", root / "b.duckdb"
    for folder, file, day in ((earlier, files[0], D1), (later, files[1], D2)):
        result = load(folder, file, day)
        assert result.ok, result.errors[:5]
    return files


def reading(path):
    generation = Warehouse(path).snapshot()
    return (lambda name, **params: generation.run(name, params)), generation.as_of


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if v is not None and v != v else v) for k, v in r.items()} for r in frame.to_dict("records")]


F2_PAID = {"payment_id": "F2", "project_id": "P1", "project_name": "纵三路道路工程", "township": "东城街道",
           "household_id": "H1", "fund_type": "过渡安置费", "amount_yuan": Decimal("2000.00"),
           "applied_date": d("2025-03-01"), "review1_date": d("2025-03-02"), "review2_date": d("2025-06-03"),
           "review3_date": d("2025-06-04"), "paid_date": d("2025-06-05")}  # fmt: skip
F3_RETURNED = {"payment_id": "F3", "project_id": "P2", "project_name": "水江工业园配套", "township": "水江镇",
               "household_id": None, "fund_type": "工作经费", "amount_yuan": Decimal("5000.50"),
               "applied_date": d("2025-04-01"), "review1_date": None, "review2_date": None,
               "review3_date": None}  # fmt: skip
U2 = {"unit_id": "U2", "site_id": "S1", "site_name": "东城花园", "township": "东城街道", "unit_type": "门面",
      "unit_m2": Decimal("45.0000"), "household_id": "H2", "allocated_date": d("2025-06-02"),
      "handover_date": d("2025-06-06"), "certificate_date": None}  # fmt: skip
C4 = {"case_id": "C4", "received_date": d("2025-06-03"), "channel": "书面", "persons": 1, "petitioner_id": "XFR3",
      "project_name": "纵三路道路工程", "township": "东城街道", "topic": "其他", "is_backlog": False,
      "closed_date": None}  # fmt: skip
C3_CLOSED = {"case_id": "C3", "received_date": d("2025-05-20"), "channel": "来访", "persons": 2,
             "petitioner_id": "XFR2", "project_name": "水江工业园配套", "township": "水江镇", "topic": "补偿标准",
             "is_backlog": False, "closed_date": d("2025-06-04")}  # fmt: skip
Y2_CLOSED = {"hazard_id": "Y2", "inspection_id": "J1", "project_name": "水江工业园配套", "township": "水江镇",
             "description": "临边防护缺失", "due_date": d("2025-05-25"), "rectified_date": d("2025-06-02"),
             "rechecked_date": d("2025-06-03"), "closed_date": d("2025-06-04")}  # fmt: skip
H2_SIGNED = {"household_id": "H2", "project_id": "P1", "project_name": "纵三路道路工程", "township": "东城街道",
             "owner_name": "李四", "signed_date": d("2025-06-05"), "signed_m2": Decimal("80.0000"),
             "agreed_yuan": Decimal("300000.00"), "resettlement_mode": "产权调换", "is_holdout": True}  # fmt: skip
RANK_UP = [{"metric": "用地报批面积(亩)", "township": "水江镇", "rank_before": 2, "rank_after": 1,
            "towns_ranked": 2, "rank_change": 1}]  # fmt: skip
RANK_DOWN = [
    {"metric": "用地报批面积(亩)", "township": "东城街道", "rank_before": 1, "rank_after": 2, "towns_ranked": 2,
     "rank_change": -1},
    # H2 signed: 东城街道 has one 尾欠户 signed, 水江镇 none; they were tied first
    {"metric": "尾欠户签约数", "township": "水江镇", "rank_before": 1, "rank_after": 2, "towns_ranked": 2,
     "rank_change": -1},
]  # fmt: skip
Y3_APPEARED = {"warning": "隐患逾期", "level": "红", "label": "消防通道堵塞 · 纵三路道路工程", "entity_id": "Y3",
               "started_date": d("2025-06-05"), "days_open": 3}  # fmt: skip
F2_STUCK = {"warning": "资金卡滞", "level": "红", "label": "纵三路道路工程 · 过渡安置费 · 待复审", "entity_id": "F2",
            "started_date": d("2025-03-02"), "days_open": 91}  # fmt: skip
F3_STUCK = {"warning": "资金卡滞", "level": "红", "label": "水江工业园配套 · 工作经费 · 待初审", "entity_id": "F3",
            "started_date": d("2025-04-01"), "days_open": 61}  # fmt: skip
Y2_OVERDUE = {"warning": "隐患逾期", "level": "红", "label": "临边防护缺失 · 水江工业园配套", "entity_id": "Y2",
              "started_date": d("2025-05-25"), "days_open": 7}  # fmt: skip

BETWEEN = {
    "兑付": [F2_PAID], "退回": [F3_RETURNED], "接房": [U2], "新增信访": [C4], "办结信访": [C3_CLOSED],
    "隐患销号": [Y2_CLOSED], "签约": [H2_SIGNED], "名次上升": RANK_UP, "名次下降": RANK_DOWN,
    "新增预警": [Y3_APPEARED], "解除预警": [F2_STUCK, F3_STUCK, Y2_OVERDUE],
}  # fmt: skip


@pytest.mark.parametrize("order", ["older_first", "newer_first"])
def test_two_frozen_weeks_differ_by_the_rows_changed(two_weeks, order):
    older, newer = (reading(p) for p in two_weeks)
    pair = (older, newer) if order == "older_first" else (newer, older)
    found = changes.between(*pair, Scope.for_year(2025, D2), Thresholds())
    assert (found.earlier, found.date_from, found.date_to, found.returns_known) == (D1, d("2025-06-02"), D2, True)
    assert {kind: records(rows) for kind, rows in found.rows.items()} == BETWEEN
    assert found.money("兑付") == Decimal("2000.00") and found.money("退回") == Decimal("5000.50")
    assert views.paragraph(found, Scope.for_year(2025, D2)) == (
        "6月2日—6月8日（数据截至6月1日与6月8日两次冻结之间），兑付 1 笔 0.20 万元；退回 1 笔 0.50 万元；"
        "接房 1 套；新增信访 1 件、办结 1 件；隐患销号 1 项；签约 1 户；镇街名次上升 1 项、下降 2 项；"
        "新增预警 1 条、解除 3 条。"
    )


def frozen_pair(two_weeks, folder):
    """A live warehouse that was last week's file, frozen, then this week's, frozen (as the page
    freezes: a hard link each); the live file is this week's."""
    live = folder / "data" / "warehouse.duckdb"
    live.parent.mkdir(parents=True)
    frozen = []
    for n, source in enumerate(two_weeks):
        shutil.copyfile(source, live.with_suffix(".new"))
        live.with_suffix(".new").replace(live)
        frozen.append(
            snapshots.freeze(live, dispatch.frozen_figures, frozen_by="领导", now=dt.datetime(2025, 6, 2 + n))
        )
    return live, frozen


def test_two_frozen_snapshots_compare_through_their_own_files(two_weeks, tmp_path):
    """The snapshots tell the week's change, whatever the live file has become since."""
    live, frozen = frozen_pair(two_weeks, tmp_path)
    live.unlink()
    found = changes.between(*(reading(s.warehouse_file) for s in frozen), Scope.for_year(2025, D2), Thresholds())
    assert records(found.rows["退回"]) == [F3_RETURNED] and records(found.rows["兑付"]) == [F2_PAID]


def test_this_week_against_last_sunday_on_the_later_load(two_weeks):
    """Live: last Sunday's state is the same ledgers read at D1. A return has no date, so none is
    reported; F3's warning, returned, is gone from last Sunday's reading too (已退回 never waits)."""
    run, _ = reading(two_weeks[1])
    found = changes.this_week(run, Scope.for_year(2025, D2), Thresholds())
    assert (found.earlier, found.date_from, found.date_to, found.returns_known) == (D1, d("2025-06-02"), D2, False)
    assert "退回" not in found.rows
    expected = {k: v for k, v in BETWEEN.items() if k != "退回"} | {"解除预警": [F2_STUCK, Y2_OVERDUE]}
    assert {kind: records(rows) for kind, rows in found.rows.items()} == expected
    assert views.kinds(found) == [k for k in changes.KINDS if k != "退回"]
    assert views.summary(found) == (
        "兑付 1 笔 0.20 万元；接房 1 套；新增信访 1 件、办结 1 件；隐患销号 1 项；签约 1 户；"
        "镇街名次上升 1 项、下降 2 项；新增预警 1 条、解除 2 条"
    )


def test_a_chief_held_to_his_town_sees_only_its_rows(two_weeks):
    older, newer = (reading(p) for p in two_weeks)
    scope = Scope.for_year(2025, D2, townships=["水江镇"], held_to_towns=True)
    found = changes.between(older, newer, scope, Thresholds())
    assert {kind: records(rows) for kind, rows in found.rows.items()} == {
        kind: [r for r in rows if r.get("township", "水江镇") == "水江镇" and "纵三路" not in r.get("label", "")]
        for kind, rows in BETWEEN.items()
    }
    assert records(found.rows["名次下降"]) == [RANK_DOWN[1]]  # his own move, ranked district-wide
    assert views.paragraph(found, scope) == (
        "6月2日—6月8日（数据截至6月1日与6月8日两次冻结之间），水江镇范围内，兑付 0 笔 0.00 万元；"
        "退回 1 笔 0.50 万元；接房 0 套；新增信访 0 件、办结 1 件；隐患销号 1 项；签约 0 户；"
        "镇街名次上升 1 项、下降 1 项；新增预警 0 条、解除 2 条。"
    )


def test_the_tables_read_in_chinese(two_weeks):
    found = views.between(*(reading(p) for p in two_weeks), Scope.for_year(2025, D2), Thresholds())
    assert found["tables"]["名次下降"].to_dict("records")[0] == {
        "年度任务": "用地报批面积(亩)", "镇街": "东城街道", "原名次": "第1/2", "现名次": "第2/2", "名次变化": "下降1位"
    }  # fmt: skip
    assert list(found["tables"]["退回"].columns) == [
        "拨付单号", "项目编号", "项目名称", "镇街", "户编号", "资金类别", "金额(元)", "申请日期", "初审日期",
        "复审日期", "终审日期",
    ]  # fmt: skip
    assert list(found["tables"]["接房"].columns)[6] == "分配户编号"
    for frame in found["tables"].values():
        assert all(not c.isascii() for c in frame.columns), list(frame.columns)


# ---- the demo's week, against counts made here -----------------------------------------------


def count(con, sql, **params):
    return con.execute(sql, params).fetchone()


def test_the_demo_week_agrees_with_independent_counts(demo_warehouse):
    import duckdb

    run, as_of = reading(demo_warehouse)
    assert as_of == DEMO_AS_OF
    found = changes.this_week(run, Scope.for_year(2026, as_of), Thresholds())
    start = dt.date(2026, 11, 16)
    con = duckdb.connect()
    con.execute("ATTACH $p AS wh (READ_ONLY)", {"p": str(demo_warehouse)})
    span = dict(a=start, b=as_of)
    paid = count(
        con, "SELECT count(*), sum(amount_yuan) FROM wh.clean.payments WHERE paid_date BETWEEN $a AND $b", **span
    )
    assert (found.count("兑付"), found.money("兑付")) == paid
    one = {
        "接房": "SELECT count(*) FROM wh.clean.resettlement_units WHERE handover_date BETWEEN $a AND $b",
        "新增信访": "SELECT count(*) FROM wh.clean.petitions WHERE received_date BETWEEN $a AND $b",
        "办结信访": "SELECT count(*) FROM wh.clean.petitions WHERE closed_date BETWEEN $a AND $b",
        "隐患销号": "SELECT count(*) FROM wh.clean.hazards WHERE closed_date BETWEEN $a AND $b",
        "签约": "SELECT count(*) FROM wh.clean.households WHERE signed_date BETWEEN $a AND $b",
    }
    assert {k: found.count(k) for k in one} == {k: count(con, sql, **span)[0] for k, sql in one.items()}
    # the ranking's own 较上周 column, counted up and down
    ranking = run("town_ranking", **Scope.for_year(2026, as_of).params(), last_to=dt.date(2026, 11, 15))
    moved = ranking["rank_change"].dropna()
    assert (found.count("名次上升"), found.count("名次下降")) == (int((moved > 0).sum()), int((moved < 0).sum()))
    # 资金卡滞 that opened this week: waiting over the yellow threshold at D and not at last Sunday
    appeared = found.rows["新增预警"]
    stuck_sql = """
        WITH cutoffs(x) AS (VALUES ($b::DATE), ($l::DATE)), waits AS (
            SELECT payment_id, x, CASE
                WHEN review1_date IS NULL OR review1_date > x THEN applied_date
                WHEN review2_date IS NULL OR review2_date > x THEN review1_date
                WHEN review3_date IS NULL OR review3_date > x THEN review2_date
                WHEN paid_date IS NULL OR paid_date > x THEN review3_date END AS since
            FROM wh.clean.payments, cutoffs WHERE status <> '已退回' AND applied_date <= x)
        SELECT payment_id FROM waits WHERE x = $b AND x - since > $y
        EXCEPT SELECT payment_id FROM waits WHERE x = $l AND x - since > $y"""
    stuck = con.execute(stuck_sql, {"b": as_of, "l": start - dt.timedelta(days=1), "y": 15}).fetchall()
    assert set(appeared.loc[appeared["warning"] == "资金卡滞", "entity_id"]) == {r[0] for r in stuck}
    assert len(stuck) > 0
    con.close()


# ---- on 周调度 -----------------------------------------------------------------------------------

PAGE = "pages/dispatch_page.py"


@pytest.mark.parametrize(
    "username, line, first, kind, rows_shown, towns",
    [
        (
            "leader",
            "兑付 24 笔 300.44 万元；接房 9 套；新增信访 7 件、办结 9 件；隐患销号 0 项；签约 1 户；"
            "镇街名次上升 3 项、下降 9 项；新增预警 5 条、解除 4 条",
            "兑付（24）",
            "名次下降",
            9,
            None,
        ),
        (
            "chief_dc",  # held to 东城街道: its rows and its own rank moves only
            "兑付 1 笔 44.14 万元；接房 3 套；新增信访 1 件、办结 1 件；隐患销号 0 项；签约 1 户；"
            "镇街名次上升 1 项、下降 1 项；新增预警 1 条、解除 1 条",
            "兑付（1）",
            "接房",
            3,
            {"东城街道"},
        ),
    ],
    ids=["leader", "chief_dc"],
)
def test_the_week_changes_on_the_dispatch_page(demo_app_env, username, line, first, kind, rows_shown, towns):
    at = open_page(PAGE, username=username)
    assert not at.exception
    assert line in texts(at)
    assert "本周（11月16日—11月20日，与上周日11月15日相比）；台账中“已退回”的拨付单没有退回日期" in " ".join(texts(at))
    picker = at.selectbox(key="week_changes_kind")
    assert picker.options[0] == first and not any(o.startswith("退回") for o in picker.options)
    at = picker.select(kind).run()
    rows = table_with(at, "名次变化" if kind.startswith("名次") else "接房日期")
    assert len(rows) == rows_shown
    if towns:
        assert set(rows["镇街"]) == towns


def test_two_frozen_weeks_compared_on_the_dispatch_page(two_weeks, tmp_path, monkeypatch):
    live, _ = frozen_pair(two_weeks, tmp_path)
    app_environment(live, tmp_path, monkeypatch)
    at = unfold(open_page(PAGE), "meeting_snapshots")
    assert not at.exception
    shown = texts(at)
    assert "**两次冻结之间的变化** · 6月2日—6月8日（数据截至6月1日与6月8日两次冻结之间）" in shown
    assert (
        "兑付 1 笔 0.20 万元；退回 1 笔 0.50 万元；接房 1 套；新增信访 1 件、办结 1 件；隐患销号 1 项；签约 1 户；"
        "镇街名次上升 1 项、下降 2 项；新增预警 1 条、解除 3 条"
    ) in shown
    at = at.selectbox(key="frozen_changes_kind").select("退回").run()
    returned = next(d.value for d in at.dataframe if "拨付单号" in d.value and "兑付日期" not in d.value)
    assert returned[["拨付单号", "镇街", "资金类别", "申请日期"]].to_dict("records") == [
        {"拨付单号": "F3", "镇街": "水江镇", "资金类别": "工作经费", "申请日期": "2025-04-01"}
    ]

"""AppTest: the data-status page shows the loaded warehouse honestly."""

from tests.app_fixture import app_env, login  # noqa: F401


def test_status_page_shows_as_of_rows_per_ledger_and_loads(app_env):
    at = login("chief")
    at.switch_page("pages/data_status_page.py").run()
    assert not at.exception
    assert any("数据截至 2025年6月1日" in m.value for m in at.markdown)
    ledgers = at.dataframe[0].value
    assert list(ledgers["台账"]) == [
        "项目台账",
        "地块台账",
        "被征收户台账",
        "资金拨付台账",
        "安置还房项目",
        "安置房源",
        "信访台账",
        "安全检查台账",
        "隐患整改台账",
        "年度目标",
    ]
    assert list(ledgers["记录数(行)"]) == [2, 2, 2, 3, 1, 2, 2, 2, 1, 3]
    loads = at.dataframe[1].value
    assert (list(loads["结果"]), list(loads["数据截至"]), list(loads["记录数"])) == (["成功"], ["2025-06-01"], [20])


def test_no_warehouse_yet_is_said_plainly(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "none.duckdb"))
    at = login("chief")
    assert not at.exception
    assert [w.value for w in at.warning] == ["尚未发布任何数据：请管理员在“数据管理”页上传并发布本周导出文件。"]
    at.switch_page("pages/data_status_page.py").run()
    assert "数据仓库不存在" in at.error[0].value


def test_a_warehouse_from_older_code_is_named_as_such_on_the_pages(app_env, live):
    import duckdb

    con = duckdb.connect(str(live))
    con.execute("UPDATE meta.load_info SET schema_version = 1")
    con.close()
    at = login("chief")
    assert not at.exception
    assert "由旧版本程序生成" in at.warning[0].value and "python -m warehouse load" in at.warning[0].value


def test_a_load_shows_in_the_load_list_on_the_next_rerun(app_env, live, good_dir):
    """The list is built once per state of the history file, so a new load (here a failed one,
    which changes no data) appears on the very next rerun, not after a restart."""
    from tests.exports_fixture import write_csv
    from warehouse.load.loader import load

    at = login("chief")
    at.switch_page("pages/data_status_page.py").run()
    assert list(at.dataframe[1].value["结果"]) == ["成功"]
    write_csv(good_dir / "多余.csv", [["无关表头"], ["x"]])
    assert not load(good_dir, live).ok
    at.run()
    assert not at.exception
    loads = at.dataframe[1].value
    assert (list(loads["结果"]), list(loads["数据截至"])) == (["失败", "成功"], ["—", "2025-06-01"])


def test_a_chief_held_to_his_towns_sees_no_district_row_counts(app_env):
    at = login("chief_dc")
    at.switch_page("pages/data_status_page.py").run()
    assert not at.exception
    assert any("数据截至 2025年6月1日" in m.value for m in at.markdown)  # how fresh the data is: yes
    [loads] = [d.value for d in at.dataframe]  # the per-ledger row counts are not drawn
    assert list(loads.columns) == ["加载时间", "类型", "结果", "数据截至", "文件数", "错误", "警告", "加载批次"]
    assert any("各台账记录数是全区的数字" in c.value for c in at.caption)

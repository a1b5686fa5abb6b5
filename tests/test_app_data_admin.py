"""AppTest: the data page's load history and its rollback choice, newest first."""

from tests.app_fixture import app_env, login  # noqa: F401
from tests.exports_fixture import write_csv
from warehouse.load import archive, history
from warehouse.load.loader import load


def test_the_load_history_and_the_rollback_choice_read_back_from_the_newest(app_env, live, good_dir):
    first = history.read(live)[-1]["load_id"]
    write_csv(good_dir / "多余.csv", [["无关表头"], ["x"]])
    assert not load(good_dir, live).ok
    (good_dir / "多余.csv").unlink()
    second = load(good_dir, live).load_id
    at = login("admin")
    at.switch_page("pages/data_admin_page.py").run()
    assert not at.exception
    loads = at.dataframe[0].value
    assert list(loads["结果"]) == ["成功", "失败", "成功"] and list(loads["批次"])[::2] == [second, first]
    assert [archive.load_id_of(p, live) for p in archive.published(live)] == [second, first]
    choice = next(s for s in at.selectbox if s.label == "回滚到最近发布的版本")
    assert choice.options == [f"{second}（数据截至 2025-06-01）", f"{first}（数据截至 2025-06-01）"]

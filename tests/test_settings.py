"""Warning thresholds: read from the editable file, defaults from metrics.md, RAG marks at the edges."""
import pytest

from warehouse import settings


def test_shipped_file_holds_the_defaults_of_metrics_md():
    assert settings.load() == settings.Thresholds(10, 20, 15, 30, 1095, 60)


def test_an_edited_file_changes_the_thresholds(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text("[\"资金卡滞\"]\n\"黄色_天\" = 10\n\"红色_天\" = 20\n", encoding="utf-8")
    got = settings.load(path)
    assert (got.stuck_yellow_days, got.stuck_red_days, got.petition_overdue_days) == (10, 20, 60)


@pytest.mark.parametrize("rate,elapsed,mark", [
    (147.49, 100.0, "绿"), (80.0, 88.77, "绿"), (78.77, 88.77, "黄"), (68.78, 88.77, "黄"),
    (68.77, 88.77, "红"), (None, 88.77, "灰"), (float("nan"), 50.0, "灰")])
def test_task_marks(rate, elapsed, mark):
    assert settings.Thresholds().task_mark(rate, elapsed) == mark

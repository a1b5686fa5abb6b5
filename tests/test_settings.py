"""Warning thresholds: read from the editable file, defaults as docs/metrics.md says."""

import os

import pytest

from warehouse import settings


def test_shipped_file_holds_the_defaults_of_metrics_md():
    assert settings.load() == settings.Thresholds(10, 20, 15, 30, 1095, 60)


def test_an_edited_file_changes_the_thresholds(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('["资金卡滞"]\n"黄色_天" = 10\n"红色_天" = 20\n', encoding="utf-8")
    got = settings.load(path)
    assert (got.stuck_yellow_days, got.stuck_red_days, got.petition_overdue_days) == (10, 20, 60)


def test_the_stale_data_days_are_read_from_the_file(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('["数据过期"]\n"提醒_天" = 14\n', encoding="utf-8")
    assert (settings.load().stale_after_days, settings.load(path).stale_after_days) == (7, 14)


def test_a_file_edited_while_the_app_runs_is_read_again(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('["数据过期"]\n"提醒_天" = 14\n', encoding="utf-8")
    assert settings.load(path).stale_after_days == 14
    path.write_text('["数据过期"]\n"提醒_天" = 3\n', encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))  # a later edit
    assert settings.load(path).stale_after_days == 3
    path.unlink()
    assert settings.load(path) == settings.Thresholds()


def test_a_negative_grace_period_is_refused_in_chinese(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('["过渡费超发"]\n"接房后续发_月" = -1\n', encoding="utf-8")
    with pytest.raises(settings.ThresholdsInvalid, match=r"\[过渡费超发\] 接房后续发_月 须为0或正整数，现为 -1"):
        settings.load(path)


@pytest.mark.parametrize(
    "text,said",
    [
        ('["资金卡滞"]\n"红色_天" = "三十"\n', "：[资金卡滞] 红色_天 须为整数，现为 '三十'"),
        ('["资金卡滞"]\n"红色_天" = [30]\n', "：[资金卡滞] 红色_天 须为整数，现为 [30]"),
        ('["资金卡滞"\n"红色_天" = 30\n', " 格式有误："),
    ],
    ids=["text", "list", "not-toml"],
)
def test_a_value_that_is_no_integer_is_refused_naming_file_key_and_value(tmp_path, text, said):
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(settings.ThresholdsInvalid) as refused:
        settings.load(path)
    assert str(refused.value).startswith(f"阈值文件 {path}{said}")

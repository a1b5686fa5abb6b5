"""The warning thresholds of config/thresholds.toml, as query parameters (the rule that reads
the task lags is warehouse.status), and the days after which the data counts as stale
(warehouse.freshness; no query reads it)."""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

THRESHOLDS_FILE = Path(
    os.environ.get("THRESHOLDS_FILE", Path(__file__).resolve().parent.parent / "config" / "thresholds.toml")
)


class ThresholdsInvalid(ValueError):
    """The thresholds file cannot be read: the message names the file, the key and its value."""


@dataclass(frozen=True)
class Thresholds:
    lag_yellow_points: int = 10
    lag_red_points: int = 20
    stuck_yellow_days: int = 15
    stuck_red_days: int = 30
    overdue_red_days: int = 1095
    petition_overdue_days: int = 60
    transition_grace_months: int = 0
    stale_after_days: int = 7

    def params(self) -> dict:
        return dict(self.__dict__)


def load(path: Path | None = None) -> Thresholds:
    """Read the file; a missing file or key keeps the default (docs/metrics.md, 预警)."""
    path = path or THRESHOLDS_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Thresholds()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> Thresholds:
    """Parsed once per version of the file: every run reads it (the stale-data banner), and an
    edit is seen on the next run (a new modification time or size is a new key)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsInvalid(f"阈值文件 {path} 格式有误：{exc}") from None

    def pick(section: str, key: str, default: int) -> int:
        value = data.get(section, {}).get(key, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ThresholdsInvalid(f"阈值文件 {path}：[{section}] {key} 须为整数，现为 {value!r}") from None

    d = Thresholds()
    grace = pick("过渡费超发", "接房后续发_月", d.transition_grace_months)
    if grace < 0:  # the exceptions' candidates (warehouse/sql/exception_candidates.sql) count on it
        raise ThresholdsInvalid(f"阈值文件 {path}：[过渡费超发] 接房后续发_月 须为0或正整数，现为 {grace}")
    return Thresholds(
        lag_yellow_points=pick("任务滞后", "黄色_百分点", d.lag_yellow_points),
        lag_red_points=pick("任务滞后", "红色_百分点", d.lag_red_points),
        stuck_yellow_days=pick("资金卡滞", "黄色_天", d.stuck_yellow_days),
        stuck_red_days=pick("资金卡滞", "红色_天", d.stuck_red_days),
        overdue_red_days=pick("安置逾期", "红色_天", d.overdue_red_days),
        petition_overdue_days=pick("信访超期", "超期_天", d.petition_overdue_days),
        transition_grace_months=grace,
        stale_after_days=pick("数据过期", "提醒_天", d.stale_after_days),
    )

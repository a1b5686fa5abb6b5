"""``python -m warehouse health``: the three things monitoring asks of a running installation,
one Chinese line each. The exit status adds up the failed checks (docs/operations.md, 健康检查):
1 the app does not answer /_stcore/health, 2 the warehouse cannot be opened and read, 4 the data
is older than config/thresholds.toml「数据过期」allows (the rule of warehouse/freshness.py)."""

from __future__ import annotations

import datetime as dt
import socket
import urllib.error
import urllib.request
from pathlib import Path

import duckdb

from warehouse import clock, freshness, settings
from warehouse.runner import Warehouse, WarehouseMissing

APP_DOWN, WAREHOUSE_UNREADABLE, DATA_STALE = 1, 2, 4


def check_app(url: str, timeout: float) -> str | None:
    """None when Streamlit answers its health endpoint with 200, else why not."""
    address = url.rstrip("/") + "/_stcore/health"
    try:
        with urllib.request.urlopen(address, timeout=timeout) as reply:
            reply.read()
        return None
    except urllib.error.HTTPError as exc:
        return f"{address} 返回 HTTP {exc.code}"
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ConnectionRefusedError):
            return f"{address} 拒绝连接（应用未运行？）"
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            return f"{address} {timeout:g} 秒内无响应"
        return f"{address} 无法访问：{exc.reason}"
    except (TimeoutError, OSError) as exc:  # a timeout while reading the reply
        return f"{address} {timeout:g} 秒内无响应" if isinstance(exc, TimeoutError) else f"{address} 无法访问：{exc}"


def check_warehouse(path: Path) -> tuple[dt.date | None, str | None]:
    """(the data's as-of date, None) when the warehouse opens and answers, else (None, why not)."""
    try:
        with Warehouse(path) as wh:
            return wh.snapshot().as_of, None
    except WarehouseMissing as exc:
        return None, str(exc)
    except (duckdb.Error, OSError) as exc:
        first = str(exc).strip().splitlines()
        return None, f"{path} 无法打开：{first[0] if first else type(exc).__name__}"


def run(url: str, path: Path, timeout: float, today: dt.date | None = None) -> tuple[int, list[str]]:
    """(exit status, one line per check)."""
    status, lines = 0, []
    problem = check_app(url, timeout)
    if problem:
        status |= APP_DOWN
    lines.append(f"应用：{problem or '正常'}")

    as_of, problem = check_warehouse(path)
    if problem:
        status |= WAREHOUSE_UNREADABLE
        lines.append(f"数据仓库：{problem}")
        lines.append("数据时效：未检查（数据仓库无法读取）")
        return status, lines
    lines.append(f"数据仓库：正常（数据截至 {as_of.isoformat()}）")

    try:
        limit = settings.load().stale_after_days
    except settings.ThresholdsInvalid as exc:
        status |= DATA_STALE
        lines.append(f"数据时效：无法检查（{exc}）")
        return status, lines
    days = freshness.days_stale(as_of, today or clock.beijing_now().date(), limit)
    if days is None:
        lines.append("数据时效：正常")
    else:
        status |= DATA_STALE
        lines.append(f"数据时效：已 {days} 天未更新（超过 {limit} 天）")
    return status, lines

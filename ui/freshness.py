"""The stale-data banner at the top of every page (app.py draws it once per run): the data's
as-of date is more days before today than config/thresholds.toml allows (warehouse.freshness)."""

from __future__ import annotations

import streamlit as st

from display import formatting
from ui.data import snapshot
from warehouse import clock, freshness, settings


def banner(compact: bool = False) -> None:
    """compact: one short line of text for 投屏, where leadership must still see it without it
    pushing 本周最需关注 off the first screen (a warning box is three lines high at 22 px)."""
    as_of = snapshot().as_of
    limit = settings.load().stale_after_days
    days = freshness.days_stale(as_of, clock.beijing_now().date(), limit)
    if days is None:
        return
    if compact:
        st.markdown(f":orange-background[:orange[**数据截至{as_of.month}月{as_of.day}日，已{days}天未更新**]]")
    else:
        st.warning(
            f"数据截至 {formatting.date_cn(as_of)}，已 {days} 天未更新（超过 {limit} 天）。"
            "请管理员在“数据管理”页发布本周导出文件。"
        )

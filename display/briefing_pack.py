"""The 周调度 briefing pack: one ZIP with the tables as a workbook (a sheet each), the charts as
PNG images rendered on the server, and the briefing paragraph.

Images are drawn by kaleido driving the machine's Chromium (found on PATH, or BROWSER_PATH),
as wide as an A4 page's text at 300 dpi and as tall as their rows need (charts.EXPORT_*), each
with its title, unit, 数据截至, 口径 and filters (charts.style puts them there). One browser is
started per pack and reused for its images; a lock keeps two packs from sharing it.
"""

from __future__ import annotations

import io
import threading
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from display import charts, formatting, xlsx
from display.views import changes as change_views
from display.views import dispatch as views
from warehouse.dispatch import DispatchData
from warehouse.scope import Scope
from warehouse.settings import Thresholds

_render_lock = threading.Lock()


def charts_of(data: DispatchData, thresholds: Thresholds) -> dict[str, go.Figure]:
    """File name (no extension) → figure: the annual tasks, the warnings, each task's town ranking."""
    figures = {"01_年度任务完成率": views.tasks_chart(data, thresholds), "02_预警条数": views.warnings_chart(data)}
    for i, metric in enumerate(views.TASKS_RANKED, start=3):
        rows = views.ranking_rows(data, metric)
        if len(rows):
            figures[f"{i:02d}_镇街排名_{metric.split('(')[0]}"] = views.ranking_chart(
                rows, metric, data.scope, thresholds
            )
    return figures


def render_png(figures: dict[str, go.Figure]) -> dict[str, bytes]:
    import kaleido  # imported here: only the pack needs a browser

    out = {}
    with _render_lock:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            for name, fig in figures.items():
                width, height = charts.EXPORT_WIDTH, fig.layout.height or charts.EXPORT_HEIGHT
                fig = go.Figure(fig).update_layout(width=width, height=height)
                with warnings.catch_warnings():  # plotly passes browser options the shared server ignores
                    warnings.filterwarnings("ignore", message="The kopts argument is ignored")
                    out[name] = fig.to_image(format="png", width=width, height=height, scale=charts.EXPORT_SCALE)
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    return out


def file_name(data: DispatchData) -> str:
    """The pack's name, as the page's download and the command line write it."""
    return f"周调度简报包_{data.scope.as_of:%Y%m%d}.zip"


def build(
    data: DispatchData, thresholds: Thresholds, paragraph: str, images: dict[str, bytes] | None = None
) -> tuple[bytes, list[str]]:
    """The ZIP's bytes and the names of the files in it; images: the charts already drawn (the
    command line draws them once for the pack and the 通报)."""
    scope_text = formatting.scope_label(data.scope)
    title = f"周调度简报（{data.weeks.this_week.iso_label}）"
    sheets = views.numeric_sheets(data, thresholds)
    sheets["简报文字"] = pd.DataFrame({"简报": [paragraph]})
    workbook = xlsx.to_xlsx(sheets, title=title, as_of=data.scope.as_of, scope_text=scope_text)
    images = render_png(charts_of(data, thresholds)) if images is None else images
    stamp = data.scope.as_of.strftime("%Y%m%d")
    buffer = io.BytesIO()
    names = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        entries = [(f"周调度简报_{stamp}.xlsx", workbook), ("简报文字.txt", paragraph.encode("utf-8"))]
        entries += [(f"图表/{name}.png", png) for name, png in images.items()]
        for name, content in entries:
            pack.writestr(name, content)
            names.append(name)
    return buffer.getvalue(), names


def write(
    query, scope: Scope, thresholds: Thresholds, folder: Path, supervision: pd.DataFrame | None = None
) -> tuple[Path, list[str], Path]:
    """The pack the 周调度 page offers for `scope` (the same build of the page, views.week),
    written into folder (`python -m warehouse briefing`) with the 周调度通报 beside it; the pack's
    path, the files in it and the 通报's path. Written beside and then renamed: a scheduled job's
    reader never finds half a file."""
    from display import notice  # python-docx: only the command line's and the page's download need it

    shown = views.week(query, scope, thresholds)
    images = render_png(charts_of(shown["data"], thresholds))
    content, names = build(shown["data"], thresholds, shown["paragraph"], images)
    path = _put(folder, file_name(shown["data"]), content)
    changes = change_views.this_week(query, scope, thresholds)
    document = notice.build(shown["data"], thresholds, shown["paragraph"], images, changes, supervision)
    return path, names, _put(folder, notice.file_name(shown["data"]), document)


def _put(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    part = path.with_name(path.name + ".part")
    part.write_bytes(content)
    part.replace(path)
    return path

"""The load report, as clerks read it: a summary, then the problems row by row."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.contract import LEDGER_BY_NAME

if TYPE_CHECKING:
    import pandas as pd

REPORT_COLUMNS = ("级别", "文件", "工作表", "行号", "列", "值", "原因")
SHOWN_ON_CONSOLE = 50


def write_csv(issues, path: Path) -> Path:
    """The full report as a CSV Excel opens directly (UTF-8 with BOM)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(REPORT_COLUMNS)
        for i in issues:
            writer.writerow([inert(v) for v in (i.level, i.file, i.sheet, i.row or "", i.column, i.value, i.reason)])
    return path


# A cell Excel would read as a formula (=HYPERLINK(…), +, -, @, or a tab or CR before one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A clerk's text as Excel shows it, never run: a leading apostrophe keeps =HYPERLINK(…) text."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def format_issue(i) -> str:
    where = i.file + (f"［{i.sheet}］" if i.sheet else "")
    if i.row:
        where += f" 第{i.row}行"
    if i.column:
        where += f" “{i.column}”列"
    value = f" 值“{i.value}”" if i.value else ""
    return f"[{i.level}] {where}{value}：{i.reason}" if where else f"[{i.level}] {i.reason}"


def write_json_report(path: Path | None, result, refused: str | None = None) -> None:
    """The whole outcome for the data page, which runs the loader as a separate process."""
    if path is None:
        return
    body = {"ok": False, "refused": refused}
    if result is not None:
        body = {
            "ok": result.ok,
            "refused": None,
            "load_id": result.load_id,
            "as_of": result.as_of.isoformat() if result.as_of else None,
            "seconds": round(result.seconds, 2),
            "phases": result.phases.in_order(),
            "ledger_rows": result.ledger_rows,
            "files": result.files,
            "issues": [i.as_dict() for i in result.issues],
        }
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def issues_frame(issues: list[dict]) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: a CLI load never builds a frame (0.3 s of import)

    return pd.DataFrame(
        [[i["level"], i["file"], i["sheet"], i["row"], i["column"], i["value"], i["reason"]] for i in issues],
        columns=list(REPORT_COLUMNS),
    )


def print_load_result(result, dry_run: bool = False) -> None:
    report = write_csv(result.issues, result.warehouse.parent / "load_reports" / f"{result.load_id}.csv")
    if result.ok and dry_run:
        print(f"校验通过（未发布）：数据截至 {result.as_of}，用时 {result.seconds:.1f} 秒")
    elif result.ok:
        print(f"加载成功：数据截至 {result.as_of}，用时 {result.seconds:.1f} 秒，仓库 {result.warehouse}")
        for name, rows in result.ledger_rows.items():
            print(f"  {LEDGER_BY_NAME[name].title:8s} {rows:>10,} 行")
        if result.warnings:
            print(f"警告 {len(result.warnings)} 条（已加载，详见 {report}）：")
            for i in result.warnings[:10]:
                print("  " + format_issue(i))
        return
    errors = result.errors
    print(
        f"{'校验' if dry_run else '加载'}失败：发现 {len(errors)} 条错误，数据仓库未改动（仍为上一次成功加载的数据）。"
    )
    for i in errors[:SHOWN_ON_CONSOLE]:
        print("  " + format_issue(i))
    if len(errors) > SHOWN_ON_CONSOLE:
        print(f"  …… 另有 {len(errors) - SHOWN_ON_CONSOLE} 条")
    print(f"完整报告：{report}")


def print_phases(result) -> None:
    """Seconds per phase (warehouse.load.phases): where a slow load's time went."""
    print(f"各阶段用时（秒，共 {result.seconds:.2f}；读取与暂存在两个核上重叠，各项按线程累计）：")
    for name, seconds in result.phases.in_order().items():
        print(f"  {name:　<10} {seconds:>8.2f}")


def issues_xlsx(frame: pd.DataFrame) -> bytes:
    import pandas as pd

    """The report as a workbook; cell text from clerks' files is never taken for a formula."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        frame.to_excel(writer, sheet_name="校验报告", index=False)
        writer.sheets["校验报告"].set_column(0, len(frame.columns) - 1, 18)
    return buffer.getvalue()

"""python -m warehouse: demo, load, rollback, figures, briefing, health, backup, restore."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from console import ChineseParser
from warehouse.load.report import print_load_result, print_phases, write_json_report

DEFAULT_WAREHOUSE = Path("data/warehouse.duckdb")
WAREHOUSE_HELP = f"数据仓库文件（默认 {DEFAULT_WAREHOUSE}）"
PARAGRAPH_FILE = "简报文字.txt"  # the pack's paragraph (display.briefing_pack), the robot's message


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from None


def _parser() -> argparse.ArgumentParser:
    parser = ChineseParser(
        prog="python -m warehouse", description="征收中心数据仓库：演示数据、加载、回滚、指标、周调度简报包、备份与恢复"
    )
    sub = parser.add_subparsers(dest="command", title="命令", metavar="<命令>", required=True)

    demo = sub.add_parser("demo", help="生成演示导出文件")
    demo.add_argument("dir", type=Path, metavar="目录", help="写入演示导出文件的文件夹")
    demo.add_argument("--scale", type=int, default=1, metavar="倍数", help="数据量倍数（基准测试用）")
    demo.add_argument(
        "--seed", type=int, default=2025, metavar="种子", help="随机种子，相同种子生成相同数据（默认2025）"
    )

    load = sub.add_parser("load", help="加载一组导出文件到数据仓库（先建后换）")
    load.add_argument("dir", type=Path, metavar="目录", help="一组导出文件所在的文件夹")
    load.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, metavar="仓库文件", help=WAREHOUSE_HELP)
    load.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="数据截至日期，默认取导出文件中最晚的业务日期")
    load.add_argument("--dry-run", action="store_true", help="只校验，不发布")
    load.add_argument(
        "--report-json", type=Path, metavar="文件", help="把结果与逐条问题写入此JSON文件（数据管理页使用）"
    )
    load.add_argument("--actor", metavar="姓名", help="发布人（记入加载记录）")
    load.add_argument("--verbose", action="store_true", help="另打印各阶段用时（读取、转码、暂存、类型转换、校验……）")

    back = sub.add_parser("rollback", help="回滚到最近发布过的某个版本")
    back.add_argument("load_id", metavar="加载批次", help="要恢复的加载批次（见“数据管理”页的加载记录）")
    back.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, metavar="仓库文件", help=WAREHOUSE_HELP)
    back.add_argument("--actor", metavar="姓名", help="操作人（记入加载记录）")

    figures = sub.add_parser("figures", help="以JSON输出指标（与页面同一SQL）")
    figures.add_argument("--year", type=int, required=True, metavar="年度", help="所选年度 Y")
    figures.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="截至日 D，默认取数据截至日期")
    figures.add_argument("--township", metavar="镇街", help="只算这个镇街")
    figures.add_argument("--sector", metavar="领域", help="只算这个项目领域")
    figures.add_argument("--key-only", action="store_true", help="只算重点项目")
    figures.add_argument("--project", metavar="项目", help="项目编号或项目名称")
    figures.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, metavar="仓库文件", help=WAREHOUSE_HELP)

    pack = sub.add_parser("briefing", help="生成周调度简报包与周调度通报（与周调度页下载的相同），供定时任务使用")
    pack.add_argument("--year", type=int, required=True, metavar="年度", help="所选年度 Y")
    pack.add_argument(
        "--as-of", type=_date, metavar="YYYY-MM-DD", help="数据截至日期，默认取数据仓库的数据截至日期（不能晚于它）"
    )
    pack.add_argument("--township", metavar="镇街", help="只含这一个镇街")
    pack.add_argument("--sector", metavar="领域", help="项目领域")
    pack.add_argument("--key-only", action="store_true", help="仅重点项目")
    pack.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, metavar="仓库文件", help=WAREHOUSE_HELP)
    pack.add_argument("--out", type=Path, required=True, metavar="目录", help="写入简报包和通报的目录（不存在则新建）")
    pack.add_argument(
        "--send",
        action="store_true",
        help="写好后推送到企业微信或钉钉群机器人：简报文字，以及机器人能收的文件（地址与密钥见运维手册）",
    )
    health = sub.add_parser(
        "health",
        help="健康检查：应用是否响应、数据仓库能否读取、数据是否过期（供定时任务与监控使用）",
        description="逐项检查并各打印一行；全部正常时退出状态为 0，否则为各失败项之和："
        "1 应用无响应，2 数据仓库无法读取，4 数据过期。",
    )
    health.add_argument(
        "--url", default="http://127.0.0.1:8501", metavar="地址", help="看板地址（默认 http://127.0.0.1:8501）"
    )
    health.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, metavar="仓库文件", help=WAREHOUSE_HELP)
    health.add_argument("--timeout", type=float, default=10, metavar="秒", help="等待应用响应的秒数（默认 10）")
    _backup_parsers(sub)
    return parser


DB_HELP = "应用数据库（账号、审计日志、督办事项）的 URL，默认取环境变量 APP_DB_URL，否则 sqlite:///data/app.db"


def _backup_parsers(sub) -> None:
    backup = sub.add_parser("backup", help="备份数据仓库、历史版本、冻结快照、加载记录和应用数据库（应用运行时也可）")
    backup.add_argument("dir", type=Path, metavar="目录", help="写入备份的新目录或空目录")
    backup.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, metavar="仓库文件", help=WAREHOUSE_HELP)
    backup.add_argument("--db", metavar="URL", help=DB_HELP)

    restore = sub.add_parser("restore", help="从备份目录恢复（先逐一核对校验值）")
    restore.add_argument("dir", type=Path, metavar="目录", help="备份目录（backup 命令写入的目录）")
    restore.add_argument(
        "--to",
        type=Path,
        default=DEFAULT_WAREHOUSE.parent,
        metavar="目录",
        help=f"恢复到的数据目录（默认 {DEFAULT_WAREHOUSE.parent}）",
    )
    restore.add_argument("--db", metavar="URL", help=DB_HELP)
    restore.add_argument("--force", action="store_true", help="目标已有数据仓库或应用数据库有数据时仍然覆盖")


def _backup(args, db_url: str) -> int:
    from warehouse.load.appdb import AppDbError
    from warehouse.load.backup import BackupRefused, backup, restore

    try:
        if args.command == "backup":
            done = backup(args.dir, args.warehouse, db_url)
        else:
            manifest = restore(args.dir, args.to, db_url, force=args.force)
    except BackupRefused as exc:
        print(f"{'备份' if args.command == 'backup' else '恢复'}被拒绝：{exc}", file=sys.stderr)
        return 2
    except (AppDbError, OSError) as exc:
        print(f"{'备份' if args.command == 'backup' else '恢复'}失败：{exc}", file=sys.stderr)
        return 1
    if args.command == "backup":
        m = done.manifest
        print(
            f"备份完成：{done.folder.resolve()}，{len(m['files'])} 个文件，共 {done.bytes / 1e6:.1f} MB，用时 {done.seconds:.1f} 秒"
        )
        print(f"数据截至 {m['as_of']}（加载批次 {m['load_id']}），应用数据库 {m['app_db']['kind']}")
        return 0
    print(
        f"已恢复到 {args.to.resolve()}：数据截至 {manifest['as_of']}（加载批次 {manifest['load_id']}，备份于 {manifest['created_at']}）"
    )
    return 0


def _write_failure(folder: Path, exc: OSError) -> str:
    from warehouse.load.loader import write_failure  # imported by the commands that need the loader

    return write_failure(folder, exc)


def _print_without_report(result, dry_run: bool, exc: OSError) -> None:
    """The outcome on the console when its report file cannot be written."""
    from warehouse.load.report import SHOWN_ON_CONSOLE, format_issue

    verb = "校验" if dry_run else "加载"
    if result.ok:
        print(f"{verb}成功：数据截至 {result.as_of}，用时 {result.seconds:.1f} 秒，仓库 {result.warehouse}")
    else:
        print(f"{verb}失败：发现 {len(result.errors)} 条错误，数据仓库未改动（仍为上一次成功加载的数据）。")
        for i in result.errors[:SHOWN_ON_CONSOLE]:
            print("  " + format_issue(i))
    reports = result.warehouse.parent / "load_reports"
    (reports / f"{result.load_id}.csv").unlink(missing_ok=True)  # report.print_load_result's file, cut short
    print(f"完整报告未能写入：{_write_failure(reports, exc)}", file=sys.stderr)


def _write_json_report(path: Path | None, result, refused: str | None = None) -> None:
    try:
        write_json_report(path, result, refused)
    except OSError as exc:
        print(f"结果文件 {path} 未能写入：{_write_failure(path.parent, exc)}", file=sys.stderr)


class _Refused(Exception):
    """A briefing the command cannot make as asked; the message says why (exit code 2)."""


def _briefing_scope(generation, args):
    """The scope the 周调度 page would read for these filters, or _Refused naming the bad one."""
    from warehouse.contract import SECTORS
    from warehouse.scope import Scope

    options = generation.run("filter_options", {"as_of": generation.as_of})
    towns = list(options["township"])
    first = int(options["first_year"].min()) if len(options) else generation.as_of.year
    if not first <= args.year <= generation.as_of.year:
        raise _Refused(f"年度 {args.year} 不在数据范围内（{first}—{generation.as_of.year}年）")
    if args.as_of is not None and args.as_of.year != args.year:
        raise _Refused(f"--as-of {args.as_of} 不在 {args.year} 年内")
    if args.as_of is not None and args.as_of > generation.as_of:
        raise _Refused(f"--as-of {args.as_of} 晚于数据截至日期 {generation.as_of}：简报包只能截至已加载的数据")
    if args.township and args.township not in towns:
        raise _Refused(f"镇街“{args.township}”不在数据中。可选：{'、'.join(towns)}")
    if args.sector and args.sector not in SECTORS:
        raise _Refused(f"项目领域“{args.sector}”无效。可选：{'、'.join(SECTORS)}")
    return Scope.for_year(
        args.year, generation.as_of, args.as_of, township=args.township, sector=args.sector, key_only=args.key_only
    )


def _files(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}


def _send(robot, scope, args, pack: Path, written: list[Path]) -> int:
    """Post the pack's paragraph and the files this run wrote; 3 when the robot did not take them."""
    from warehouse.robot import RobotError, send

    with zipfile.ZipFile(pack) as archive:
        paragraph = archive.read(PARAGRAPH_FILE).decode("utf-8")
    where = " · ".join(filter(None, [args.township or "全区", args.sector, "重点项目" if args.key_only else ""]))
    title = f"周调度简报（{where}）"
    day = scope.as_of
    text = f"{paragraph}\n\n> 数据截至 {day.year}年{day.month}月{day.day}日 · {scope.year}年 · {where}"
    try:
        for line in send(robot, title, text, written):
            print(line)
    except RobotError as exc:
        print(f"{exc}。简报包已写入 {pack.resolve()}", file=sys.stderr)
        return 3
    return 0


def _briefing(args, write: Callable) -> int:
    from warehouse import settings
    from warehouse.robot import RobotError, from_env
    from warehouse.runner import Warehouse, WarehouseMissing

    try:
        robot = from_env() if args.send else None
        with Warehouse(args.warehouse) as wh:
            generation = wh.snapshot()
            scope = _briefing_scope(generation, args)
            before = _files(args.out)
            path, names, notice = write(lambda name, **p: generation.run(name, p), scope, settings.load(), args.out)
    except (WarehouseMissing, _Refused, RobotError) as exc:
        print(f"简报包未生成：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"简报包未能写入 {args.out}：{exc}", file=sys.stderr)
        return 1
    print(f"周调度简报包已写入：{path.resolve()}（数据截至 {scope.as_of}，内含 {len(names)} 个文件）")
    for name in names:
        print(f"  {name}")
    print(f"周调度通报已写入：{notice.resolve()}")
    if robot is None:
        return 0
    # what this run wrote into the folder: the pack first, then the 通报 written beside it
    written = [path, *sorted(p for p, t in _files(args.out).items() if before.get(p) != t and p != path)]
    return _send(robot, scope, args, path, written)


def main(
    argv: list[str] | None = None, write_briefing: Callable | None = None, app_db_url: Callable | None = None
) -> int:
    """app_db_url() gives the app database's URL when --db is not given (access.db's, handed in
    by warehouse/__main__.py like write_briefing). write_briefing(query, scope, thresholds, folder) draws and writes the 周调度 pack and its
    通报, giving (the pack's path, its files, the 通报's path); it is
    display's (display.briefing_pack.write), handed in by warehouse/__main__.py, as the
    warehouse itself never imports display."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from warehouse.demo.exports import write_demo

        counts = write_demo(args.dir, scale=args.scale, seed=args.seed)
        for ledger, n in counts.items():
            print(f"{ledger:20s} {n:>10,}")
        print(f"演示导出文件已写入 {args.dir}")
        return 0
    if args.command == "load":
        from warehouse.load.loader import LoadBusy, load

        try:
            result = load(args.dir, args.warehouse, args.as_of, dry_run=args.dry_run, actor=args.actor)
        except (LoadBusy, FileNotFoundError) as exc:
            print(f"加载被拒绝：{exc}", file=sys.stderr)
            _write_json_report(args.report_json, None, str(exc))
            return 1
        try:
            print_load_result(result, dry_run=args.dry_run)
        except OSError as exc:  # the report CSV beside the warehouse could not be written (a full disk)
            _print_without_report(result, args.dry_run, exc)
        if args.verbose:
            print_phases(result)
        _write_json_report(args.report_json, result)
        return 0 if result.ok else 1
    if args.command == "rollback":
        from warehouse.load.loader import LoadBusy, RollbackRefused, rollback

        try:
            result = rollback(args.warehouse, args.load_id, actor=args.actor)
        except (LoadBusy, FileNotFoundError, RollbackRefused) as exc:
            print(f"回滚被拒绝：{exc}", file=sys.stderr)
            return 1
        except OSError as exc:  # e.g. a full disk: the live warehouse is untouched (build-then-swap)
            print(f"回滚失败，数据仓库未改动：{_write_failure(args.warehouse.parent, exc)}", file=sys.stderr)
            return 1
        print(f"已回滚到 {args.load_id}：数据截至 {result.as_of}")
        return 0
    if args.command == "figures":
        from warehouse.figures import compute
        from warehouse.runner import Warehouse, WarehouseMissing
        from warehouse.scope import Scope

        try:
            with Warehouse(args.warehouse) as wh:
                generation = wh.snapshot()
                scope = Scope.for_year(
                    args.year,
                    generation.as_of,
                    args.as_of,
                    township=args.township,
                    sector=args.sector,
                    key_only=args.key_only,
                    project=args.project,
                )
                print(json.dumps(compute(generation.run, scope), ensure_ascii=False, indent=2))
        except WarehouseMissing as exc:
            print(str(exc), file=sys.stderr)
            return 1
        return 0
    if args.command == "briefing":
        return _briefing(args, write_briefing)
    if args.command == "health":
        from warehouse import health

        status, lines = health.run(args.url, args.warehouse, args.timeout)
        print("\n".join(lines))
        return status
    if args.command in ("backup", "restore"):
        return _backup(args, args.db or app_db_url())
    return 2

"""Command line for accounts: ``python -m access --help``."""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
import unicodedata
from datetime import timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from console import ChineseParser

from . import accounts, migrate
from . import db as _db
from .demo import DEMO_ACCOUNTS, demo_password, ensure_demo_accounts
from .errors import AccessError
from .roles import ROLES

BEIJING = timezone(timedelta(hours=8), "北京时间")


class _Parser(ChineseParser):
    exit_status = 1  # python -m access has always exited 1 on any error, its own or argparse's


def _db_option(parser: argparse.ArgumentParser, top: bool) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None if top else argparse.SUPPRESS,
        help="数据库地址（默认取环境变量 APP_DB_URL，否则 sqlite:///data/app.db）",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m access",
        description="区土地和房屋征收中心工作调度看板：账户管理（账户保存在数据库中）。",
        epilog="示例：\n  python -m access add zhangsan --role 科长 --name 张科长 "
        "--townships 东城街道,西城街道\n  python -m access list",
    )
    _db_option(parser, top=True)
    sub = parser.add_subparsers(dest="command", title="命令", metavar="<命令>", required=True)

    add = sub.add_parser("add", help="新建账户", description="新建一个启用的账户。")
    add.add_argument("username", metavar="用户名", help="用户名（2到32位小写字母、数字或 _ . -）")
    add.add_argument("--role", required=True, choices=ROLES, help="角色：领导、科长或管理员")
    add.add_argument("--name", required=True, metavar="姓名", help="显示的姓名，如 张科长")
    add.add_argument(
        "--townships", default="", metavar="镇街,镇街", help="仅科长可用：限定的镇街，用逗号分隔；不填表示全部镇街"
    )
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）；不加时交互输入")

    for name, text in (("disable", "停用账户（同时结束其所有会话）"), ("enable", "重新启用账户")):
        cmd = sub.add_parser(name, help=text, description=text + "。")
        cmd.add_argument("username", metavar="用户名", help="用户名")

    pw = sub.add_parser(
        "passwd",
        help="修改密码（同时结束其所有会话、解除锁定）",
        description="修改账户密码；该用户的所有会话随即失效。",
    )
    pw.add_argument("username", metavar="用户名", help="用户名")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入读取新密码（一行）；不加时交互输入")

    sub.add_parser("list", help="列出全部账户", description="列出全部账户（含已停用的）。")
    sub.add_parser(
        "demo-accounts",
        help="创建演示账户（已存在的跳过）",
        description="创建演示账户 leader、chief、chief_dc、admin；密码为 demo-<用户名>-2026。只用于演示数据！",
    )
    mig = sub.add_parser(
        "migrate",
        help="把数据库结构升级到本版本（升级后、启动前运行）",
        description="把账户数据库的结构升级到本版本代码所需的版本，已有数据保留；旧版建立的数据库先被识别为基线版本。",
    )
    mig.add_argument("--check", action="store_true", help="只检查不升级：不是最新版本时以状态 1 退出")
    for cmd in sub.choices.values():
        _db_option(cmd, top=False)
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise AccessError("标准输入中没有读到密码")
        return line
    first = getpass.getpass("密码：")
    if first != getpass.getpass("再次输入密码："):
        raise AccessError("两次输入的密码不一致")
    return first


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _scope(townships) -> str:
    return "、".join(townships) if townships else "全部镇街"


def _run(args) -> int:
    db = args.db
    if args.command == "add":
        towns = [t for t in re.split(r"[,，、;；\s]+", args.townships) if t]
        password = _read_password(args.password_stdin)
        user = accounts.create_user(args.username, password, args.role, args.name, towns, actor=_actor(), db=db)
        print(f"已创建账户 {user.username}（{user.role}，{user.display_name}，范围：{_scope(user.townships)}）")
    elif args.command == "disable":
        closed = accounts.disable_user(args.username, actor=_actor(), db=db)
        print(f"已停用账户 {accounts.normalize(args.username)}，结束会话 {closed} 个")
    elif args.command == "enable":
        accounts.enable_user(args.username, actor=_actor(), db=db)
        print(f"已启用账户 {accounts.normalize(args.username)}")
    elif args.command == "passwd":
        if accounts.get_user(args.username, db=db) is None:
            raise AccessError(f"用户不存在：{accounts.normalize(args.username)}")
        closed = accounts.set_password(args.username, _read_password(args.password_stdin), actor=_actor(), db=db)
        print(f"已修改 {accounts.normalize(args.username)} 的密码，结束会话 {closed} 个")
    elif args.command == "list":
        users = accounts.list_users(db=db)
        if not users:
            print("还没有账户。用 python -m access add 或 demo-accounts 创建。")
            return 0
        rows = [["用户名", "姓名", "角色", "范围", "状态", "最近登录（北京时间）"]]
        for u in users:
            last = u.last_login_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if u.last_login_at else "从未登录"
            rows.append(
                [u.username, u.display_name, u.role, _scope(u.townships), "启用" if u.is_active else "停用", last]
            )
        print(_table(rows))
    elif args.command == "demo-accounts":
        created = ensure_demo_accounts(db=db)
        for username, role, _display, scope in DEMO_ACCOUNTS:
            state = "已创建" if username in created else "已存在，跳过"
            print(f"{username:<9} {role}（{_scope(scope)}）{state}，演示密码 {demo_password(username)}")
    elif args.command == "migrate":
        return _migrate(db, args.check)
    return 0


def _state(url: str) -> str:
    """What the database is at, looked at without changing it (db.engine() would upgrade it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").expanduser().exists():
        return "空数据库"
    eng = create_engine(parsed)
    try:
        with eng.connect() as conn:
            found = migrate.current(conn)
            if found is None:
                return "旧版（无版本记录）" if migrate.is_legacy(conn) else "空数据库"
            return found
    finally:
        eng.dispose()


def _migrate(db: str | None, check: bool) -> int:
    url = db or os.environ.get("APP_DB_URL") or _db.DEFAULT_URL
    before, head = _state(url), migrate.head()
    if check:
        if before == head:
            print(f"数据库结构版本：{head}（最新）")
            return 0
        print(f"数据库结构版本：{before}，需要升级到 {head}：运行 python -m access migrate")
        return 1
    _db.engine(url)  # upgrades on first use
    after = _state(url)
    if before == after:
        print(f"数据库结构版本：{after}（已是最新，无需升级）")
    else:
        print(f"数据库结构已从 {before} 升级到 {after}")
    return 0 if after == head else 1


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except AccessError as exc:
        print(f"错误：{exc}", file=sys.stderr)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        print(f"错误：数据库访问失败：{detail[0] if detail else type(exc).__name__}", file=sys.stderr)
    except (KeyboardInterrupt, EOFError):
        print("\n已取消", file=sys.stderr)
    except Exception as exc:  # no tracebacks for people at the terminal
        print(f"错误：{type(exc).__name__}：{exc}", file=sys.stderr)
    return 1

"""The command lines' own words: argparse in Chinese (``python -m warehouse`` and
``python -m access``). argparse writes its headings, usage line, help option and errors in
English, with no option to change them; these subclasses write them in Chinese."""

from __future__ import annotations

import argparse
import sys

_ERRORS_ZH = (
    ("the following arguments are required", "缺少必需的参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("choose from", "可选"),
    ("expected one argument", "需要提供一个值"),
    ("invalid int value", "不是整数"),
    ("invalid Path value", "不是有效的路径"),
    ("argument ", "参数 "),
)


class Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors read in Chinese; its subcommands inherit it.
    An argument error exits with `exit_status` (argparse's 2 unless a subclass says otherwise)."""

    exit_status = 2

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示帮助并退出")

    def error(self, message):
        for english, chinese in _ERRORS_ZH:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"错误：{message}\n")
        sys.exit(self.exit_status)

"""The command lines speak Chinese: help, usage and argument errors of `python -m warehouse`
and `python -m access` (argparse writes English unless told otherwise)."""

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# Words that may stay in Latin letters: program, option, format and file names.
ALLOWED = {"python", "warehouse", "access", "YYYY", "MM", "DD", "JSON", "SQL", "URL", "APP_DB_URL", "sqlite", "data"}
ALLOWED |= {"app", "db", "duckdb", "csv", "xlsx", "ZIP", "cron", "zhangsan", "leader", "chief", "chief_dc", "admin"}
# the commands themselves
ALLOWED |= {"demo", "load", "rollback", "figures", "briefing", "add", "disable", "enable", "passwd", "list", "accounts"}
ALLOWED |= {"health", "migrate", "http"}
ALLOWED |= {"backup", "restore"}


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT)


def _english(text: str) -> set[str]:
    """Latin words outside option names, quoted input and the allowed names."""
    text = re.sub(r"'[^']*'", "", text)
    options = " ".join(re.findall(r"--?[\w-]+", text))
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]+", text) if w not in ALLOWED and w not in options}


@pytest.mark.parametrize(
    "command",
    [
        ("warehouse",),
        ("warehouse", "demo"),
        ("warehouse", "load"),
        ("warehouse", "rollback"),
        ("warehouse", "figures"),
        ("warehouse", "briefing"),
        ("warehouse", "health"),
        ("warehouse", "backup"),
        ("warehouse", "restore"),
        ("access",),
        ("access", "add"),
        ("access", "migrate"),
    ],
)
def test_help_is_chinese(command):
    done = _run("-m", *command, "--help")
    assert done.returncode == 0, done.stderr
    assert "用法：" in done.stdout and "显示帮助并退出" in done.stdout
    assert _english(done.stdout) == set()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("warehouse", "figures"), "错误：缺少必需的参数: --year"),
        (("warehouse", "figures", "--year", "x"), "错误：参数 --year: 不是整数: 'x'"),
        (("warehouse", "publish"), "错误：参数 <命令>: 无效的选项"),
    ],
)
def test_argument_errors_are_chinese(args, message):
    done = _run("-m", *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert _english(done.stderr.split("错误：", 1)[1]) == set()

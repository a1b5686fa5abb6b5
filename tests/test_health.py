"""`python -m warehouse health`: one Chinese line per check, exit status the sum of the failed
checks (1 app, 2 warehouse, 4 stale data), against a stub HTTP server on loopback, a loaded,
missing or corrupt warehouse, and an injected today (warehouse.clock, as the stale banner)."""

import contextlib
import datetime as dt
import http.server
import socket
import threading

import pytest

from tests.exports_fixture import write_good_set
from warehouse import cli, clock, settings
from warehouse.load.loader import load
from warehouse.runner import Warehouse

TODAY = dt.date(2026, 12, 6)


class _Stub(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        body = b"ok" if self.status == 200 else b"error"
        self.send_response(self.status if self.path == "/_stcore/health" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(status: int):
    handler = type("Handler", (_Stub,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def _app(status: int):
    server = _serve(status)
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def app_ok():
    with _app(200) as url:
        yield url


@pytest.fixture
def app_500():
    with _app(500) as url:
        yield url


@pytest.fixture
def app_down():
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("health")
    result = load(write_good_set(folder / "exports"), folder / "warehouse.duckdb")
    assert result.ok, result.errors[:5]
    return folder / "warehouse.duckdb"


@pytest.fixture(autouse=True)
def default_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(settings, "THRESHOLDS_FILE", tmp_path / "no-thresholds.toml")  # the default, 7 days


def _as_of(path):
    with Warehouse(path) as wh:
        return wh.snapshot().as_of


def _health(capsys, monkeypatch, today, *args):
    monkeypatch.setattr(clock, "beijing_now", lambda: dt.datetime.combine(today, dt.time(9, 30)))
    status = cli.main(["health", "--timeout", "2", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_all_well(capsys, monkeypatch, app_ok, warehouse):
    as_of = _as_of(warehouse)
    got = _health(capsys, monkeypatch, as_of + dt.timedelta(days=7), "--url", app_ok, "--warehouse", str(warehouse))
    assert got == (0, f"应用：正常\n数据仓库：正常（数据截至 {as_of.isoformat()}）\n数据时效：正常\n", "")


@pytest.mark.parametrize("days,limit", [(8, 7), (16, 7), (31, 30)])
def test_stale_data(capsys, monkeypatch, app_ok, warehouse, tmp_path, days, limit):
    if limit != 7:
        path = tmp_path / "thresholds.toml"
        path.write_text(f'["数据过期"]\n"提醒_天" = {limit}\n', encoding="utf-8")
        monkeypatch.setattr(settings, "THRESHOLDS_FILE", path)
    as_of = _as_of(warehouse)
    got = _health(capsys, monkeypatch, as_of + dt.timedelta(days=days), "--url", app_ok, "--warehouse", str(warehouse))
    assert got == (
        4,
        f"应用：正常\n数据仓库：正常（数据截至 {as_of.isoformat()}）\n数据时效：已 {days} 天未更新（超过 {limit} 天）\n",
        "",
    )


def test_app_answers_500(capsys, monkeypatch, app_500, warehouse):
    as_of = _as_of(warehouse)
    got = _health(capsys, monkeypatch, as_of, "--url", app_500, "--warehouse", str(warehouse))
    assert got == (
        1,
        f"应用：{app_500}/_stcore/health 返回 HTTP 500\n数据仓库：正常（数据截至 {as_of.isoformat()}）\n数据时效：正常\n",
        "",
    )


def test_app_not_listening_and_warehouse_missing(capsys, monkeypatch, app_down, tmp_path):
    missing = tmp_path / "none.duckdb"
    got = _health(capsys, monkeypatch, TODAY, "--url", app_down, "--warehouse", str(missing))
    assert got == (
        3,
        f"应用：{app_down}/_stcore/health 拒绝连接（应用未运行？）\n"
        f"数据仓库：数据仓库不存在：{missing}（请先运行 python -m warehouse load）\n"
        "数据时效：未检查（数据仓库无法读取）\n",
        "",
    )


def test_corrupt_warehouse(capsys, monkeypatch, app_ok, tmp_path):
    broken = tmp_path / "warehouse.duckdb"
    broken.write_bytes(b"not a database\n" * 500)
    got = _health(capsys, monkeypatch, TODAY, "--url", app_ok, "--warehouse", str(broken))
    assert got == (
        2,
        "应用：正常\n"
        f'数据仓库：{broken} 无法打开：IO Error: The file "{broken}" exists, but it is not a valid DuckDB database file!\n'
        "数据时效：未检查（数据仓库无法读取）\n",
        "",
    )


def test_a_broken_thresholds_file_fails_the_freshness_check_in_chinese(
    capsys, monkeypatch, app_ok, warehouse, tmp_path
):
    path = tmp_path / "thresholds.toml"
    path.write_text('["数据过期"]\n"提醒_天" = "一周"\n', encoding="utf-8")
    monkeypatch.setattr(settings, "THRESHOLDS_FILE", path)
    as_of = _as_of(warehouse)
    got = _health(capsys, monkeypatch, as_of, "--url", app_ok, "--warehouse", str(warehouse))
    assert got == (
        4,
        f"应用：正常\n数据仓库：正常（数据截至 {as_of.isoformat()}）\n"
        f"数据时效：无法检查（阈值文件 {path}：[数据过期] 提醒_天 须为整数，现为 '一周'）\n",
        "",
    )

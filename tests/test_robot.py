"""The week's briefing posted to a 企业微信 or 钉钉 group robot (warehouse.robot, `python -m warehouse
briefing --send`), against a receiver on loopback that answers as the two robots do and keeps
every request: what arrives is asserted byte for byte, the 钉钉 signature is recomputed here, and
the secret never shows in what the command prints."""

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import urllib.parse
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import ROOT
from warehouse import cli, robot

KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
TOKEN = "b9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5"
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
OK = (200, {"errcode": 0, "errmsg": "ok"})


class Receiver:
    """A loopback HTTP server: each request is kept (path, query, headers, body) and answered by
    the next scripted reply, else as the robot answers a good request."""

    def __init__(self):
        self.requests, self.replies = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                path, _, query = self.path.partition("?")
                receiver.requests.append((path, urllib.parse.parse_qs(query), dict(self.headers), body))
                status, answer = receiver.replies.pop(0) if receiver.replies else receiver.default(path)
                content = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def default(path):
        if path.endswith("/upload_media"):
            return 200, {"errcode": 0, "errmsg": "ok", "type": "file", "media_id": "3a8asd892asd8", "created_at": "1"}
        return OK

    def wecom(self) -> str:
        return f"http://{self.host}/cgi-bin/webhook/send?key={KEY}"

    def dingtalk(self) -> str:
        return f"http://{self.host}/robot/send?access_token={TOKEN}"

    def json(self, i: int) -> dict:
        return json.loads(self.requests[i][3].decode("utf-8"))


@pytest.fixture
def receiver(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def post(bot, text="截至11月20日，全区征地面积879.21亩。", files=(), **kw):
    sleeps, logs = [], []
    sent = robot.send(bot, "周调度简报（全区）", text, list(files), sleep=sleeps.append, log=logs.append, **kw)
    return sent, sleeps, logs


def expected_sign(stamp: str) -> str:
    digest = hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_wecom_gets_the_markdown_then_each_file_uploaded_and_sent(receiver, tmp_path):
    pack = tmp_path / "周调度简报包_20261120.zip"
    pack.write_bytes(b"PK\x03\x04 the pack's bytes \r\n--not-a-boundary\r\n")
    sent, sleeps, logs = post(robot.Robot("wecom", receiver.wecom()), files=[pack])
    assert [(r[0], r[1]) for r in receiver.requests] == [
        ("/cgi-bin/webhook/send", {"key": [KEY]}),
        ("/cgi-bin/webhook/upload_media", {"key": [KEY], "type": ["file"]}),
        ("/cgi-bin/webhook/send", {"key": [KEY]}),
    ]
    assert receiver.requests[0][2]["Content-Type"] == "application/json; charset=utf-8"
    assert receiver.json(0) == {
        "msgtype": "markdown",
        "markdown": {"content": "### 周调度简报（全区）\n\n截至11月20日，全区征地面积879.21亩。"},
    }
    content_type = receiver.requests[1][2]["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    assert receiver.requests[1][3] == (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="media"; filename="'
        + pack.name.encode("utf-8")
        + f'"; filelength={pack.stat().st_size}\r\n'.encode()
        + b"Content-Type: application/octet-stream\r\n\r\n"
        + pack.read_bytes()
        + b"\r\n--"
        + boundary
        + b"--\r\n"
    )
    assert receiver.json(2) == {"msgtype": "file", "file": {"media_id": "3a8asd892asd8"}}
    host = f"企业微信机器人 {receiver.host}"
    assert sent == [f"已推送到{host}：简报文字", f"已推送到{host}：文件 周调度简报包_20261120.zip"]
    assert (sleeps, logs) == ([], [])


def test_wecom_markdown_is_cut_to_the_robots_4096_bytes():
    text = robot._fit("### 周调度简报\n\n" + "征" * 3000, robot.WECOM_TEXT_BYTES)
    assert len(text.encode()) <= 4096 and text.endswith("……（全文见附件）")
    assert text.startswith("### 周调度简报\n\n征征")
    assert robot._fit("短文", 4096) == "短文"


def test_dingtalk_gets_a_signed_markdown_and_the_files_named_not_sent(receiver, tmp_path):
    pack = tmp_path / "周调度简报包_20261120.zip"
    pack.write_bytes(b"PK")
    sent, _, _ = post(robot.Robot("dingtalk", receiver.dingtalk(), SECRET), files=[pack], now=lambda: 1732060800.123)
    [(path, query, headers, _)] = receiver.requests
    assert path == "/robot/send" and sorted(query) == ["access_token", "sign", "timestamp"]
    assert query["access_token"] == [TOKEN] and query["timestamp"] == ["1732060800123"]
    assert query["sign"] == [expected_sign("1732060800123")]  # parse_qs undid the URL encoding
    assert receiver.json(0) == {
        "msgtype": "markdown",
        "markdown": {
            "title": "周调度简报（全区）",
            "text": "### 周调度简报（全区）\n\n截至11月20日，全区征地面积879.21亩。\n\n> 周调度简报包_20261120.zip "
            "未随消息发送（钉钉机器人不能发文件），请在看板“周调度”页下载或到共享文件夹取用。",
        },
    }
    assert sent == [f"已推送到钉钉机器人 {receiver.host}：简报文字"]


def test_a_sign_with_plus_and_slash_is_url_encoded():
    # a timestamp whose signature holds "+" or "/" must reach 钉钉 encoded, or its check fails
    stamp = next(s for s in range(1732060800000, 1732060800100) if set(expected_sign(str(s))) & {"+", "/"})
    sign = robot.dingtalk_sign(SECRET, stamp)
    assert "+" not in sign and "/" not in sign and urllib.parse.unquote_plus(sign) == expected_sign(str(stamp))


def test_dingtalk_without_a_secret_sends_the_plain_url(receiver):
    post(robot.Robot("dingtalk", receiver.dingtalk()))
    assert receiver.requests[0][1] == {"access_token": [TOKEN]}


@pytest.mark.parametrize(
    "kind,busy",
    [
        ("wecom", (500, {})),
        ("wecom", (200, {"errcode": 45009, "errmsg": "api freq out of limit"})),
        ("dingtalk", (502, {})),
        ("dingtalk", (200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})),
    ],
    ids=["wecom-500", "wecom-45009", "dingtalk-502", "dingtalk-130101"],
)
def test_a_busy_robot_is_tried_again_after_1_then_2_seconds(receiver, kind, busy):
    receiver.replies = [busy, busy]
    bot = robot.Robot(kind, receiver.wecom() if kind == "wecom" else receiver.dingtalk(), SECRET)
    sent, sleeps, logs = post(bot, now=iter([1.0, 2.0, 3.0]).__next__)
    assert len(receiver.requests) == 3 and sleeps == [1, 2]
    assert len({r[3] for r in receiver.requests}) == 1  # the same message each time
    said = f"返回 HTTP {busy[0]}" if busy[0] != 200 else f"返回 errcode {busy[1]['errcode']}（{busy[1]['errmsg']}）"
    name = f"{robot.NAMES[kind]} {receiver.host}"
    assert logs == [
        f"推送重试：{name} 发送消息时{said}，1秒后第2次尝试",
        f"推送重试：{name} 发送消息时{said}，2秒后第3次尝试",
    ]
    assert sent == [f"已推送到{name}：简报文字"]
    if kind == "dingtalk":  # signed afresh on each attempt
        assert [r[1]["timestamp"] for r in receiver.requests] == [["1000"], ["2000"], ["3000"]]
        assert [r[1]["sign"] for r in receiver.requests] == [[expected_sign(s)] for s in ("1000", "2000", "3000")]


def test_it_gives_up_after_three_attempts(receiver):
    receiver.replies = [(500, {})] * 3
    with pytest.raises(robot.RobotError) as raised:
        post(robot.Robot("wecom", receiver.wecom()))
    assert len(receiver.requests) == 3
    assert str(raised.value) == f"推送失败：企业微信机器人 {receiver.host} 发送消息时返回 HTTP 500，已尝试3次"


def test_a_failed_upload_stops_before_the_file_message(receiver, tmp_path):
    (tmp_path / "a.zip").write_bytes(b"PK")
    receiver.replies = [OK, (200, {"errcode": 40006, "errmsg": "invalid media size"})]
    with pytest.raises(robot.RobotError) as raised:
        post(robot.Robot("wecom", receiver.wecom()), files=[tmp_path / "a.zip"])
    assert [r[0] for r in receiver.requests] == ["/cgi-bin/webhook/send", "/cgi-bin/webhook/upload_media"]
    assert str(raised.value) == (
        f"推送失败：企业微信机器人 {receiver.host} 发送文件 a.zip 时返回 errcode 40006（invalid media size），"
        "此错误重试无用，未重试"
    )


@pytest.mark.parametrize(
    "kind,code,errmsg",
    [("wecom", 93000, "invalid webhook url"), ("dingtalk", 310000, "sign not match"), ("wecom", 400, None)],
    ids=["wecom-93000", "dingtalk-310000", "http-400"],
)
def test_an_error_a_retry_cannot_mend_is_not_retried(receiver, kind, code, errmsg):
    receiver.replies = [(200, {"errcode": code, "errmsg": errmsg})] if errmsg else [(code, {})]
    bot = robot.Robot(kind, receiver.wecom() if kind == "wecom" else receiver.dingtalk(), SECRET)
    with pytest.raises(robot.RobotError) as raised:
        post(bot)
    said = f"返回 errcode {code}（{errmsg}）" if errmsg else f"返回 HTTP {code}"
    assert len(receiver.requests) == 1
    assert (
        str(raised.value) == f"推送失败：{robot.NAMES[kind]} {receiver.host} 发送消息时{said}，此错误重试无用，未重试"
    )


def test_an_unreachable_robot_is_tried_three_times(receiver):
    url = receiver.wecom()
    receiver.server.shutdown()
    receiver.server.server_close()  # nothing listens on the port now
    sleeps, logs = [], []
    with pytest.raises(robot.RobotError) as raised:
        robot.send(robot.Robot("wecom", url), "t", "x", [], sleep=sleeps.append, log=logs.append)
    assert sleeps == [1, 2] and len(logs) == 2
    assert str(raised.value).startswith(f"推送失败：企业微信机器人 {receiver.host} 发送消息时无法连接（")
    assert str(raised.value).endswith("，已尝试3次")


def test_an_answer_echoing_the_key_is_printed_without_it(receiver):
    receiver.replies = [(200, {"errcode": 93000, "errmsg": f"invalid webhook url, key={KEY}, sec={SECRET}"})]
    with pytest.raises(robot.RobotError) as raised:
        post(robot.Robot("wecom", receiver.wecom(), SECRET))
    assert KEY not in str(raised.value) and SECRET not in str(raised.value)
    assert "invalid webhook url, key=***, sec=***" in str(raised.value)


@pytest.mark.parametrize(
    "env,got",
    [
        ({"APP_ROBOT_URL": f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"}, "wecom"),
        ({"APP_ROBOT_URL": f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"}, "dingtalk"),
        (
            {"APP_ROBOT_URL": "http://proxy.intranet:8080/robot/send?access_token=x", "APP_ROBOT_KIND": "dingtalk"},
            "dingtalk",
        ),
        ({}, "未设置机器人地址 APP_ROBOT_URL（群机器人的 Webhook 地址，见 docs/operations.md）"),
        ({"APP_ROBOT_URL": "qyapi.weixin.qq.com/send"}, "机器人地址 APP_ROBOT_URL 不是 http(s) 网址"),
        (
            {"APP_ROBOT_URL": "http://proxy.intranet:8080/send?key=x"},
            "无法判断 proxy.intranet:8080 是哪种机器人：请设 APP_ROBOT_KIND 为 wecom（企业微信）或 dingtalk（钉钉）",
        ),
    ],
    ids=["wecom-host", "dingtalk-host", "proxy-with-kind", "unset", "not-a-url", "proxy-without-kind"],
)
def test_the_robot_comes_from_the_environment(env, got):
    if got in robot.NAMES:
        bot = robot.from_env({**env, "APP_ROBOT_SECRET": f" {SECRET} "})
        assert bot == robot.Robot(got, env["APP_ROBOT_URL"], SECRET)
    else:
        with pytest.raises(robot.RobotError) as raised:
            robot.from_env(env)
        assert str(raised.value) == got


# --- the command: `python -m warehouse briefing ... --send` ---

PARAGRAPH = "截至11月20日，全区征地面积879.21亩。"
DOC = "周调度通报_20261120.docx"


def fake_write(query, scope, thresholds, folder):
    """Stands in for display's pack and 通报 (drawn for real in the end-to-end test below)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"周调度简报包_{scope.as_of:%Y%m%d}.zip"
    with zipfile.ZipFile(path, "w") as pack:
        pack.writestr("简报文字.txt", PARAGRAPH)
    (folder / DOC).write_bytes(b"the document")
    return path, ["简报文字.txt"], folder / DOC


@pytest.fixture
def command(demo_warehouse, receiver, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(robot, "DELAYS", (0, 0))
    monkeypatch.setenv("APP_ROBOT_URL", receiver.wecom())
    monkeypatch.setenv("APP_ROBOT_KIND", "wecom")
    monkeypatch.setenv("APP_ROBOT_SECRET", SECRET)
    out = tmp_path / "简报包"

    def run(*extra):
        argv = ["briefing", "--year", "2026", "--warehouse", str(demo_warehouse), "--out", str(out), *extra]
        code = cli.main(argv, write_briefing=fake_write)
        return code, *capsys.readouterr()

    return run, out


def test_send_posts_the_paragraph_and_the_files_this_run_wrote(command, receiver):
    run, out = command
    out.mkdir()
    (out / "周调度简报包_20261113.zip").write_bytes(b"last week's")  # in the folder already: not sent
    assert run("--township", "东城街道")[0] == 0 and receiver.requests == []  # no --send, nothing posted
    code, stdout, stderr = run("--township", "东城街道", "--send")
    assert (code, stderr) == (0, "")
    assert receiver.json(0)["markdown"]["content"] == (
        f"### 周调度简报（东城街道）\n\n{PARAGRAPH}\n\n> 数据截至 2026年11月20日 · 2026年 · 东城街道"
    )
    uploads = [r[3] for r in receiver.requests if r[0].endswith("/upload_media")]
    assert [u.split(b"filename=")[1].split(b";")[0].decode() for u in uploads] == [
        '"周调度简报包_20261120.zip"',
        f'"{DOC}"',
    ]
    assert (out / "周调度简报包_20261120.zip").read_bytes() in uploads[0]
    assert stdout.splitlines()[-3:] == [
        f"已推送到企业微信机器人 {receiver.host}：简报文字",
        f"已推送到企业微信机器人 {receiver.host}：文件 周调度简报包_20261120.zip",
        f"已推送到企业微信机器人 {receiver.host}：文件 {DOC}",
    ]
    assert KEY not in stdout + stderr and SECRET not in stdout + stderr


def test_a_send_that_fails_says_so_and_exits_3_with_the_pack_kept(command, receiver):
    run, out = command
    receiver.replies = [(503, {})] * 3
    code, stdout, stderr = run("--send")
    assert code == 3 and (out / "周调度简报包_20261120.zip").exists()
    name = f"企业微信机器人 {receiver.host}"
    assert stderr.splitlines() == [
        f"推送重试：{name} 发送消息时返回 HTTP 503，0秒后第2次尝试",
        f"推送重试：{name} 发送消息时返回 HTTP 503，0秒后第3次尝试",
        f"推送失败：{name} 发送消息时返回 HTTP 503，已尝试3次。简报包已写入 {(out / '周调度简报包_20261120.zip').resolve()}",
    ]
    assert stdout.startswith("周调度简报包已写入：") and "已推送" not in stdout
    assert KEY not in stdout + stderr and SECRET not in stdout + stderr


def test_send_without_a_robot_address_writes_nothing(command, monkeypatch, receiver):
    run, out = command
    monkeypatch.delenv("APP_ROBOT_URL")
    code, stdout, stderr = run("--send")
    assert (code, stdout) == (2, "")
    assert stderr == "简报包未生成：未设置机器人地址 APP_ROBOT_URL（群机器人的 Webhook 地址，见 docs/operations.md）\n"
    assert not out.exists() and receiver.requests == []


def test_the_scheduled_command_end_to_end(demo_warehouse, receiver, tmp_path):
    """The real command as the timer runs it: display draws the pack, which is posted as written."""
    out = tmp_path / "简报包"
    robot_env = {"APP_ROBOT_URL": receiver.wecom(), "APP_ROBOT_SECRET": SECRET, "no_proxy": "127.0.0.1"}
    robot_env["APP_DB_URL"] = f"sqlite:///{tmp_path / 'app.db'}"  # the 通报's 督办事项: none here
    done = subprocess.run(
        [sys.executable, "-m", "warehouse", "briefing", "--year", "2026", "--warehouse", str(demo_warehouse)]
        + ["--out", str(out), "--send"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **robot_env, "APP_ROBOT_KIND": "wecom"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    pack = out / "周调度简报包_20261120.zip"
    paragraph = zipfile.ZipFile(pack).read("简报文字.txt").decode("utf-8")
    assert paragraph.startswith("截至11月20日，") and len(paragraph) > 100
    assert [r[0] for r in receiver.requests] == [
        "/cgi-bin/webhook/send",
        "/cgi-bin/webhook/upload_media",
        "/cgi-bin/webhook/send",
        "/cgi-bin/webhook/upload_media",
        "/cgi-bin/webhook/send",
    ]
    assert receiver.json(0)["markdown"]["content"] == (
        f"### 周调度简报（全区）\n\n{paragraph}\n\n> 数据截至 2026年11月20日 · 2026年 · 全区"
    )
    upload = receiver.requests[1][3]
    assert f'filename="{pack.name}"; filelength={pack.stat().st_size}\r\n'.encode() in upload
    assert pack.read_bytes() in upload
    assert receiver.json(2) == {"msgtype": "file", "file": {"media_id": "3a8asd892asd8"}}
    notice = out / "周调度通报_20261120.docx"
    assert notice.read_bytes() in receiver.requests[3][3]  # the 通报 written beside the pack, sent after it
    assert done.stdout.splitlines()[-3:] == [
        f"已推送到企业微信机器人 {receiver.host}：简报文字",
        f"已推送到企业微信机器人 {receiver.host}：文件 周调度简报包_20261120.zip",
        f"已推送到企业微信机器人 {receiver.host}：文件 {notice.name}",
    ]
    assert KEY not in done.stdout and SECRET not in done.stdout

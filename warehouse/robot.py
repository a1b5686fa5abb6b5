"""Posting the week's briefing to a 企业微信 or 钉钉 group robot (`python -m warehouse briefing
--send`). The message text is handed in; this module only speaks the two webhooks:

- 企业微信 group robot: POST {"msgtype": "markdown", "markdown": {"content": ...}} to
  .../cgi-bin/webhook/send?key=KEY; a file is first uploaded as multipart/form-data (field
  "media") to .../cgi-bin/webhook/upload_media?key=KEY&type=file, whose answer carries a
  media_id, then sent as {"msgtype": "file", "file": {"media_id": ...}}.
- 钉钉 custom robot: POST {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}} to
  .../robot/send?access_token=TOKEN; with 加签 the URL also carries &timestamp=<ms>&sign=<urlencoded
  base64 HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret>. It takes no files.

Both answer {"errcode": 0, ...} on success. The webhook URL (its key or token is a password) and
the signing secret come from the environment, never from the repo, and are never printed: a
message names the robot's host only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

WECOM, DINGTALK = "wecom", "dingtalk"
NAMES = {WECOM: "企业微信机器人", DINGTALK: "钉钉机器人"}
HOSTS = {"qyapi.weixin.qq.com": WECOM, "oapi.dingtalk.com": DINGTALK}
# "too many messages a minute": worth waiting for; any other errcode will not change on a retry
RATE_LIMITED = {WECOM: {45009}, DINGTALK: {130101}}
DELAYS = (1, 2)  # seconds before the 2nd and 3rd attempt
TIMEOUT = 30
WECOM_TEXT_BYTES = 4096  # the robot's limit for a markdown message
WECOM_FILE_BYTES = 20 * 1024 * 1024  # and for an uploaded file


class RobotError(Exception):
    """The robot cannot be used or did not take the message; the text says why, in Chinese,
    naming the host only."""


@dataclass(frozen=True)
class Robot:
    kind: str
    url: str
    secret: str = ""

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.url).netloc

    @property
    def name(self) -> str:
        return f"{NAMES[self.kind]} {self.host}"

    def scrub(self, text: str) -> str:
        """text without the URL's key or token and the secret (an answer may echo the request)."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.url).query)
        for value in [self.secret, *(v for values in query.values() for v in values)]:
            if len(value) >= 4:
                text = text.replace(value, "***")
        return text


def from_env(environ: Mapping[str, str] = os.environ) -> Robot:
    """APP_ROBOT_URL (the webhook address the group's robot settings show), APP_ROBOT_SECRET (钉钉
    加签, optional) and APP_ROBOT_KIND (wecom or dingtalk; read from the host when it is one of
    the two services')."""
    url = environ.get("APP_ROBOT_URL", "").strip()
    if not url:
        raise RobotError("未设置机器人地址 APP_ROBOT_URL（群机器人的 Webhook 地址，见 docs/operations.md）")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RobotError("机器人地址 APP_ROBOT_URL 不是 http(s) 网址")
    kind = environ.get("APP_ROBOT_KIND", "").strip().lower() or HOSTS.get(parts.hostname or "")
    if kind not in NAMES:
        raise RobotError(
            f"无法判断 {parts.netloc} 是哪种机器人：请设 APP_ROBOT_KIND 为 wecom（企业微信）或 dingtalk（钉钉）"
        )
    return Robot(kind, url, environ.get("APP_ROBOT_SECRET", "").strip())


def dingtalk_sign(secret: str, timestamp: int) -> str:
    """The 加签 value for the URL (already URL-encoded)."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def _with_query(url: str, **params) -> str:
    return url + ("&" if urllib.parse.urlsplit(url).query else "?") + "&".join(f"{k}={v}" for k, v in params.items())


def _wecom_upload_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/upload_media"
    return _with_query(urllib.parse.urlunsplit(parts._replace(path=path)), type="file")


def _multipart(path: Path) -> tuple[bytes, str]:
    content = path.read_bytes()
    boundary = uuid.uuid4().hex
    name = path.name.replace('"', "%22")
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="media"; filename="{name}"; filelength={len(content)}\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class _Poster:
    """One robot's POSTs: each tried up to len(DELAYS)+1 times, retrying what may pass later."""

    def __init__(self, robot: Robot, sleep: Callable[[float], None], log: Callable[[str], None], now: Callable):
        self.robot, self.sleep, self.log, self.now = robot, sleep, log, now

    def _url(self, url: str) -> str:
        if self.robot.kind == DINGTALK and self.robot.secret:
            stamp = int(self.now() * 1000)  # signed afresh on each attempt: 钉钉 allows an hour
            return _with_query(url, timestamp=stamp, sign=dingtalk_sign(self.robot.secret, stamp))
        return url

    def json(self, message: dict, url: str | None = None) -> dict:
        body = json.dumps(message, ensure_ascii=False).encode()
        return self.post(lambda: self._url(url or self.robot.url), body, "application/json; charset=utf-8", "消息")

    def post(self, url: Callable[[], str], body: bytes, content_type: str, what: str) -> dict:
        attempts = len(DELAYS) + 1
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url(), data=body, method="POST", headers={"Content-Type": content_type})
            retry, problem = True, ""
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                    answer = json.loads(response.read().decode("utf-8"))
                code = int(answer.get("errcode", -1))
                if code == 0:
                    return answer
                retry = code in RATE_LIMITED[self.robot.kind]
                problem = f"返回 errcode {code}（{answer.get('errmsg', '')}）"
            except urllib.error.HTTPError as exc:
                retry = exc.code >= 500 or exc.code == 429
                problem = f"返回 HTTP {exc.code}"
            except (urllib.error.URLError, OSError) as exc:  # refused, unreachable, timed out, cut off
                problem = f"无法连接（{getattr(exc, 'reason', exc)}）"
            except ValueError:
                problem = "返回的内容不是机器人的应答"
                retry = False
            problem = self.robot.scrub(problem)
            if not retry:
                raise RobotError(f"推送失败：{self.robot.name} 发送{what}时{problem}，此错误重试无用，未重试")
            if attempt == attempts:
                raise RobotError(f"推送失败：{self.robot.name} 发送{what}时{problem}，已尝试{attempts}次")
            delay = DELAYS[attempt - 1]
            self.log(f"推送重试：{self.robot.name} 发送{what}时{problem}，{delay}秒后第{attempt + 1}次尝试")
            self.sleep(delay)
        raise AssertionError("unreachable")


def _fit(text: str, limit: int) -> str:
    """text cut to limit UTF-8 bytes, saying so."""
    if len(text.encode()) <= limit:
        return text
    tail = "……（全文见附件）"
    room = limit - len(tail.encode())
    return text.encode()[:room].decode("utf-8", errors="ignore") + tail


def send(
    robot: Robot,
    title: str,
    text: str,
    files: list[Path],
    *,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] | None = None,
    now: Callable[[], float] = time.time,
) -> list[str]:
    """Post title and text (markdown) to the robot, then each file where the robot takes files.
    Returns one line per thing sent; raises RobotError on the first thing not taken."""
    log = log or (lambda line: print(line, file=sys.stderr))
    poster = _Poster(robot, sleep, log, now)
    if robot.kind == DINGTALK:
        if files:
            names = "、".join(p.name for p in files)
            text += f"\n\n> {names} 未随消息发送（钉钉机器人不能发文件），请在看板“周调度”页下载或到共享文件夹取用。"
        poster.json({"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}})
        return [f"已推送到{robot.name}：简报文字"]
    big = [p for p in files if p.stat().st_size > WECOM_FILE_BYTES]
    if big:
        text += "\n\n> 以下文件超过20MB，未随消息发送，请到看板或共享文件夹取用：" + "、".join(p.name for p in big)
    poster.json({"msgtype": "markdown", "markdown": {"content": _fit(f"### {title}\n\n{text}", WECOM_TEXT_BYTES)}})
    sent = [f"已推送到{robot.name}：简报文字"]
    upload = _wecom_upload_url(robot.url)
    for path in (p for p in files if p not in big):
        body, content_type = _multipart(path)
        answer = poster.post(lambda: upload, body, content_type, f"文件 {path.name} ")
        if not answer.get("media_id"):
            raise RobotError(f"推送失败：{robot.name} 上传文件 {path.name} 后未返回 media_id")
        poster.json({"msgtype": "file", "file": {"media_id": answer["media_id"]}})
        sent.append(f"已推送到{robot.name}：文件 {path.name}")
    return sent

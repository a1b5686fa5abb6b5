"""ui.serve: connections accepted on a socket bound as Streamlit binds it send without Nagle, and a
fresh server serves the login's cookie frame before any page has run on it."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from bench.cluster import wait_healthy
from bench.server import ROOT, free_port, streamlit_command
from ui import serve

COOKIE_FRAME = "/component/extra_streamlit_components.CookieManager.cookie_manager/index.html"


def test_streamlit_binds_its_socket_with_protocol_0():
    """Why ui.serve exists: when this fails, Streamlit binds as asyncio expects and it can go."""
    from streamlit.web.server.starlette.starlette_server import _bind_socket

    sock = _bind_socket("127.0.0.1", 0, 8)
    try:
        assert (sock.type, sock.proto) == (socket.SOCK_STREAM, 0)
    finally:
        sock.close()


def _nodelay_of_accepted_connection() -> int:
    """TCP_NODELAY of the server side of one connection accepted on a protocol-0 listening socket."""

    async def accept_one() -> int:
        listening = socket.socket(socket.AF_INET)  # as Streamlit's _bind_socket makes it
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        listening.setblocking(False)
        accepted: asyncio.Future = asyncio.get_running_loop().create_future()

        class Record(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Record, sock=listening)
        _, writer = await asyncio.open_connection(*listening.getsockname())
        try:
            return await asyncio.wait_for(accepted, 5)
        finally:
            writer.close()
            server.close()
            await server.wait_closed()

    return asyncio.run(accept_one())


@pytest.fixture
def asyncio_rule(monkeypatch):
    """asyncio's own rule again after the test."""
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)


def test_without_it_nagle_stays_on(asyncio_rule):
    assert _nodelay_of_accepted_connection() == 0


def test_with_it_nagle_is_off(asyncio_rule):
    serve.nagle_off_on_accepted_sockets()
    assert _nodelay_of_accepted_connection() == 1


def _cookie_frame_status(command: list[str], port: int) -> tuple[int, str]:
    """The HTTP status of the cookie frame's page from a server just started, before any session,
    and what the server logged."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_healthy(url), "the server did not start"
        try:
            with urllib.request.urlopen(url + COOKIE_FRAME, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
    finally:
        process.terminate()
        log, _ = process.communicate(timeout=20)
    return status, log


@pytest.fixture
def blank_script(tmp_path):
    script = tmp_path / "blank.py"
    script.write_text("import streamlit as st\n\nst.write('空白页')\n", encoding="utf-8")
    return str(script)


def test_streamlit_alone_serves_the_cookie_frame_only_after_a_run(blank_script):
    """Why ui.serve registers it: when this fails, Streamlit does so itself and that part can go."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", *streamlit_command(blank_script, port)[3:]]
    assert _cookie_frame_status(command, port)[0] == 404


def test_ui_serve_serves_the_cookie_frame_from_the_start(blank_script):
    port = free_port()
    status, log = _cookie_frame_status(streamlit_command(blank_script, port), port)
    assert status == 200
    assert "ScriptRunContext" not in log and "config option" not in log, log  # registered quietly

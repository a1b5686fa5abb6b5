"""ui.serve: connections accepted on a socket bound as Streamlit binds it send without Nagle."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import socket

import pytest

from ui import serve


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

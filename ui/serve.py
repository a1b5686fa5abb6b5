"""Start the app: `python -m ui.serve app.py [options of streamlit run]`.

The same as `streamlit run app.py [options]`, with Nagle's algorithm off on every browser (or
nginx) connection. Streamlit 1.67 binds its listening socket itself, as socket.socket(family)
with protocol 0; the connections it accepts inherit that 0, and asyncio turns Nagle off only on
sockets whose protocol reads TCP. So of the several messages a rerun sends, each one after the
first waited for the peer's delayed acknowledgement, 40 ms on Linux. Harmless once Streamlit
binds with IPPROTO_TCP; remove it then.
"""

from __future__ import annotations

import asyncio.base_events
import socket
import sys


def _set_nodelay(sock: socket.socket) -> None:
    """asyncio's own rule, with a TCP socket of protocol 0 counted as TCP."""
    if (
        sock.family in (socket.AF_INET, socket.AF_INET6)
        and sock.type == socket.SOCK_STREAM
        and sock.proto in (0, socket.IPPROTO_TCP)
    ):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def nagle_off_on_accepted_sockets() -> None:
    """Every socket transport asyncio makes from now on sends each write at once."""
    asyncio.base_events._set_nodelay = _set_nodelay


def main(args: list[str]) -> None:
    from streamlit.web import cli

    nagle_off_on_accepted_sockets()
    sys.argv = ["streamlit", "run", *args]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])

"""Start the app: `python -m ui.serve app.py [options of streamlit run]`.

The same as `streamlit run app.py [options]`, with the login's cookie frame served from the
start, and Nagle's algorithm off on every browser (or nginx) connection.

Streamlit registers a custom component (and serves its files) only when a script run first
imports it. A replica restarted behind nginx can be sent a browser's frame requests before any
page has run on it (the browser's socket still on the other replica): the cookie frame then got
404, and a login made in that moment lasted only until the next reload. So the server registers
it as it starts.

Nagle: Streamlit 1.67 binds its listening socket itself, as socket.socket(family)
with protocol 0; the connections it accepts inherit that 0, and asyncio turns Nagle off only on
sockets whose protocol reads TCP. So of the several messages a rerun sends, each one after the
first waited for the peer's delayed acknowledgement, 40 ms on Linux. Harmless once Streamlit
binds with IPPROTO_TCP; remove it then.
"""

from __future__ import annotations

import asyncio.base_events
import logging
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


def _cookie_frame():
    """The library's cookie component. Imported here, once Streamlit has read its options (imported
    before, Streamlit reads them twice); its package declares its components outside any script
    run, for which Streamlit logs a harmless warning per component: not into the server's log."""
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = context_log.level
    context_log.setLevel(logging.ERROR)
    try:
        from extra_streamlit_components.CookieManager import _component_func
    finally:
        context_log.setLevel(level)
    return _component_func


def cookie_frame_registered_at_start() -> None:
    """Every Runtime made from now on serves the cookie component before its first script run."""
    from streamlit.runtime.runtime import Runtime

    made = Runtime.__init__

    def __init__(self, config):
        made(self, config)
        self.component_registry.register_component(_cookie_frame())

    Runtime.__init__ = __init__


def main(args: list[str]) -> None:
    from streamlit.web import cli

    nagle_off_on_accepted_sockets()
    cookie_frame_registered_at_start()
    sys.argv = ["streamlit", "run", *args]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])

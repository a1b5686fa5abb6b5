"""A logged-in session that speaks Streamlit's own websocket protocol, without a browser.

What a browser tab does on the wire, and nothing else: it opens /_stcore/stream, asks for a
script run (BackMsg.rerun_script), fills the login form by sending the form's widget values
with the submit button triggered, then asks for each page by its page_script_hash, and reads
the ForwardMsgs until script_finished. Page time is from the request to the last message of
the run: the whole server side — session, login check, sidebar, the page's queries and
elements, serialisation, the socket — with no client CPU to speak of. So 20 of them on the
server's own 2 cores measure the server under 20 users, where 20 Chromium tabs on those cores
measure mostly Chromium (see bench.sessions).
"""

from __future__ import annotations

import json
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class ProtocolError(Exception):
    pass


class Run:
    """What one script run sent: its elements by type, headings, exceptions, the page list."""

    def __init__(self):
        self.elements: list[tuple[str, object]] = []
        self.pages: dict[str, str] = {}  # url path → page_script_hash (the default page's path is "")
        self.status = None

    def headings(self) -> list[str]:
        return [e.body for kind, e in self.elements if kind == "heading"]

    def exceptions(self) -> list[str]:
        return [f"{e.type}: {e.message}"[:300] for kind, e in self.elements if kind == "exception"]

    def widget(self, kind: str, label: str):
        return next(e for k, e in self.elements if k == kind and getattr(e, "label", None) == label)


class ProtocolSession:
    def __init__(self, url: str):
        self.url = url
        self.ws = None
        self.pages: dict[str, str] = {}
        self.titles: dict[str, str] = {}  # page title → page_script_hash

    async def __aenter__(self) -> ProtocolSession:
        self.ws = await websockets.connect(
            self.url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],
            origin=self.url,
            max_size=None,
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def rerun(self, page_hash: str = "", widgets=()) -> Run:
        message = BackMsg()
        message.rerun_script.page_script_hash = page_hash
        message.rerun_script.query_string = ""
        for widget_id, field, value in widgets:
            state = message.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            setattr(state, field, value)
        await self.ws.send(message.SerializeToString())
        run = Run()
        while True:
            incoming = ForwardMsg()
            incoming.ParseFromString(await self.ws.recv())
            kind = incoming.WhichOneof("type")
            if kind == "delta" and incoming.delta.WhichOneof("type") == "new_element":
                element = incoming.delta.new_element
                which = element.WhichOneof("type")
                run.elements.append((which, getattr(element, which)))
            elif kind == "navigation":
                run.pages = {p.url_pathname: p.page_script_hash for p in incoming.navigation.app_pages}
                self.pages = run.pages
                self.titles = {p.page_name: p.page_script_hash for p in incoming.navigation.app_pages}
            elif kind == "script_finished":
                run.status = incoming.script_finished
                if run.status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run follows
                    return run
                run.elements.clear()

    async def log_in(self, username: str, password: str) -> Run:
        await self.rerun()  # a new session: this run resolves the navigation (the login page's hash)
        form = await self.rerun(self.pages.get("", ""))  # widget ids are per page: read them on that page
        user, secret = form.widget("text_input", "用户名"), form.widget("text_input", "密码")
        submit = form.widget("button", "登录")
        run = await self.rerun(
            widgets=[
                (user.id, "string_value", username),
                (secret.id, "string_value", password),
                (submit.id, "trigger_value", True),
            ]
        )
        if not any(kind == "button" and element.label == "退出登录" for kind, element in run.elements):
            raise ProtocolError(f"login as {username} did not open the pages: {run.headings()} {run.exceptions()}")
        return await self._cookie_written(run)

    async def _cookie_written(self, run: Run) -> Run:
        """What a tab's cookie frame does once it has set the login cookie: it says so (its
        component value true), in the rerun that follows. Until then the app draws the frame again
        on every run (ui.auth), which no browser session keeps doing for long."""
        writers = [
            (e.id, "json_value", "true")
            for kind, e in run.elements
            if kind == "component_instance" and json.loads(e.json_args).get("method") == "set"
        ]
        return await self.rerun(widgets=writers) if writers else run

    async def open(self, key: str, title: str) -> dict:
        """Ask for a page; its time and what went wrong (exceptions, the title not drawn, an unfinished run)."""
        started = time.perf_counter()
        run = await self.rerun(self.titles[title])
        seconds = time.perf_counter() - started
        errors = run.exceptions()
        if run.status not in FINISHED_OK:
            errors.append(f"script run ended with status {run.status}")
        if not any(title in h for h in run.headings()):
            errors.append(f"title {title} not drawn (headings: {run.headings()[:3]})")
        return {"page": key, "seconds": seconds, "errors": errors, "elements": len(run.elements)}

"""Every file that leaves the server: built when it is fetched, after the server-side session
is checked again, and audited at that moment.

Streamlit fetches a download in a request of its own, which a client can send without the click
that reruns the page, and which an open tab can still send after its login has ended. So neither
the page run nor the click is the place to check or audit: the function that builds the file is.
"""

from __future__ import annotations

from collections.abc import Callable

from . import audit, sessions

REFUSED = "登录已失效（已退出、超时或账户已停用），未导出文件。请刷新页面重新登录。"


class DownloadRefused(PermissionError):
    """The session behind a download is over: nothing is built or sent."""


def served(
    build: Callable[[], bytes],
    *,
    session_key: str,
    username: str,
    what: str,
    rows: int | None = None,
    personal: bool = False,
    db=None,
) -> Callable[[], bytes]:
    """``build`` wrapped so that it runs only for a live session and leaves an audit event.

    ``personal``: the file holds names or petitioner numbers unmasked (audit
    ``download_personal``; other files ``download``). ``what`` names the file, never a person.
    ``db``: the access database (as everywhere in access/; the environment's by default).
    """

    def serve() -> bytes:
        if sessions.check_session(session_key, db=db) is None:
            audit.record("download_refused", username, {"what": what}, db=db)
            raise DownloadRefused(REFUSED)
        data = build()
        detail = {"what": what} if rows is None else {"what": what, "rows": rows}
        audit.record("download_personal" if personal else "download", username, detail, db=db)
        return data

    return serve

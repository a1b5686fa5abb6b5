"""Every file that leaves the server is checked against the server-side session and audited
when it is fetched, not when the page reruns (a client can fetch without the rerun)."""

import pytest

from access import accounts, audit, downloads, sessions
from tests.app_db_fixture import db_url, pg_server  # noqa: F401

PASSWORD = "Zhengshou#2026"


@pytest.fixture
def leader_key(db_url):
    accounts.create_user("leader", PASSWORD, "领导", "张主任", [], db=db_url)
    key = sessions.new_key()
    sessions.open_session("leader", key, db=db_url)
    return key


def _serve(db_url, key, built, personal):
    def build():
        built.append(1)
        return b"workbook"

    return downloads.served(
        build, session_key=key, username="leader", what="尾欠户名单.xlsx", rows=670, personal=personal, db=db_url
    )


@pytest.mark.parametrize(("personal", "action"), [(True, "download_personal"), (False, "download")])
def test_a_file_is_audited_when_it_is_served(db_url, leader_key, personal, action):
    built = []
    serve = _serve(db_url, leader_key, built, personal)
    assert audit.recent(action=action, db=db_url) == []  # the page run alone records nothing
    assert serve() == b"workbook"
    events = audit.recent(action=action, db=db_url)
    assert [(e["username"], e["detail"]) for e in events] == [("leader", {"what": "尾欠户名单.xlsx", "rows": 670})]
    assert serve() == b"workbook"  # each fetch is one event
    assert len(audit.recent(action=action, db=db_url)) == 2


@pytest.mark.parametrize(
    "end",
    [
        lambda db, key: sessions.close_session(key, "logout", db=db),
        lambda db, key: accounts.disable_user("leader", db=db),
    ],
    ids=["logged_out", "disabled"],
)
def test_a_file_is_not_built_once_the_session_has_ended(db_url, leader_key, end):
    built = []
    serve = _serve(db_url, leader_key, built, personal=True)  # the button drawn while logged in
    end(db_url, leader_key)
    with pytest.raises(downloads.DownloadRefused, match="登录已失效"):
        serve()
    assert built == []
    assert audit.recent(action=["download_personal", "download"], db=db_url) == []
    refused = audit.recent(action="download_refused", db=db_url)
    assert [(e["username"], e["detail"]) for e in refused] == [("leader", {"what": "尾欠户名单.xlsx"})]


def test_every_audit_action_has_its_chinese_label():
    assert set(audit.ACTIONS) == set(audit.ACTION_LABELS)
    assert all(label and label.isascii() is False for label in audit.ACTION_LABELS.values())

"""Audit log: every event is recorded, newest first, and never holds personal data or passwords.
Also the masking rules (the one place names and IDs are hidden)."""

from datetime import timedelta

import pytest

from access import accounts, audit, roles, sessions
from tests.app_db_fixture import T0, db_url, dump_db, pg_server  # noqa: F401

PASSWORD = "Zhengshou#2026"
MIN = timedelta(minutes=1)


def scenario(db_url):
    """One of each account/session event, in order, one minute apart."""
    at = iter(T0 + i * MIN for i in range(100))
    accounts.create_user("chief", PASSWORD, "科长", "张科长", now=next(at), db=db_url)
    accounts.authenticate("chief", PASSWORD, now=next(at), db=db_url)  # login_ok
    key = sessions.new_key()
    opened = next(at)
    sessions.open_session("chief", key, now=opened, db=db_url)
    sessions.check_session(key, now=opened + 31 * MIN, db=db_url)  # session_expired
    key2 = sessions.new_key()
    sessions.open_session("chief", key2, now=next(at) + 40 * MIN, db=db_url)
    sessions.close_session(key2, now=next(at) + 40 * MIN, db=db_url)  # logout
    accounts.set_password("chief", "New-password-9", now=next(at) + 40 * MIN, db=db_url)
    accounts.disable_user("chief", now=next(at) + 40 * MIN, db=db_url)
    accounts.enable_user("chief", now=next(at) + 40 * MIN, db=db_url)
    for _ in range(5):  # login_failed x5, then locked
        accounts.authenticate("chief", "wrong-password", now=next(at) + 40 * MIN, db=db_url)


def test_every_account_and_session_event_is_recorded(db_url):
    scenario(db_url)
    events = audit.recent(db=db_url)
    actions = [e["action"] for e in reversed(events)]  # oldest first
    assert actions == [
        "user_created",
        "login_ok",
        "session_expired",
        "logout",
        "password_changed",
        "user_disabled",
        "user_enabled",
        "login_failed",
        "login_failed",
        "login_failed",
        "login_failed",
        "login_failed",
        "locked",
    ]
    assert all(e["username"] == "chief" for e in events)
    assert all(e["at"].utcoffset() == timedelta(0) for e in events)
    by_action = {e["action"]: e["detail"] for e in events}
    assert by_action["user_created"] == {"role": "科长", "townships": [], "by": None}
    assert by_action["session_expired"] == {"reason": "idle_timeout"}
    assert by_action["logout"] == {"reason": "logout"}
    assert by_action["locked"]["failures"] == 5
    assert by_action["login_failed"] == {"reason": "wrong_password"}


def test_recent_is_newest_first_with_filters_and_limit(db_url):
    for i in range(5):
        audit.record("load_published", "admin", {"rows": i}, now=T0 + i * MIN, db=db_url)
    audit.record("rollback", "admin", {"to_version": 3}, now=T0 + 10 * MIN, db=db_url)
    audit.record("download_personal", "leader", {"page": "petitions", "rows": 12}, now=T0 + 11 * MIN, db=db_url)
    newest = audit.recent(db=db_url)
    assert [e["action"] for e in newest[:2]] == ["download_personal", "rollback"]
    assert [e["detail"]["rows"] for e in audit.recent(action="load_published", db=db_url)] == [4, 3, 2, 1, 0]
    assert len(audit.recent(limit=2, db=db_url)) == 2
    assert [e["action"] for e in audit.recent(username="leader", db=db_url)] == ["download_personal"]
    assert len(audit.recent(action=["rollback", "download_personal"], db=db_url)) == 2
    assert newest[0]["at"] == T0 + 11 * MIN


def test_same_instant_events_keep_insertion_order_newest_first(db_url):
    for action in ("load_failed", "load_published", "rollback"):
        audit.record(action, "admin", now=T0, db=db_url)
    assert [e["action"] for e in audit.recent(db=db_url)] == ["rollback", "load_published", "load_failed"]


def test_version_moves_with_each_new_event_and_names_the_database(db_url):
    empty = audit.version(db=db_url)
    assert empty[1] == 0 and empty[0].endswith(db_url.rsplit("/", 1)[-1])
    audit.record("rollback", "admin", now=T0, db=db_url)
    first = audit.version(db=db_url)
    assert first[1] > 0 and audit.version(db=db_url) == first
    audit.record("rollback", "admin", now=T0 - MIN, db=db_url)  # an older timestamp still moves it
    assert audit.version(db=db_url)[1] > first[1]


@pytest.mark.parametrize(
    "detail",
    [
        {"owner": "王小明"},
        {"户主": "王小明"},
        {"rows": 3, "filter": {"姓名": "王小明"}},
        {"note": "身份证 110101199003071234"},
        {"contact": "13912345678"},
        {"password": "whatever"},
        {"list": ["ok", "11010119900307123X"]},
        ["not", "a", "dict"],
        {"obj": object()},
    ],
)
def test_personal_data_and_passwords_are_refused(db_url, detail):
    with pytest.raises(ValueError):
        audit.record("download_personal", "leader", detail, now=T0, db=db_url)
    assert audit.recent(db=db_url) == []


@pytest.mark.parametrize("action", ["", "Login OK", "x", "drop table;", None])
def test_bad_action_names_refused(db_url, action):
    with pytest.raises(ValueError):
        audit.record(action, db=db_url)


def test_no_plaintext_password_or_owner_name_anywhere(db_url):
    scenario(db_url)
    # someone types the password into the username box: must not be stored either
    accounts.authenticate(PASSWORD, "x" * 10, now=T0 + 3 * 60 * MIN, db=db_url)
    accounts.authenticate("ghost-王小明", "guess-1234", now=T0 + 3 * 60 * MIN, db=db_url)
    audit.record("download_personal", "leader", {"page": "holdouts", "rows": 7}, now=T0 + 3 * 60 * MIN, db=db_url)
    with pytest.raises(ValueError):
        audit.record("download_personal", "leader", {"owner": "王小明"}, db=db_url)
    dumped = dump_db(db_url)
    for secret in (PASSWORD, "New-password-9", "wrong-password", "guess-1234", "王小明"):
        assert secret not in dumped, secret
    unknown = audit.recent(limit=2, action="login_failed", db=db_url)
    assert all(e["username"] is None and e["detail"]["reason"] == "unknown_user" for e in unknown)


@pytest.mark.parametrize(
    "name, masked",
    [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("李", "*"),
        (" 王小明 ", "王**"),
        ("阿卜杜·热合曼", "阿******"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_name(name, masked):
    assert roles.mask_name(name) == masked


@pytest.mark.parametrize(
    "value, masked",
    [
        ("110101199003071234", "110" + "*" * 15),
        ("XF-2026-0001", "XF-" + "*" * 9),
        (4401234, "440****"),
        ("ab", "**"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_id(value, masked):
    assert roles.mask_id(value) == masked


def test_masking_leaves_missing_values_alone():
    nan = float("nan")
    assert roles.mask_name(nan) is nan and roles.mask_id(nan) is nan


@pytest.mark.parametrize(
    ("detail", "shown"),
    [
        ({"what": "预警汇总.xlsx", "rows": 12}, "文件：预警汇总.xlsx；行数：12"),
        ({"reason": "wrong_password", "from": "10.1.2.3"}, "原因：密码错误；来源地址：10.1.2.3"),
        ({"load_id": "20261120-0930", "ok": False}, "加载批次：20261120-0930；成功：否"),
        (
            {"role": "科长", "townships": ["东城街道", "西城街道"], "by": "admin"},
            "角色：科长；镇街：东城街道、西城街道；操作人：admin",
        ),
        ({"townships": []}, "镇街：全部"),
        ({"new_key": "x"}, "new_key：x"),  # an unknown key is shown as written, never dropped
    ],
)
def test_an_events_detail_reads_in_chinese(detail, shown):
    assert audit.describe(detail) == shown


def test_every_detail_the_app_writes_has_a_chinese_label(db_url):
    scenario(db_url)
    sessions.close_all("chief", "logout", db=db_url)
    written = {key for event in audit.recent(db=db_url) for key in event["detail"]}
    reasons = {e["detail"]["reason"] for e in audit.recent(db=db_url) if "reason" in e["detail"]}
    assert written <= set(audit.DETAIL_LABELS), written - set(audit.DETAIL_LABELS)
    assert reasons <= set(audit.REASON_LABELS), reasons - set(audit.REASON_LABELS)

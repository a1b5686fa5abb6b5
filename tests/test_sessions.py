"""Server-side sessions (idle and absolute limits, revocation) and the cookie key."""

import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

import access.db
from access import accounts, audit, sessions
from access.errors import AccessError
from access.secrets import DEMO_COOKIE_KEY, cookie_key
from tests.app_db_fixture import ROOT, T0, db_url, dump_db, pg_server  # noqa: F401

PASSWORD = "Zhengshou#2026"
MIN = timedelta(minutes=1)


@pytest.fixture
def chief(db_url):
    accounts.create_user("chief_dc", PASSWORD, "科长", "东城街道科长", ["东城街道"], now=T0, db=db_url)
    return "chief_dc"


def test_backend_is_the_one_asked_for(db_url, request):
    expected = "sqlite" if "sqlite" in request.node.callspec.id else "postgresql"
    assert access.db.engine(db_url).dialect.name == expected


def test_open_and_check_carry_the_user(db_url, chief):
    key = sessions.new_key()
    opened = sessions.open_session(chief, key, now=T0, db=db_url)
    info = sessions.check_session(key, now=T0 + MIN, db=db_url)
    assert info == opened
    assert (info.username, info.role, info.display_name) == ("chief_dc", "科长", "东城街道科长")
    assert info.townships == ("东城街道",) and info.opened_at == info.last_seen_at == T0
    assert sessions.check_session("some-other-key", now=T0, db=db_url) is None
    assert sessions.check_session("", now=T0, db=db_url) is None
    assert sessions.check_session(None, now=T0, db=db_url) is None


def test_key_is_stored_only_as_sha256(db_url, chief):
    key = "cookie-value-eyJhbGciOiJIUzI1NiJ9.secret"
    sessions.open_session(chief, key, now=T0, db=db_url)
    dumped = dump_db(db_url)
    assert key not in dumped and sessions.key_hash(key) in dumped


def test_open_session_refuses_unknown_or_disabled_user(db_url, chief):
    with pytest.raises(AccessError, match="用户不存在"):
        sessions.open_session("ghost", sessions.new_key(), now=T0, db=db_url)
    accounts.disable_user(chief, now=T0, db=db_url)
    with pytest.raises(AccessError, match="账户已停用"):
        sessions.open_session(chief, sessions.new_key(), now=T0, db=db_url)


def test_idle_timeout_ends_session_and_is_audited(db_url, chief):
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    assert sessions.check_session(key, now=T0 + 30 * MIN, db=db_url) is not None
    assert sessions.check_session(key, now=T0 + 31 * MIN, db=db_url) is None
    assert sessions.check_session(key, now=T0 + 5 * MIN, db=db_url) is None  # closed for good
    expired = audit.recent(action="session_expired", db=db_url)
    assert len(expired) == 1 and expired[0]["username"] == chief
    assert expired[0]["detail"] == {"reason": "idle_timeout"}


def test_touch_extends_idle_time_at_most_once_a_minute(db_url, chief):
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    assert sessions.touch(key, now=T0 + 20 * MIN, db=db_url) is True
    assert sessions.touch(key, now=T0 + 20 * MIN + timedelta(seconds=30), db=db_url) is False
    info = sessions.check_session(key, now=T0 + 45 * MIN, db=db_url)
    assert info is not None and info.last_seen_at == T0 + 20 * MIN
    assert sessions.check_session(key, now=T0 + 51 * MIN, db=db_url) is None


def test_touch_never_revives_an_expired_session(db_url, chief):
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    assert sessions.touch(key, now=T0 + 40 * MIN, db=db_url) is False
    assert sessions.check_session(key, now=T0 + 40 * MIN, db=db_url) is None


def test_idle_minutes_from_environment(db_url, chief, monkeypatch):
    monkeypatch.setenv("APP_IDLE_MINUTES", "5")
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    assert sessions.check_session(key, now=T0 + 6 * MIN, db=db_url) is None


def test_absolute_limit_even_when_active(db_url, chief):
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    for step in range(1, 25):  # busy all day: a touch every 20 minutes
        at = T0 + step * 20 * MIN
        assert sessions.check_session(key, now=at, db=db_url) is not None, at
        sessions.touch(key, now=at, db=db_url)
    assert sessions.check_session(key, now=T0 + timedelta(hours=8, minutes=1), db=db_url) is None
    assert audit.recent(action="session_expired", db=db_url)[0]["detail"] == {"reason": "absolute_limit"}


def test_absolute_hours_from_environment(db_url, chief, monkeypatch):
    monkeypatch.setenv("APP_ABSOLUTE_HOURS", "1")
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    sessions.touch(key, now=T0 + 50 * MIN, db=db_url)
    assert sessions.check_session(key, now=T0 + 61 * MIN, db=db_url) is None


def test_logout_makes_the_key_useless(db_url, chief):
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    assert sessions.close_session(key, now=T0 + MIN, db=db_url) is True
    assert sessions.check_session(key, now=T0 + MIN, db=db_url) is None
    assert sessions.close_session(key, now=T0 + MIN, db=db_url) is False
    with pytest.raises(AccessError, match="该会话已结束"):
        sessions.open_session(chief, key, now=T0 + 2 * MIN, db=db_url)
    assert sessions.touch(key, now=T0 + 3 * MIN, db=db_url) is False
    assert sessions.check_session(key, now=T0 + 3 * MIN, db=db_url) is None


def test_reopening_a_live_key_is_idempotent(db_url, chief):
    key = sessions.new_key()
    first = sessions.open_session(chief, key, now=T0, db=db_url)
    assert sessions.open_session(chief, key, now=T0 + MIN, db=db_url) == first


@pytest.mark.parametrize("change", ["password", "disable"])
def test_password_change_or_disable_ends_every_session_of_the_user(db_url, chief, change):
    accounts.create_user("leader", PASSWORD, "领导", "李主任", now=T0, db=db_url)
    keys = [sessions.new_key() for _ in range(3)]
    for key in keys:
        sessions.open_session(chief, key, now=T0, db=db_url)
    other = sessions.new_key()
    sessions.open_session("leader", other, now=T0, db=db_url)
    if change == "password":
        closed = accounts.set_password(chief, "New-password-9", now=T0 + MIN, db=db_url)
    else:
        closed = accounts.disable_user(chief, now=T0 + MIN, db=db_url)
    assert closed == 3
    for key in keys:
        assert sessions.check_session(key, now=T0 + 2 * MIN, db=db_url) is None
    assert sessions.check_session(other, now=T0 + 2 * MIN, db=db_url) is not None
    if change == "disable":  # enabling again does not bring old sessions back
        accounts.enable_user(chief, now=T0 + 2 * MIN, db=db_url)
        assert sessions.check_session(keys[0], now=T0 + 3 * MIN, db=db_url) is None


def test_password_changed_after_opening_is_caught_even_without_close_all(db_url, chief):
    key = sessions.new_key()
    sessions.open_session(chief, key, now=T0, db=db_url)
    with access.db.write(db_url) as conn:  # a change that bypassed set_password
        conn.execute(update(access.db.users).values(password_changed_at=T0 + MIN))
    assert sessions.check_session(key, now=T0 + 2 * MIN, db=db_url) is None


def test_close_all_logs_out_everywhere(db_url, chief):
    keys = [sessions.new_key() for _ in range(2)]
    for key in keys:
        sessions.open_session(chief, key, now=T0, db=db_url)
    assert sessions.close_all(chief, "logout_everywhere", now=T0 + MIN, db=db_url) == 2
    assert all(sessions.check_session(k, now=T0 + MIN, db=db_url) is None for k in keys)
    assert sessions.close_all(chief, "logout_everywhere", now=T0 + MIN, db=db_url) == 0


def test_threads_share_the_database(db_url, chief):
    """Several Streamlit threads at once: logins, checks, touches, opens, no locking errors."""
    errors = []

    def worker(n):
        try:
            for i in range(8):
                key = f"thread-{n}-{i}"
                assert accounts.authenticate(chief, PASSWORD, db=db_url).ok
                sessions.open_session(chief, key, db=db_url)
                assert sessions.check_session(key, db=db_url) is not None
                sessions.touch(key, db=db_url)
                sessions.close_session(key, db=db_url)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(audit.recent(limit=1000, action="logout", db=db_url)) == 48


def test_cookie_key_from_env_or_argument(monkeypatch):
    monkeypatch.setenv("APP_COOKIE_KEY", "e" * 40)
    assert cookie_key(False) == "e" * 40
    assert cookie_key(False, "a" * 32) == "a" * 32  # from st.secrets, passed by the caller


@pytest.mark.parametrize("value", [None, "", "too-short-key"])
def test_cookie_key_refused_outside_demo_mode(monkeypatch, value):
    monkeypatch.delenv("APP_COOKIE_KEY", raising=False)
    with pytest.raises(AccessError, match="APP_COOKIE_KEY") as caught:
        cookie_key(False, value)
    assert "至少32个字符" in str(caught.value)


def test_cookie_key_demo_mode_falls_back_with_warning(monkeypatch):
    monkeypatch.delenv("APP_COOKIE_KEY", raising=False)
    with pytest.warns(RuntimeWarning, match="演示"):
        assert cookie_key(True) == DEMO_COOKIE_KEY
    assert len(DEMO_COOKIE_KEY) >= 32
    assert cookie_key(True, "k" * 48) == "k" * 48


WORKER = """
import sys
from access import accounts, sessions
url, n = sys.argv[1], sys.argv[2]
for i in range(10):
    key = f"proc-{n}-{i}"
    assert accounts.authenticate("chief_dc", "PASSWORD", db=url).ok
    sessions.open_session("chief_dc", key, db=url)
    assert sessions.check_session(key, db=url) is not None
    sessions.touch(key, db=url)
    sessions.close_session(key, db=url)
""".replace("PASSWORD", PASSWORD)


def test_processes_share_the_database(db_url, chief):
    """Several Streamlit processes on one database (WAL + busy timeout on SQLite)."""
    env = {**os.environ, "APP_BCRYPT_ROUNDS": "4", "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, db_url, str(n)], env=env, stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert len(audit.recent(limit=1000, action="logout", db=db_url)) == 40


def _token(payload: dict, key: str = DEMO_COOKIE_KEY) -> str:
    import jwt

    return jwt.encode(payload, key, algorithm="HS256")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (_token({"username": "chief_dc", "exp_date": 4102444800}), "chief_dc"),
        (_token({"username": "chief_dc", "exp_date": 1000}), None),  # the library's own expiry passed
        (_token({"username": "chief_dc", "exp_date": 4102444800}, key="x" * 40), None),  # another key
        (_token({"username": "chief_dc"}), None),
        (_token({"username": "chief_dc", "exp_date": "soon"}), None),
        (_token({"username": "chief_dc", "exp_date": True}), None),
        (_token({"username": ["chief_dc"], "exp_date": 4102444800}), None),
        (_token({"username": "chief_dc", "exp_date": 4102444800, "exp": 1}), None),  # JWT expiry passed
        ("not-a-token", None),
        ("", None),
    ],
)
def test_a_login_cookie_names_its_user_only_when_the_library_can_take_it(value, expected):
    assert sessions.cookie_username(value, DEMO_COOKIE_KEY) == expected

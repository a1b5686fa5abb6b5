"""Accounts: storage, password rules, login messages, timing, lockout, CLI, role matrix."""

import statistics
import threading
import time
from datetime import timedelta
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy import select

import access.db
from access import accounts, audit, roles
from access.demo import DEMO_ACCOUNTS, demo_password
from access.errors import AccessError
from tests.app_db_fixture import T0, db_url, dump_db, pg_server, run_cli  # noqa: F401

PASSWORD = "Zhengshou#2026"


def make(db_url, username="chief", role="科长", name="张科长", townships=(), password=PASSWORD):
    return accounts.create_user(username, password, role, name, townships, now=T0, db=db_url)


def test_create_user_stores_bcrypt_hash_never_plaintext(db_url):
    user = make(db_url, townships=["东城街道", "西城街道"])
    assert (user.username, user.role, user.display_name) == ("chief", "科长", "张科长")
    assert user.townships == ("东城街道", "西城街道") and user.is_active
    assert user.created_at == T0 and user.password_changed_at == T0 and user.last_login_at is None
    with access.db.read(db_url) as conn:
        stored = conn.execute(select(access.db.users.c.password_hash)).scalar_one()
    assert stored.startswith("$2b$04$")
    assert bcrypt.checkpw(PASSWORD.encode(), stored.encode())
    assert PASSWORD not in dump_db(db_url)
    assert accounts.get_user("CHIEF ", db=db_url) == user
    assert accounts.get_user("nobody", db=db_url) is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"password": "short7!"}, "密码长度至少为8个字符"),
        ({"password": " padded-password "}, "密码首尾不能有空格"),
        ({"password": "密" * 25}, "密码过长"),
        ({"password": "chief_dc", "username": "chief_dc"}, "密码不能与用户名相同"),
        ({"role": "局长"}, "未知角色"),
        ({"username": "张三"}, "用户名须为"),
        ({"username": "x"}, "用户名须为"),
        ({"name": "  "}, "姓名不能为空"),
        ({"role": "领导", "townships": ["东城街道"]}, "只有科长可以限定镇街范围"),
    ],
)
def test_create_user_refuses_bad_input_in_chinese(db_url, kwargs, message):
    with pytest.raises(AccessError, match=message):
        make(db_url, **kwargs)
    assert accounts.list_users(db=db_url) == []


def test_duplicate_username_refused(db_url):
    make(db_url)
    with pytest.raises(AccessError, match="用户已存在：chief"):
        make(db_url, username="Chief")


def test_login_ok_updates_last_login(db_url):
    make(db_url)
    result = accounts.authenticate(" Chief", PASSWORD, now=T0 + timedelta(hours=1), db=db_url)
    assert result.ok and result.message == "" and result.user.username == "chief"
    assert result.user.last_login_at == T0 + timedelta(hours=1)


def test_unknown_user_and_wrong_password_get_the_same_answer(db_url):
    make(db_url)
    wrong = accounts.authenticate("chief", "not-the-password", now=T0, db=db_url)
    unknown = accounts.authenticate("ghost", "not-the-password", now=T0, db=db_url)
    assert not wrong.ok and not unknown.ok
    assert wrong.message == unknown.message == "用户名或密码错误"
    assert wrong.reason == unknown.reason == "invalid"
    assert wrong.user is None and unknown.user is None
    assert accounts.authenticate("", "", db=db_url).message == "请输入用户名和密码"


def test_unknown_user_takes_about_as_long_as_wrong_password(db_url, monkeypatch):
    monkeypatch.setenv("APP_BCRYPT_ROUNDS", "10")  # ~50 ms per check: bcrypt dominates DB time
    make(db_url)
    accounts.authenticate("warmup", "x" * 10, now=T0, db=db_url)  # builds the dummy hash once

    def timed(name):
        start = time.perf_counter()
        accounts.authenticate(name, "wrong-password", now=T0, db=db_url)
        return time.perf_counter() - start

    wrong = statistics.mean(timed("chief") for _ in range(3))
    unknown = statistics.mean(timed(f"ghost{i}") for i in range(3))
    # Without the dummy check an unknown name would answer 10x faster; allow wide noise.
    assert 0.4 < unknown / wrong < 2.5, (unknown, wrong)


def test_five_failures_lock_for_15_minutes_then_unlock(db_url):
    make(db_url)
    for i in range(4):
        result = accounts.authenticate("chief", "bad-password", now=T0 + timedelta(minutes=i), db=db_url)
        assert result.message == "用户名或密码错误"
    fifth = accounts.authenticate("chief", "bad-password", now=T0 + timedelta(minutes=4), db=db_url)
    assert fifth.reason == "locked" and fifth.message == "登录失败次数过多，本机已暂停该用户名登录15分钟"
    assert fifth.locked_until == T0 + timedelta(minutes=19)
    during = accounts.authenticate("chief", PASSWORD, now=T0 + timedelta(minutes=18), db=db_url)
    assert not during.ok and during.message == "登录失败次数过多，本机已暂停该用户名登录15分钟"
    after = accounts.authenticate("chief", PASSWORD, now=T0 + timedelta(minutes=19, seconds=1), db=db_url)
    assert after.ok


def test_unknown_usernames_lock_the_same_way(db_url):
    messages = [accounts.authenticate("ghost", "bad-password", now=T0, db=db_url).message for _ in range(6)]
    assert messages[:4] == ["用户名或密码错误"] * 4
    assert messages[4:] == ["登录失败次数过多，本机已暂停该用户名登录15分钟"] * 2
    later = accounts.authenticate("ghost", "bad-password", now=T0 + timedelta(minutes=16), db=db_url)
    assert later.message == "用户名或密码错误"


def test_failures_spread_beyond_the_window_do_not_lock(db_url):
    make(db_url)
    for minute in (0, 1, 2, 3, 20, 21, 22, 23):
        result = accounts.authenticate("chief", "bad-password", now=T0 + timedelta(minutes=minute), db=db_url)
        assert result.reason == "invalid", minute
    assert accounts.authenticate("chief", PASSWORD, now=T0 + timedelta(minutes=24), db=db_url).ok


def test_failures_from_one_computer_do_not_lock_the_name_on_another(db_url):
    """Anyone can type the administrator's name: their failures pause it on their computer only."""
    make(db_url)
    attacker, office = "10.20.0.66", "10.20.0.5"
    results = [accounts.authenticate("chief", "guess", now=T0, client=attacker, db=db_url).reason for _ in range(6)]
    assert results == ["invalid"] * 4 + ["locked"] * 2
    assert accounts.authenticate("chief", PASSWORD, now=T0, client=office, db=db_url).ok
    assert accounts.authenticate("chief", PASSWORD, now=T0, client=attacker, db=db_url).reason == "locked"
    locked = audit.recent(action="locked", db=db_url)
    assert [(e["username"], e["detail"]) for e in locked] == [
        ("chief", {"failures": 5, "minutes": 15, "from": attacker})
    ]


def test_a_password_change_lifts_the_pause_on_every_computer(db_url):
    make(db_url)
    for client in ("10.20.0.66", "10.20.0.67"):
        for _ in range(5):
            accounts.authenticate("chief", "guess", now=T0, client=client, db=db_url)
        assert accounts.authenticate("chief", PASSWORD, now=T0, client=client, db=db_url).reason == "locked"
    accounts.set_password("chief", "Another#Pass2026", now=T0, db=db_url)
    for client in ("10.20.0.66", "10.20.0.67"):
        assert accounts.authenticate("chief", "Another#Pass2026", now=T0, client=client, db=db_url).ok


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("10.20.0.5", None, "10.20.0.5"),  # straight to the app
        ("10.20.0.5", "1.2.3.4", "10.20.0.5"),  # a browser's own header is not believed
        (None, "10.20.0.66", "10.20.0.66"),  # through nginx on this machine
        (None, "9.9.9.9, 10.20.0.66", "10.20.0.66"),  # what the browser put first is ignored
        (None, None, "127.0.0.1"),  # on the server itself
        ("10.20.0.2", "10.20.0.66", "10.20.0.66"),  # a proxy on another machine, when trusted
    ],
)
def test_the_address_a_login_counts_under(peer, forwarded, expected):
    assert accounts.client_address(peer, forwarded, ("127.0.0.1", "::1", "10.20.0.2")) == expected


def test_success_resets_the_failure_count(db_url):
    make(db_url)
    for _ in range(4):
        accounts.authenticate("chief", "bad-password", now=T0, db=db_url)
    assert accounts.authenticate("chief", PASSWORD, now=T0, db=db_url).ok
    for _ in range(4):
        assert accounts.authenticate("chief", "bad-password", now=T0, db=db_url).reason == "invalid"


def test_disabled_user_cannot_log_in_until_enabled(db_url):
    make(db_url)
    accounts.disable_user("chief", now=T0, db=db_url)
    refused = accounts.authenticate("chief", PASSWORD, now=T0, db=db_url)
    assert not refused.ok and refused.reason == "disabled" and refused.message == "账户已停用，请联系管理员"
    assert accounts.authenticate("chief", "bad-password", now=T0, db=db_url).message == "用户名或密码错误"
    assert not accounts.get_user("chief", db=db_url).is_active
    accounts.enable_user("chief", now=T0, db=db_url)
    assert accounts.authenticate("chief", PASSWORD, now=T0, db=db_url).ok


def test_set_password_replaces_old_and_lifts_lock(db_url):
    make(db_url)
    for _ in range(5):
        accounts.authenticate("chief", "bad-password", now=T0, db=db_url)
    accounts.set_password("chief", "New-password-9", now=T0 + timedelta(minutes=1), db=db_url)
    later = T0 + timedelta(minutes=2)
    assert accounts.authenticate("chief", PASSWORD, now=later, db=db_url).reason == "invalid"
    assert accounts.authenticate("chief", "New-password-9", now=later, db=db_url).ok
    assert accounts.get_user("chief", db=db_url).password_changed_at == T0 + timedelta(minutes=1)
    with pytest.raises(AccessError, match="密码长度至少为8个字符"):
        accounts.set_password("chief", "1234567", db=db_url)
    with pytest.raises(AccessError, match="用户不存在：ghost"):
        accounts.set_password("ghost", "Long-enough-1", db=db_url)


def test_config_for_authenticator_lists_active_users_only(db_url):
    make(db_url)
    make(db_url, username="leader", role="领导", name="李主任")
    make(db_url, username="gone", role="管理员", name="王管理")
    accounts.disable_user("gone", now=T0, db=db_url)
    config = accounts.config_for_authenticator(db=db_url)
    assert sorted(config["usernames"]) == ["chief", "leader"]
    entry = config["usernames"]["chief"]
    assert entry["name"] == "张科长" and entry["roles"] == ["科长"] and "email" in entry
    assert bcrypt.checkpw(PASSWORD.encode(), entry["password"].encode())
    config["usernames"]["chief"]["logged_in"] = True  # the library writes into it
    assert "logged_in" not in accounts.config_for_authenticator(db=db_url)["usernames"]["chief"]


def test_authenticator_hasher_accepts_our_hashes(db_url):
    hasher = pytest.importorskip("streamlit_authenticator.utilities.hasher").Hasher
    make(db_url)
    stored = accounts.config_for_authenticator(db=db_url)["usernames"]["chief"]["password"]
    assert hasher.is_hash(stored) and hasher.check_pw(PASSWORD, stored)


def test_list_users_sorted_with_inactive_flag(db_url):
    make(db_url, username="zhou")
    make(db_url, username="an", role="管理员", name="安管理")
    accounts.disable_user("zhou", now=T0, db=db_url)
    assert [u.username for u in accounts.list_users(db=db_url)] == ["an", "zhou"]
    assert [u.username for u in accounts.list_users(include_inactive=False, db=db_url)] == ["an"]


def test_cli_add_list_disable_passwd_and_demo_accounts(db_url):
    added = run_cli(
        db_url,
        "add",
        "zhao",
        "--role",
        "科长",
        "--name",
        "赵科长",
        "--townships",
        "东城街道,西城街道",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0, added.stderr
    assert "已创建账户 zhao" in added.stdout
    user = accounts.get_user("zhao", db=db_url)
    assert user.townships == ("东城街道", "西城街道") and user.role == "科长"
    assert accounts.authenticate("zhao", PASSWORD, db=db_url).ok

    listed = run_cli(db_url, "list")
    assert listed.returncode == 0, listed.stderr
    assert "用户名" in listed.stdout and "东城街道、西城街道" in listed.stdout
    assert "赵科长" in listed.stdout and "启用" in listed.stdout

    passwd = run_cli(db_url, "passwd", "zhao", "--password-stdin", stdin="Another-pass-7\n")
    assert passwd.returncode == 0, passwd.stderr
    assert accounts.authenticate("zhao", "Another-pass-7", db=db_url).ok

    disabled = run_cli(db_url, "disable", "zhao")
    assert disabled.returncode == 0 and "停用" in run_cli(db_url, "list").stdout
    assert accounts.authenticate("zhao", "Another-pass-7", db=db_url).reason == "disabled"
    assert run_cli(db_url, "enable", "zhao").returncode == 0

    first = run_cli(db_url, "demo-accounts")
    second = run_cli(db_url, "demo-accounts")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.count("已创建") == 4 and second.stdout.count("已存在，跳过") == 4
    for username, role, _display, scope in DEMO_ACCOUNTS:
        result = accounts.authenticate(username, demo_password(username), db=db_url)
        assert result.ok and result.user.role == role and result.user.townships == scope
    assert accounts.get_user("chief_dc", db=db_url).townships == ("东城街道",)


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["add", "zhao", "--role", "科长", "--name", "赵", "--password-stdin"], "short\n", "密码长度至少为8个字符"),
        (["add", "zhao", "--role", "处长", "--name", "赵"], None, "无效的选项"),
        (["disable", "ghost"], None, "用户不存在：ghost"),
        (["passwd", "ghost", "--password-stdin"], "Long-enough-1\n", "用户不存在：ghost"),
        (["add", "zhao", "--role", "科长", "--name", "赵", "--password-stdin"], "", "没有读到密码"),
    ],
)
def test_cli_errors_are_chinese_exit_1_without_traceback(db_url, args, stdin, message):
    done = run_cli(db_url, *args, stdin=stdin)
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr


def test_cli_help_is_chinese():
    done = run_cli("sqlite:///unused.db", "--help")
    assert done.returncode == 0 and "用法：" in done.stdout and "新建账户" in done.stdout


ALL_PAGES = [
    "overview",
    "projects",
    "resettlement",
    "funds",
    "petitions",
    "holdouts",
    "dispatch",
    "data_admin",
    "audit",
]


@pytest.mark.parametrize("role", ["领导", "科长", "管理员", "游客", None])
@pytest.mark.parametrize("page", ALL_PAGES + ["nonexistent"])
def test_role_page_matrix(role, page):
    expected = (role in ("领导", "科长", "管理员") and page in ALL_PAGES[:7]) or (
        role == "管理员" and page in ("data_admin", "audit")
    )
    assert roles.can_open(role, page) is expected


def test_roles_and_personal_data():
    assert roles.ROLES == ("领导", "科长", "管理员")
    assert [r for r in roles.ROLES if roles.sees_personal_data(r)] == ["领导", "管理员"]
    assert not roles.sees_personal_data("游客") and not roles.sees_personal_data(None)
    assert roles.in_scope((), "西城街道") and roles.in_scope(["东城街道"], "东城街道")
    assert not roles.in_scope(["东城街道"], "西城街道")


def test_access_package_never_imports_streamlit():
    for path in (Path(access.db.__file__).parent).glob("*.py"):
        assert "import streamlit" not in path.read_text(encoding="utf-8"), path
        assert "from streamlit" not in path.read_text(encoding="utf-8"), path


def test_parallel_failures_are_counted_exactly(db_url):
    """A burst of wrong passwords from many threads: 4 plain failures, then locked, once."""
    make(db_url)
    results, barrier = [], threading.Barrier(10)

    def attempt():
        barrier.wait()
        results.append(accounts.authenticate("chief", "bad-password", now=T0, db=db_url).reason)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["invalid"] * 4 + ["locked"] * 6
    assert len(audit.recent(action="locked", db=db_url)) == 1
    assert accounts.authenticate("chief", PASSWORD, now=T0 + timedelta(minutes=1), db=db_url).reason == "locked"

"""The app database's schema under Alembic (access/migrate.py, access/migrations/), on SQLite and
PostgreSQL: an empty database upgrades to exactly access.db.metadata; a database made by the
releases before migrations (create_all, no alembic_version) is adopted with its rows and
upgraded; the second revision upgrades a baseline database with its rows; ``python -m access
migrate`` upgrades and ``--check`` says when it is needed."""

import importlib.util

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

import access.db
from access import accounts, audit, migrate
from tests.app_db_fixture import T0, db_url, pg_server, run_cli  # noqa: F401

BASELINE_FILE = migrate.MIGRATIONS / "versions" / "0001_baseline.py"


def _baseline_metadata():
    """The schema the releases before migrations created with metadata.create_all."""
    spec = importlib.util.spec_from_file_location("baseline_revision", BASELINE_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._meta


def _differences(url: str) -> list:
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), access.db.metadata)
    finally:
        eng.dispose()


def _version(url: str) -> str | None:
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return migrate.current(conn)
    finally:
        eng.dispose()


def _indexes(url: str, table: str) -> list[tuple[str, list[str]]]:
    eng = create_engine(url)
    try:
        return sorted((ix["name"], ix["column_names"]) for ix in inspect(eng).get_indexes(table))
    finally:
        eng.dispose()


def _old_release_db(url: str) -> None:
    """A database as today's releases leave it: baseline tables by create_all, an account and an
    audit row written with plain SQL, no alembic_version."""
    eng = create_engine(url)
    _baseline_metadata().create_all(eng)
    at = T0.replace(tzinfo=None)
    with eng.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (username, display_name, password_hash, role, townships, is_active,"
                " password_changed_at, created_at) VALUES ('zhangsan', '张科长', 'x', '科长', '[\"东城街道\"]',"
                " :yes, :at, :at)"
            ),
            {"yes": True, "at": at},
        )
        conn.execute(
            text("INSERT INTO audit_log (at, username, action, detail) VALUES (:at, 'admin', 'login', '{}')"),
            {"at": at},
        )
    eng.dispose()


def test_empty_database_upgrades_to_exactly_the_metadata(db_url):
    access.db.engine(db_url)
    assert _version(db_url) == migrate.head() == "0002"
    assert _differences(db_url) == []


def test_database_made_before_migrations_is_adopted_with_its_rows(db_url):
    _old_release_db(db_url)
    assert _version(db_url) is None
    eng = create_engine(db_url)
    with eng.connect() as conn:
        assert migrate.is_legacy(conn)
    eng.dispose()

    access.db.engine(db_url)  # the new code's first use

    assert _version(db_url) == "0002"
    assert _differences(db_url) == []
    user = accounts.get_user("zhangsan", db=db_url)
    assert (user.username, user.display_name, user.role, user.townships, user.is_active) == (
        "zhangsan",
        "张科长",
        "科长",
        ("东城街道",),
        True,
    )
    assert user.created_at == T0
    rows = audit.recent(db=db_url)
    assert [(r["at"], r["username"], r["action"]) for r in rows] == [(T0, "admin", "login")]


def test_second_revision_upgrades_a_baseline_database_with_its_rows(db_url):
    eng = create_engine(db_url)
    with eng.begin() as conn:
        command.upgrade(migrate.config(conn), "0001")
    eng.dispose()
    assert _version(db_url) == "0001"
    assert ("ix_audit_log_action", ["action"]) in _indexes(db_url, "audit_log")
    eng = create_engine(db_url)
    with eng.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_log (at, username, action, detail) VALUES (:at, NULL, 'logout', '{}')"),
            {"at": T0.replace(tzinfo=None)},
        )
    eng.dispose()

    access.db.engine(db_url)

    assert _version(db_url) == "0002"
    assert _indexes(db_url, "audit_log") == [
        ("ix_audit_log_action_at", ["action", "at"]),
        ("ix_audit_log_at", ["at"]),
        ("ix_audit_log_username", ["username"]),
    ]
    assert [(r["at"], r["username"], r["action"]) for r in audit.recent(db=db_url)] == [(T0, None, "logout")]


def test_at_head_upgrade_does_nothing(db_url):
    access.db.engine(db_url)
    access.db.dispose(db_url)
    assert migrate.upgrade(access.db.engine(db_url)) == ("0002", "0002")


def test_migrate_command_upgrades_and_check_says_when_needed(db_url):
    _old_release_db(db_url)
    checked = run_cli(db_url, "migrate", "--check")
    assert (checked.returncode, checked.stdout, checked.stderr) == (
        1,
        "数据库结构版本：旧版（无版本记录），需要升级到 0002：运行 python -m access migrate\n",
        "",
    )
    assert _version(db_url) is None  # --check only looks

    done = run_cli(db_url, "migrate")
    assert (done.returncode, done.stdout, done.stderr) == (0, "数据库结构已从 旧版（无版本记录） 升级到 0002\n", "")
    again = run_cli(db_url, "migrate")
    assert (again.returncode, again.stdout) == (0, "数据库结构版本：0002（已是最新，无需升级）\n")
    checked = run_cli(db_url, "migrate", "--check")
    assert (checked.returncode, checked.stdout) == (0, "数据库结构版本：0002（最新）\n")
    assert accounts.get_user("zhangsan", db=db_url).display_name == "张科长"


def test_check_on_a_baseline_database_exits_1(db_url):
    eng = create_engine(db_url)
    with eng.begin() as conn:
        command.upgrade(migrate.config(conn), "0001")
    eng.dispose()
    checked = run_cli(db_url, "migrate", "--check")
    assert (checked.returncode, checked.stdout) == (
        1,
        "数据库结构版本：0001，需要升级到 0002：运行 python -m access migrate\n",
    )

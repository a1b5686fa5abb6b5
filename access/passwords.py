"""Password rules and bcrypt hashing (cost from APP_BCRYPT_ROUNDS, default 12; tests use 4)."""

from __future__ import annotations

import os
import threading

import bcrypt

from .errors import AccessError

MIN_LENGTH = 8
MAX_BYTES = 72  # bcrypt only reads 72 bytes; bcrypt 5 refuses longer input
DEFAULT_ROUNDS = 12

_dummy: dict[int, bytes] = {}
_dummy_lock = threading.Lock()


def rounds() -> int:
    """The bcrypt cost for new hashes: APP_BCRYPT_ROUNDS (4..16), else 12."""
    raw = os.environ.get("APP_BCRYPT_ROUNDS", "").strip()
    try:
        value = int(raw) if raw else DEFAULT_ROUNDS
    except ValueError:
        value = DEFAULT_ROUNDS
    return min(16, max(4, value))


def check_rules(password: str, username: str = "") -> None:
    """Raise AccessError (Chinese) when the password breaks a rule."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise AccessError(f"密码长度至少为{MIN_LENGTH}个字符")
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise AccessError(f"密码过长：按 UTF-8 编码不能超过{MAX_BYTES}字节")
    if password != password.strip():
        # streamlit-authenticator strips what is typed: such a password could never be entered.
        raise AccessError("密码首尾不能有空格")
    if username and password.strip().lower() == username.strip().lower():
        raise AccessError("密码不能与用户名相同")


def hash_password(password: str) -> str:
    """bcrypt hash (str, "$2b$...") of a password that passed ``check_rules``."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds())).decode("ascii")


def _dummy_hash() -> bytes:
    cost = rounds()
    with _dummy_lock:
        if cost not in _dummy:
            _dummy[cost] = bcrypt.hashpw(b"no such user: constant-time filler", bcrypt.gensalt(cost))
        return _dummy[cost]


def verify(password: str, password_hash: str | None) -> bool:
    """Check a password; with ``password_hash=None`` spend the same time and return False."""
    raw = (password or "").encode("utf-8")
    too_long = len(raw) > MAX_BYTES
    target = password_hash.encode("ascii") if password_hash else _dummy_hash()
    try:
        ok = bcrypt.checkpw(raw[:MAX_BYTES], target)
    except ValueError:  # a damaged hash in the table
        ok = False
    return ok and not too_long and password_hash is not None

"""The key that signs streamlit-authenticator's login cookie."""

from __future__ import annotations

import os
import warnings

from .errors import AccessError

MIN_LENGTH = 32
# Public on purpose: only for demo mode, where the data is made up.
DEMO_COOKIE_KEY = "demo-only-cookie-key-not-for-real-data-2026-zhengshou"

GENERATE_HINT = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def cookie_key(demo_mode: bool, value: str | None = None) -> str:
    """The cookie signing key: ``value`` (e.g. from Streamlit secrets), else env APP_COOKIE_KEY.

    Outside demo mode a missing key or one shorter than 32 characters is refused with an
    AccessError (Chinese). In demo mode the fixed DEMO_COOKIE_KEY is used instead, with a
    RuntimeWarning.
    """
    key = str(value or os.environ.get("APP_COOKIE_KEY") or "").strip()
    if len(key) >= MIN_LENGTH:
        return key
    problem = "未设置" if not key else f"过短（{len(key)}个字符，至少需要{MIN_LENGTH}个）"
    if demo_mode:
        warnings.warn(
            f"Cookie 签名密钥 APP_COOKIE_KEY {problem}：演示模式下使用公开的演示密钥，切勿用于真实数据。",
            RuntimeWarning,
            stacklevel=2,
        )
        return DEMO_COOKIE_KEY
    raise AccessError(
        f"Cookie 签名密钥 APP_COOKIE_KEY {problem}。请设置至少{MIN_LENGTH}个字符的"
        f"随机密钥（环境变量或 Streamlit secrets），例如用以下命令生成：{GENERATE_HINT}"
    )

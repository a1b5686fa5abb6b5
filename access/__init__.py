"""Access backend of the dashboard: accounts, server-side sessions, roles, masking, audit.

Pure Python (SQLAlchemy + bcrypt), no Streamlit. Every function that touches the database takes
a keyword ``db=`` (an Engine or URL); without it the URL comes from APP_DB_URL, else
``sqlite:///data/app.db``. Errors meant for people are ``AccessError`` with a Chinese message.

    from access import accounts, sessions, audit, roles
    result = accounts.authenticate(username, password)
    if result.ok:
        sessions.open_session(result.user.username, cookie_value)
"""

from .errors import AccessError

__all__ = ["AccessError"]

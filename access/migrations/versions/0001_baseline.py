"""Baseline: the app database as the releases before migrations made it (metadata.create_all).

The tables are written out here, frozen, not imported from access.db (which moves on with later
revisions). ``checkfirst``: a database made by those releases has some or all of these tables
already; they are adopted as they stand, rows untouched, and only the missing ones created.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_meta = sa.MetaData()
_when = sa.DateTime(timezone=False)  # naive UTC (access.db.UTCDateTime)

sa.Table(
    "users",
    _meta,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(100), nullable=False),
    sa.Column("password_hash", sa.String(100), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("townships", sa.Text, nullable=False),
    sa.Column("is_active", sa.Boolean, nullable=False),
    sa.Column("password_changed_at", _when, nullable=False),
    sa.Column("created_at", _when, nullable=False),
    sa.Column("last_login_at", _when, nullable=True),
)
sa.Table(
    "sessions",
    _meta,
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("opened_at", _when, nullable=False),
    sa.Column("last_seen_at", _when, nullable=False),
    sa.Column("closed_at", _when, nullable=True),
    sa.Column("close_reason", sa.String(32), nullable=True),
    sa.Index("ix_sessions_username", "username"),
)
sa.Table(
    "login_failures",
    _meta,
    sa.Column("name_hash", sa.String(64), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("window_start", _when, nullable=True),
    sa.Column("locked_until", _when, nullable=True),
)
sa.Table(
    "audit_log",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", _when, nullable=False),
    sa.Column("username", sa.String(64), nullable=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Index("ix_audit_log_at", "at"),
    sa.Index("ix_audit_log_action", "action"),
    sa.Index("ix_audit_log_username", "username"),
)
sa.Table(
    "supervision_items",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target_kind", sa.String(16), nullable=False),
    sa.Column("target_id", sa.String(64), nullable=False),
    sa.Column("target_label", sa.String(200), nullable=False),
    sa.Column("township", sa.String(64), nullable=True),
    sa.Column("owner", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("assigned_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("opened_at", _when, nullable=False),
    sa.Column("closed_at", _when, nullable=True),
    sa.Column("closed_by", sa.String(64), nullable=True),
    sa.Index("ix_supervision_items_owner", "owner"),
)
sa.Table(
    "supervision_updates",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("supervision_items.id"), nullable=False),
    sa.Column("at", _when, nullable=False),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("step", sa.String(16), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Index("ix_supervision_updates_item", "item_id"),
)


def upgrade() -> None:
    _meta.create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    _meta.drop_all(op.get_bind())

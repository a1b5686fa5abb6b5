"""audit_log: one index on (action, at) in place of the index on action alone.

The 审计日志 page filters by action and lists the newest first (access.audit.recent: WHERE
action IN ... ORDER BY at DESC LIMIT n); with (action, at) the database reads the newest rows of
each action from the index instead of sorting every row of those actions. The old index on
action is a prefix of the new one, so it goes.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])
    op.drop_index("ix_audit_log_action", table_name="audit_log")


def downgrade() -> None:
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.drop_index("ix_audit_log_action_at", table_name="audit_log")

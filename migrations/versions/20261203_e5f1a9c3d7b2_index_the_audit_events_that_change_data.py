"""Index the audit events that may change what a page shows.

Each process keeps the review queue's lists, the dashboards and most of the filing pages
until anything is recorded in the audit log (portal.kept.until_changed); signing in and out,
reading notifications and exports change nothing those show, and a busy portal records a
sign-in every few seconds. A partial index of the other events finds the last of them in one
entry.

Revision ID: e5f1a9c3d7b2
Revises: c3a8f5d1e907
Create Date: 2026-12-03 20:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'e5f1a9c3d7b2'
down_revision = 'c3a8f5d1e907'
branch_labels = None
depends_on = None

# As portal.models.audit.CHANGES says it (a migration keeps its own copy).
CHANGES = sa.text(
    "action NOT IN ('auth.login', 'auth.login_failed', 'auth.login_refused_locked', "
    "'auth.logout', 'notification.read', 'notification.read_all', "
    "'notification.preferences', 'queue.exported', 'audit.exported')")


def upgrade():
    op.create_index('ix_audit_event_changes', 'audit_event', ['id'],
                    sqlite_where=CHANGES, postgresql_where=CHANGES)


def downgrade():
    op.drop_index('ix_audit_event_changes', table_name='audit_event')

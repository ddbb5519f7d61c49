"""Index the audit log by object, for the audit viewer's history of one record.

Revision ID: 0aa06df181b6
Revises: 7badfdba5b10
Create Date: 2026-12-01 20:49:58.829878

"""
from alembic import op

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '0aa06df181b6'
down_revision = '7badfdba5b10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_event_object', 'audit_event', ['object_type', 'object_id', 'id'])


def downgrade():
    op.drop_index('ix_audit_event_object', table_name='audit_event')

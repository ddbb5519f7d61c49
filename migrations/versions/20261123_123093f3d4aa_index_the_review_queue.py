"""Index the review queue: status or kind, then the (submitted_at, id) order it pages by.

Replaces the index led by region_code (a jurisdiction is a range of codes, so rows came out
unordered and were sorted); adds the enterprise's lists' orders. The region code and the rule
warning count ride along at the end, so the jurisdiction and "with rule warnings" are checked
inside the index.

Revision ID: 123093f3d4aa
Revises: 30f148d9d0a6
Create Date: 2026-11-23 13:32:38.604516

"""
from alembic import op

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '123093f3d4aa'
down_revision = '30f148d9d0a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.drop_index('ix_filing_region_status_submitted')
        batch_op.create_index('ix_filing_enterprise_submitted', ['enterprise_id', 'submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_filing_enterprise_updated', ['enterprise_id', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_filing_enterprise_status_updated', ['enterprise_id', 'status', 'updated_at', 'id'], unique=False)
        batch_op.create_index('ix_filing_kind_status_submitted', ['kind', 'status', 'submitted_at', 'id', 'region_code', 'warning_count'], unique=False)
        batch_op.create_index('ix_filing_status_submitted', ['status', 'submitted_at', 'id', 'region_code', 'warning_count'], unique=False)
        batch_op.create_index('ix_filing_submitted', ['submitted_at', 'id', 'region_code', 'status', 'warning_count'], unique=False)


def downgrade():
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.drop_index('ix_filing_submitted')
        batch_op.drop_index('ix_filing_status_submitted')
        batch_op.drop_index('ix_filing_kind_status_submitted')
        batch_op.drop_index('ix_filing_enterprise_status_updated')
        batch_op.drop_index('ix_filing_enterprise_updated')
        batch_op.drop_index('ix_filing_enterprise_submitted')
        batch_op.create_index('ix_filing_region_status_submitted', ['region_code', 'status', 'submitted_at'], unique=False)

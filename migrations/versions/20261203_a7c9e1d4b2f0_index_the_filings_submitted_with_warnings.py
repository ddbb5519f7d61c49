"""Index the filings submitted with rule warnings.

The review queue's "with rule warnings" filter counted each status up to its cap by skipping
through every filing of the status (about 12,000 index entries for the approved ones of a
jurisdiction with 100,000 filings: 2 ms on SQLite); two partial indexes hold only the warned
filings, by status and by submission time.

Revision ID: a7c9e1d4b2f0
Revises: 8c3d41f07a2e
Create Date: 2026-12-03 08:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'a7c9e1d4b2f0'
down_revision = '8c3d41f07a2e'
branch_labels = None
depends_on = None

WARNED = sa.text('warning_count > 0')


def upgrade():
    op.create_index('ix_filing_warned_status', 'filing',
                    ['status', 'submitted_at', 'id', 'region_code'],
                    sqlite_where=WARNED, postgresql_where=WARNED)
    op.create_index('ix_filing_warned_submitted', 'filing',
                    ['submitted_at', 'id', 'region_code', 'status'],
                    sqlite_where=WARNED, postgresql_where=WARNED)


def downgrade():
    op.drop_index('ix_filing_warned_submitted', table_name='filing')
    op.drop_index('ix_filing_warned_status', table_name='filing')

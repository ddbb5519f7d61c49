"""Index filing events by time with their action and filing (replaces the time-only index).

The dashboard's decisions of the last twelve weeks and the annual report read the events of a
time range by action; with the action and the filing in the index that part needs no table
reads (at 100,000 filings the dashboard went from about 78 to 57 ms in-process on SQLite).

Revision ID: 172e2c3ebc88
Revises: c4da2a052e6a
Create Date: 2026-12-01 21:52:00.000000

"""
from alembic import op

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '172e2c3ebc88'
down_revision = 'c4da2a052e6a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_filing_event_created_action', 'filing_event',
                    ['created_at', 'action', 'filing_id'])
    op.drop_index('ix_filing_event_created_at', table_name='filing_event')


def downgrade():
    op.create_index('ix_filing_event_created_at', 'filing_event', ['created_at'])
    op.drop_index('ix_filing_event_created_action', table_name='filing_event')

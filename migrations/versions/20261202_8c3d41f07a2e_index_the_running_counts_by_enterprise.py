"""Index the running counts by enterprise, kind and status.

A meeting's rule check asks for the districts where its enterprise has approved outlets; read
from filing_tally by this index it is a row per district instead of every approved outlet of
the enterprise (about 5 ms for an enterprise with thousands of outlets on SQLite).

Revision ID: 8c3d41f07a2e
Revises: 5e1f0c2a9b7d
Create Date: 2026-12-02 18:30:00.000000

"""
from alembic import op

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '8c3d41f07a2e'
down_revision = '5e1f0c2a9b7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_filing_tally_enterprise', 'filing_tally',
                    ['enterprise_id', 'kind', 'status', 'region_code'])


def downgrade():
    op.drop_index('ix_filing_tally_enterprise', table_name='filing_tally')

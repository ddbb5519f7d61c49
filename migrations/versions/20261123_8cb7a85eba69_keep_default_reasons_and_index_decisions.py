"""Remember which review reasons came from the default list, and index decision times.

``review_reason.default_text_zh`` keeps the Chinese text a reason was loaded under from
``portal/data/review_reasons.csv``, so ``flask catalogues load`` recognises a default that an
administrator has since edited or deactivated and never adds it again. Every reason that exists
before this revision was loaded from that list, so it keeps its own text as that key.
``ix_filing_event_created_at`` serves the bureau dashboard's decisions of the last weeks.

Revision ID: 8cb7a85eba69
Revises: 589b4da02e95
Create Date: 2026-11-23 13:28:18.951703

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '8cb7a85eba69'
down_revision = '589b4da02e95'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('filing_event', schema=None) as batch_op:
        batch_op.create_index('ix_filing_event_created_at', ['created_at'], unique=False)

    with op.batch_alter_table('review_reason', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_text_zh', sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_review_reason_default_text_zh'), ['default_text_zh'])

    op.execute("UPDATE review_reason SET default_text_zh = text_zh")


def downgrade():
    with op.batch_alter_table('review_reason', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_review_reason_default_text_zh'), type_='unique')
        batch_op.drop_column('default_text_zh')

    with op.batch_alter_table('filing_event', schema=None) as batch_op:
        batch_op.drop_index('ix_filing_event_created_at')

"""Add the catalogue of reasons regulators give when returning or rejecting a filing.

Revision ID: 8ffce77e7e70
Revises: c9f862cefd4d
Create Date: 2026-11-23 12:28:57.591012

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '8ffce77e7e70'
down_revision = 'c9f862cefd4d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text_zh', sa.String(length=100), nullable=False),
    sa.Column('text_en', sa.String(length=200), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_reason')),
    sa.UniqueConstraint('text_zh', name=op.f('uq_review_reason_text_zh'))
    )


def downgrade():
    op.drop_table('review_reason')

"""Add each enterprise's secret token for its meetings' iCalendar feed.

Revision ID: c9f862cefd4d
Revises: ddd27ec69de7
Create Date: 2026-11-23 12:06:51.894484

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'c9f862cefd4d'
down_revision = 'ddd27ec69de7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ics_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_enterprise_ics_token'), ['ics_token'])



def downgrade():
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_enterprise_ics_token'), type_='unique')
        batch_op.drop_column('ics_token')


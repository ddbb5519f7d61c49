"""The catalogue stamp: one row whose generation goes up with every change to the catalogues
processes keep (claim phrases, review reasons, bureaus' meeting rules).

Read with the signed-in user, it lets a process keep those catalogues between requests and
read them again only when they changed: the filing page of a meeting read three catalogues
in three statements on every request.

Revision ID: c3a8f5d1e907
Revises: 7c1d9e4b2a86
Create Date: 2026-12-03 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a8f5d1e907'
down_revision = '7c1d9e4b2a86'
branch_labels = None
depends_on = None


def upgrade():
    stamp = op.create_table(
        'catalogue_stamp',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_stamp')),
    )
    op.bulk_insert(stamp, [{'id': 1, 'generation': 0}])


def downgrade():
    op.drop_table('catalogue_stamp')

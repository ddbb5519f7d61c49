"""Keep withdrawn recusals (one active per inspector and enterprise) and make re-draws verifiable.

Recusals get ``withdrawn_at`` / ``withdrawn_by_id``; the unique pair becomes a partial unique
index over active recusals. Re-draws get their number on the check and the frozen candidates.

Revision ID: 30f148d9d0a6
Revises: b0f155e1d038
Create Date: 2026-11-23 14:16:12.294353

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '30f148d9d0a6'
down_revision = 'b0f155e1d038'
branch_labels = None
depends_on = None

ACTIVE = sa.text('withdrawn_at IS NULL')


def upgrade():
    with op.batch_alter_table('check_reassignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.SmallInteger(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('candidates', sa.JSON(), nullable=False,
                                      server_default='[]'))
        batch_op.create_unique_constraint(batch_op.f('uq_check_reassignment_check_id'),
                                          ['check_id', 'number'])
    with op.batch_alter_table('check_reassignment', schema=None) as batch_op:
        batch_op.alter_column('number', server_default=None)
        batch_op.alter_column('candidates', server_default=None)

    with op.batch_alter_table('recusal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', portal.models.base.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_recusal_inspector_id'), type_='unique')
        batch_op.create_index('ix_recusal_inspector_id', ['inspector_id'], unique=False)
        batch_op.create_index('uq_recusal_active', ['inspector_id', 'enterprise_id'],
                              unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch_op.create_foreign_key(batch_op.f('fk_recusal_withdrawn_by_id_user'), 'user',
                                    ['withdrawn_by_id'], ['id'])


def downgrade():
    # The old schema holds one recusal per pair and no history: withdrawn ones are dropped.
    op.execute(sa.text('DELETE FROM recusal WHERE withdrawn_at IS NOT NULL'))
    with op.batch_alter_table('recusal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_recusal_withdrawn_by_id_user'),
                                 type_='foreignkey')
        batch_op.drop_index('uq_recusal_active', sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch_op.drop_index('ix_recusal_inspector_id')
        batch_op.create_unique_constraint(batch_op.f('uq_recusal_inspector_id'),
                                          ['inspector_id', 'enterprise_id'])
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('check_reassignment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_check_reassignment_check_id'), type_='unique')
        batch_op.drop_column('candidates')
        batch_op.drop_column('number')

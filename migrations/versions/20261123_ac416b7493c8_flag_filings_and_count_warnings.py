"""Let regulators flag filings; record the rule warnings a filing had when submitted.

Filings submitted before this revision count 0 warnings until they are submitted again.

Revision ID: ac416b7493c8
Revises: 8ffce77e7e70
Create Date: 2026-11-23 13:21:08.914870

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'ac416b7493c8'
down_revision = '8ffce77e7e70'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('filing_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('entry_fee', 'pay_by_recruits', 'team_pay', 'false_claims', 'other', name='flag_category', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('cleared_by_id', sa.Integer(), nullable=True),
    sa.Column('cleared_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('cleared_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['cleared_by_id'], ['user.id'], name=op.f('fk_filing_flag_cleared_by_id_user')),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_filing_flag_filing_id_filing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['user.id'], name=op.f('fk_filing_flag_raised_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filing_flag'))
    )
    with op.batch_alter_table('filing_flag', schema=None) as batch_op:
        batch_op.create_index('ix_filing_flag_filing_cleared', ['filing_id', 'cleared_at'], unique=False)

    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warning_count', sa.SmallInteger(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.drop_column('warning_count')

    with op.batch_alter_table('filing_flag', schema=None) as batch_op:
        batch_op.drop_index('ix_filing_flag_filing_cleared')

    op.drop_table('filing_flag')

"""Add notifications: each user's in-app messages, delivery choices per kind, sent reminders.

Revision ID: b0f155e1d038
Revises: 45098e5e1ba5
Create Date: 2026-11-23 13:25:54.866383

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'b0f155e1d038'
down_revision = '45098e5e1ba5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('filing_submitted', 'filing_decided', 'deadline', name='notification_preference_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('in_app', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('email', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preference'))
    )
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('filing_submitted', 'filing_decided', 'deadline', name='notification_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('message', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('read_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_notification_filing_id_filing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_filing_id'), ['filing_id'], unique=False)
        batch_op.create_index('ix_notification_user_read_created', ['user_id', 'read_at', 'created_at'], unique=False)

    op.create_table('reminder_log',
    sa.Column('message', sa.String(length=40), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_reminder_log_filing_id_filing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('message', 'filing_id', 'sent_on', name=op.f('pk_reminder_log'))
    )


def downgrade():
    op.drop_table('reminder_log')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_read_created')
        batch_op.drop_index(batch_op.f('ix_notification_filing_id'))

    op.drop_table('notification')
    op.drop_table('notification_preference')

"""Add on-site supervision of training meetings: the plan, its staff, the record and photos.

Revision ID: 45098e5e1ba5
Revises: 8cb7a85eba69
Create Date: 2026-11-23 13:24:33.741728

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '45098e5e1ba5'
down_revision = '8cb7a85eba69'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supervision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'done', 'cancelled', name='supervision_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=False),
    sa.Column('marked_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('observed_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('headcount_seen', sa.Integer(), nullable=True),
    sa.Column('is_fee_charged', sa.Boolean(), nullable=True),
    sa.Column('is_venue_as_filed', sa.Boolean(), nullable=True),
    sa.Column('are_trainers_as_filed', sa.Boolean(), nullable=True),
    sa.Column('banned_content', sa.Text(), nullable=True),
    sa.Column('conclusion', sa.Enum('compliant', 'concerns', 'violations', name='supervision_conclusion', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('observations', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('completed_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureau.id'], name=op.f('fk_supervision_bureau_id_bureau')),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user.id'], name=op.f('fk_supervision_cancelled_by_id_user')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_supervision_marked_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.filing_id'], name=op.f('fk_supervision_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_supervision_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision'))
    )
    with op.batch_alter_table('supervision', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_bureau_status', ['bureau_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('supervision_photo',
    sa.Column('supervision_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_supervision_photo_document_id_document')),
    sa.ForeignKeyConstraint(['supervision_id'], ['supervision.id'], name=op.f('fk_supervision_photo_supervision_id_supervision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('supervision_id', 'document_id', name=op.f('pk_supervision_photo'))
    )
    op.create_table('supervision_staff',
    sa.Column('supervision_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['supervision_id'], ['supervision.id'], name=op.f('fk_supervision_staff_supervision_id_supervision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_supervision_staff_user_id_user')),
    sa.PrimaryKeyConstraint('supervision_id', 'user_id', name=op.f('pk_supervision_staff'))
    )
    with op.batch_alter_table('supervision_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_staff_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('supervision_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_staff_user_id'))

    op.drop_table('supervision_staff')
    op.drop_table('supervision_photo')
    with op.batch_alter_table('supervision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_meeting_id'))
        batch_op.drop_index('ix_supervision_bureau_status')

    op.drop_table('supervision')

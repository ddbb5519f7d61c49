"""Add spot checks: the check-item catalogue, recusals, plans, checks, results and evidence.

Revision ID: 589b4da02e95
Revises: ac416b7493c8
Create Date: 2026-11-23 13:55:40.857337

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '589b4da02e95'
down_revision = 'ac416b7493c8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('check_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('category_zh', sa.String(length=64), nullable=False),
    sa.Column('category_en', sa.String(length=128), nullable=False),
    sa.Column('text_zh', sa.String(length=255), nullable=False),
    sa.Column('text_en', sa.String(length=400), nullable=False),
    sa.Column('basis', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_item')),
    sa.UniqueConstraint('code', name=op.f('uq_check_item_code'))
    )
    op.create_table('check_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('target_kind', sa.Enum('enterprise', 'outlet', name='target_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('sample_count', sa.Integer(), nullable=True),
    sa.Column('sample_ratio', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.Column('per_target', sa.SmallInteger(), nullable=False),
    sa.Column('window_start', sa.Date(), nullable=False),
    sa.Column('window_end', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'drawn', 'cancelled', name='plan_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('algorithm', sa.String(length=32), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('seed_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('target_roster', sa.JSON(), nullable=True),
    sa.Column('inspector_roster', sa.JSON(), nullable=True),
    sa.Column('recusals', sa.JSON(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureau.id'], name=op.f('fk_check_plan_bureau_id_bureau')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_check_plan_created_by_id_user')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user.id'], name=op.f('fk_check_plan_drawn_by_id_user')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_check_plan_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_plan'))
    )
    with op.batch_alter_table('check_plan', schema=None) as batch_op:
        batch_op.create_index('ix_check_plan_bureau_status', ['bureau_id', 'status'], unique=False)

    op.create_table('recusal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=False),
    sa.Column('declared_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['declared_by_id'], ['user.id'], name=op.f('fk_recusal_declared_by_id_user')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_recusal_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['inspector_id'], ['user.id'], name=op.f('fk_recusal_inspector_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recusal')),
    sa.UniqueConstraint('inspector_id', 'enterprise_id', name=op.f('uq_recusal_inspector_id'))
    )
    with op.batch_alter_table('recusal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recusal_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('plan_item',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['check_item.id'], name=op.f('fk_plan_item_item_id_check_item')),
    sa.ForeignKeyConstraint(['plan_id'], ['check_plan.id'], name=op.f('fk_plan_item_plan_id_check_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'item_id', name=op.f('pk_plan_item'))
    )
    op.create_table('spot_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('target_key', sa.String(length=40), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('outlet_filing_id', sa.Integer(), nullable=True),
    sa.Column('drawn_inspectors', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('assigned', 'completed', 'published', name='check_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('completed_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('published_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_spot_check_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['outlet_filing_id'], ['filing.id'], name=op.f('fk_spot_check_outlet_filing_id_filing')),
    sa.ForeignKeyConstraint(['plan_id'], ['check_plan.id'], name=op.f('fk_spot_check_plan_id_check_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spot_check')),
    sa.UniqueConstraint('plan_id', 'position', name=op.f('uq_spot_check_plan_id'))
    )
    with op.batch_alter_table('spot_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spot_check_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('check_inspector',
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['spot_check.id'], name=op.f('fk_check_inspector_check_id_spot_check'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_check_inspector_user_id_user')),
    sa.PrimaryKeyConstraint('check_id', 'user_id', name=op.f('pk_check_inspector'))
    )
    with op.batch_alter_table('check_inspector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_inspector_user_id'), ['user_id'], unique=False)

    op.create_table('check_reassignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('old_inspector_id', sa.Integer(), nullable=False),
    sa.Column('new_inspector_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', portal.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user.id'], name=op.f('fk_check_reassignment_by_id_user')),
    sa.ForeignKeyConstraint(['check_id'], ['spot_check.id'], name=op.f('fk_check_reassignment_check_id_spot_check'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['new_inspector_id'], ['user.id'], name=op.f('fk_check_reassignment_new_inspector_id_user')),
    sa.ForeignKeyConstraint(['old_inspector_id'], ['user.id'], name=op.f('fk_check_reassignment_old_inspector_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_reassignment'))
    )
    with op.batch_alter_table('check_reassignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_reassignment_check_id'), ['check_id'], unique=False)

    op.create_table('check_result',
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.Enum('pass', 'fail', 'not_applicable', name='verdict', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['spot_check.id'], name=op.f('fk_check_result_check_id_spot_check'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['check_item.id'], name=op.f('fk_check_result_item_id_check_item')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_check_result_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('check_id', 'item_id', name=op.f('pk_check_result'))
    )
    op.create_table('check_evidence',
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['check_id', 'item_id'], ['check_result.check_id', 'check_result.item_id'], name=op.f('fk_check_evidence_check_id_check_result'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_check_evidence_document_id_document')),
    sa.PrimaryKeyConstraint('check_id', 'item_id', 'document_id', name=op.f('pk_check_evidence'))
    )


def downgrade():
    op.drop_table('check_evidence')
    op.drop_table('check_result')
    with op.batch_alter_table('check_reassignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_reassignment_check_id'))

    op.drop_table('check_reassignment')
    with op.batch_alter_table('check_inspector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_inspector_user_id'))

    op.drop_table('check_inspector')
    with op.batch_alter_table('spot_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spot_check_enterprise_id'))

    op.drop_table('spot_check')
    op.drop_table('plan_item')
    with op.batch_alter_table('recusal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recusal_enterprise_id'))

    op.drop_table('recusal')
    with op.batch_alter_table('check_plan', schema=None) as batch_op:
        batch_op.drop_index('ix_check_plan_bureau_status')

    op.drop_table('check_plan')
    op.drop_table('check_item')

"""Create regions, bureaus, enterprises, users, sign-in throttling and the audit log.

Revision ID: 279051ddcac1
Revises: 
Create Date: 2026-11-23 11:03:34.240356

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '279051ddcac1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('last_failure_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle'))
    )
    op.create_table('region',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name_zh', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=128), nullable=False),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('parent_code', sa.String(length=6), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], name=op.f('fk_region_parent_code_region')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_region'))
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_parent_code'), ['parent_code'], unique=False)

    op.create_table('bureau',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=128), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=20), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['bureau.id'], name=op.f('fk_bureau_parent_id_bureau')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_bureau_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bureau')),
    sa.UniqueConstraint('name_zh', name=op.f('uq_bureau_name_zh')),
    sa.UniqueConstraint('short_name', name=op.f('uq_bureau_short_name'))
    )
    with op.batch_alter_table('bureau', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bureau_region_code'), ['region_code'], unique=False)

    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('licence_no', sa.String(length=64), nullable=False),
    sa.Column('licence_issued_on', sa.Date(), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('status', sa.Enum('active', 'suspended', 'revoked', name='enterprise_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_enterprise_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_enterprise_credit_code')),
    sa.UniqueConstraint('licence_no', name=op.f('uq_enterprise_licence_no'))
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_region_code'), ['region_code'], unique=False)

    op.create_table('enterprise_region',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_enterprise_region_enterprise_id_enterprise'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_enterprise_region_region_code_region')),
    sa.PrimaryKeyConstraint('enterprise_id', 'region_code', name=op.f('pk_enterprise_region'))
    )
    with op.batch_alter_table('enterprise_region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_region_region_code'), ['region_code'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('enterprise_staff', 'enterprise_admin', 'regulator', 'inspector', 'admin', name='role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('bureau_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('session_nonce', sa.String(length=32), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('last_login_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.CheckConstraint("(role IN ('enterprise_staff', 'enterprise_admin') AND enterprise_id IS NOT NULL AND bureau_id IS NULL) OR (role IN ('regulator', 'inspector') AND bureau_id IS NOT NULL AND enterprise_id IS NULL) OR (role = 'admin' AND enterprise_id IS NULL AND bureau_id IS NULL)", name=op.f('ck_user_role_matches_organisation')),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureau.id'], name=op.f('fk_user_bureau_id_bureau')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_user_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_bureau_id'), ['bureau_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_role'), ['role'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_event_hash'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role'))
        batch_op.drop_index(batch_op.f('ix_user_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_user_bureau_id'))

    op.drop_table('user')
    with op.batch_alter_table('enterprise_region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_region_region_code'))

    op.drop_table('enterprise_region')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_region_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_name'))

    op.drop_table('enterprise')
    with op.batch_alter_table('bureau', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bureau_region_code'))

    op.drop_table('bureau')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_parent_code'))

    op.drop_table('region')
    op.drop_table('login_throttle')

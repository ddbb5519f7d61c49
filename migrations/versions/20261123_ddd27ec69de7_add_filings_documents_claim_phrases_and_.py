"""Add filings (outlets, trainers, meetings, return policies), their history, documents,
the claims checker's phrases and each bureau's meeting rules.

Revision ID: ddd27ec69de7
Revises: 279051ddcac1
Create Date: 2026-11-23 11:16:15.647826

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'ddd27ec69de7'
down_revision = '279051ddcac1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('claim_phrase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phrase', sa.String(length=64), nullable=False),
    sa.Column('category', sa.Enum('false_product_claim', 'income_promise', 'disparaging', 'pressure_to_buy', 'disguised_training', name='claim_category', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_phrase')),
    sa.UniqueConstraint('phrase', name=op.f('uq_claim_phrase_phrase'))
    )
    op.create_table('filing_sequence',
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_filing_sequence'))
    )
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_document_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_sha256'), ['sha256'], unique=False)

    op.create_table('filing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.Enum('outlet', 'trainer', 'meeting', 'return_policy', name='filing_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'approved', 'rejected', 'withdrawn', name='filing_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.Column('decided_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_filing_created_by_id_user')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_filing_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_filing_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filing')),
    sa.UniqueConstraint('number', name=op.f('uq_filing_number'))
    )
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.create_index('ix_filing_enterprise_kind_status', ['enterprise_id', 'kind', 'status'], unique=False)
        batch_op.create_index('ix_filing_region_status_submitted', ['region_code', 'status', 'submitted_at'], unique=False)

    op.create_table('filing_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('created_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_filing_event_actor_id_user')),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_filing_event_filing_id_filing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filing_event'))
    )
    with op.batch_alter_table('filing_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filing_event_filing_id'), ['filing_id'], unique=False)

    op.create_table('meeting',
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('business_training', 'exam', 'product_presentation', name='meeting_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('ends_at', portal.models.base.UTCDateTime(), nullable=False),
    sa.Column('venue_premises_type', sa.Enum('shop', 'office', 'commercial_complex', 'hotel', 'exhibition_centre', 'own_training_centre', 'residential', 'private_home', 'school', 'hospital', 'military', 'government', name='meeting_premises', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('venue_name', sa.String(length=128), nullable=False),
    sa.Column('venue_address', sa.String(length=255), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('expected_attendance', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=255), nullable=False),
    sa.Column('fee', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('actual_attendance', sa.Integer(), nullable=True),
    sa.Column('attendance_reported_at', portal.models.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_meeting_filing_id_filing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_meeting_region_code_region')),
    sa.PrimaryKeyConstraint('filing_id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_starts_at', ['starts_at'], unique=False)

    op.create_table('outlet',
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('premises_type', sa.Enum('shop', 'office', 'commercial_complex', 'hotel', 'exhibition_centre', 'own_training_centre', 'residential', 'private_home', 'school', 'hospital', 'military', 'government', name='outlet_premises', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('person_in_charge', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('opening_hours', sa.String(length=128), nullable=False),
    sa.Column('proof_document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_outlet_filing_id_filing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proof_document_id'], ['document.id'], name=op.f('fk_outlet_proof_document_id_document')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_outlet_region_code_region')),
    sa.PrimaryKeyConstraint('filing_id', name=op.f('pk_outlet'))
    )
    op.create_table('return_policy',
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('consumer_return_days', sa.SmallInteger(), nullable=False),
    sa.Column('seller_return_days', sa.SmallInteger(), nullable=False),
    sa.Column('requires_unopened', sa.Boolean(), nullable=False),
    sa.Column('refund_days', sa.SmallInteger(), nullable=False),
    sa.Column('return_places', sa.JSON(), nullable=False),
    sa.Column('contact', sa.String(length=255), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_return_policy_document_id_document')),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_return_policy_filing_id_filing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('filing_id', name=op.f('pk_return_policy'))
    )
    op.create_table('trainer',
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('employment_start', sa.Date(), nullable=False),
    sa.Column('degree', sa.Enum('associate', 'bachelor', 'master', 'doctorate', name='trainer_degree', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('certificate_no', sa.String(length=64), nullable=True),
    sa.Column('is_formal_employee', sa.Boolean(), nullable=False),
    sa.Column('has_criminal_record', sa.Boolean(), nullable=False),
    sa.Column('is_mainland_resident', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['filing_id'], ['filing.id'], name=op.f('fk_trainer_filing_id_filing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('filing_id', name=op.f('pk_trainer'))
    )
    op.create_table('meeting_material',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_meeting_material_document_id_document')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.filing_id'], name=op.f('fk_meeting_material_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'document_id', name=op.f('pk_meeting_material'))
    )
    op.create_table('meeting_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('speaker', sa.String(length=64), nullable=False),
    sa.Column('minutes', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.filing_id'], name=op.f('fk_meeting_session_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_session')),
    sa.UniqueConstraint('meeting_id', 'position', name=op.f('uq_meeting_session_meeting_id'))
    )
    op.create_table('meeting_trainer',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.filing_id'], name=op.f('fk_meeting_trainer_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trainer_id'], ['trainer.filing_id'], name=op.f('fk_meeting_trainer_trainer_id_trainer')),
    sa.PrimaryKeyConstraint('meeting_id', 'trainer_id', name=op.f('pk_meeting_trainer'))
    )
    with op.batch_alter_table('meeting_trainer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_trainer_trainer_id'), ['trainer_id'], unique=False)

    with op.batch_alter_table('bureau', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_lead_days', sa.SmallInteger(), server_default=sa.text('7'), nullable=False))
        batch_op.add_column(sa.Column('meeting_lead_in_working_days', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('meeting_attendance_cap', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('bureau', schema=None) as batch_op:
        batch_op.drop_column('meeting_attendance_cap')
        batch_op.drop_column('meeting_lead_in_working_days')
        batch_op.drop_column('meeting_lead_days')

    with op.batch_alter_table('meeting_trainer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_trainer_trainer_id'))

    op.drop_table('meeting_trainer')
    op.drop_table('meeting_session')
    op.drop_table('meeting_material')
    op.drop_table('trainer')
    op.drop_table('return_policy')
    op.drop_table('outlet')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_starts_at')

    op.drop_table('meeting')
    with op.batch_alter_table('filing_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filing_event_filing_id'))

    op.drop_table('filing_event')
    with op.batch_alter_table('filing', schema=None) as batch_op:
        batch_op.drop_index('ix_filing_region_status_submitted')
        batch_op.drop_index('ix_filing_enterprise_kind_status')

    op.drop_table('filing')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_sha256'))
        batch_op.drop_index(batch_op.f('ix_document_enterprise_id'))

    op.drop_table('document')
    op.drop_table('filing_sequence')
    op.drop_table('claim_phrase')

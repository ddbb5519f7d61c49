"""Meetings carry their filing's status; the attendance-due index holds approved meetings
only; the returned filings are indexed per enterprise by the time they were returned.

The enterprise home's "report the attendance" list walked every ended meeting of the
enterprise without an attendance report (at 100,000 filings about 600 for a large
enterprise, nearly all of them never approved) and read each one's filing to find the few
approved ones. With the status copied onto the meeting (kept in step by the ORM at every
change, models/filings.py), the index holds only the approved ones. The home's list of
returned filings read and sorted all of the enterprise's returned filings (about 220);
its partial index gives the latest ten in order.

Revision ID: 5b8e2f7a9c31
Revises: 3f6b2d9e1c47
Create Date: 2026-12-03 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '5b8e2f7a9c31'
down_revision = '3f6b2d9e1c47'
branch_labels = None
depends_on = None

# The filing statuses at this revision (rules/workflow.py Status).
STATUSES = ('draft', 'submitted', 'returned', 'approved', 'rejected', 'withdrawn')
DUE = "actual_attendance IS NULL AND filing_status = 'approved'"
RETURNED = "status = 'returned'"


def upgrade():
    # Added empty, filled from each meeting's filing, then made required and checked.
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('filing_status', sa.String(length=24), nullable=True))
    op.execute("UPDATE meeting SET filing_status = "
               "(SELECT filing.status FROM filing WHERE filing.id = meeting.filing_id)")
    op.drop_index('ix_meeting_attendance_due', table_name='meeting')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.alter_column('filing_status', existing_type=sa.String(length=24),
                              nullable=False)
        batch_op.create_check_constraint(
            op.f('ck_meeting_filing_status'),
            "filing_status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")")
    op.create_index('ix_meeting_attendance_due', 'meeting',
                    ['enterprise_id', 'ends_at', 'filing_id'],
                    sqlite_where=sa.text(DUE), postgresql_where=sa.text(DUE))
    op.create_index('ix_filing_enterprise_returned', 'filing',
                    ['enterprise_id', 'decided_at', 'id'],
                    sqlite_where=sa.text(RETURNED), postgresql_where=sa.text(RETURNED))


def downgrade():
    op.drop_index('ix_filing_enterprise_returned', table_name='filing')
    op.drop_index('ix_meeting_attendance_due', table_name='meeting')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meeting_filing_status'), type_='check')
        batch_op.drop_column('filing_status')
    op.create_index('ix_meeting_attendance_due', 'meeting',
                    ['enterprise_id', 'ends_at', 'filing_id'],
                    sqlite_where=sa.text('actual_attendance IS NULL'),
                    postgresql_where=sa.text('actual_attendance IS NULL'))

"""Trainers carry their enterprise, indexed for the enterprise's registry by name.

The registry sorted every trainer filing of the enterprise by name to show fifty (about a
thousand for a large enterprise: 4 ms on PostgreSQL); with the enterprise copied onto the
trainer (it never changes) an index gives them in order.

Revision ID: 7c1d9e4b2a86
Revises: 5b8e2f7a9c31
Create Date: 2026-12-03 15:35:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = '7c1d9e4b2a86'
down_revision = '5b8e2f7a9c31'
branch_labels = None
depends_on = None


def upgrade():
    # Added empty, filled from each trainer's filing, then made required.
    with op.batch_alter_table('trainer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enterprise_id', sa.Integer(), nullable=True))
    op.execute("UPDATE trainer SET enterprise_id = "
               "(SELECT filing.enterprise_id FROM filing WHERE filing.id = trainer.filing_id)")
    with op.batch_alter_table('trainer', schema=None) as batch_op:
        batch_op.alter_column('enterprise_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('ix_trainer_enterprise_name', ['enterprise_id', 'name', 'filing_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_trainer_enterprise_id_enterprise'),
                                    'enterprise', ['enterprise_id'], ['id'])


def downgrade():
    with op.batch_alter_table('trainer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_trainer_enterprise_id_enterprise'),
                                 type_='foreignkey')
        batch_op.drop_index('ix_trainer_enterprise_name')
        batch_op.drop_column('enterprise_id')

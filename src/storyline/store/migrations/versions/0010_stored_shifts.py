"""shifts, walk-backs and contradictions stored per proposition, recomputed only when its inputs change

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('before_statement_id', sa.Integer(), nullable=False),
    sa.Column('after_statement_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reported', sa.Text(), nullable=True),
    sa.Column('after_date', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['proposition_id'], ['propositions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['before_statement_id'], ['statements.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['after_statement_id'], ['statements.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_shifts_proposition_id', 'shifts', ['proposition_id'])
    with op.batch_alter_table('propositions') as batch:
        batch.add_column(sa.Column('shifts_of', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('propositions') as batch:
        batch.drop_column('shifts_of')
    op.drop_index('ix_shifts_proposition_id', table_name='shifts')
    op.drop_table('shifts')

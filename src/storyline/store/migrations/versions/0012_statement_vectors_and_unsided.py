"""statement vectors for retrieval before judgement, and the near statements that took no side

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('statement_vectors',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.Text(), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id')
    )
    op.create_table('unsided',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('proposition_id', sa.Integer(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.Column('neutral', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposition_id'], ['propositions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('statement_id', 'proposition_id')
    )
    op.create_index('ix_unsided_statement_id', 'unsided', ['statement_id'])
    op.create_index('ix_unsided_proposition_id', 'unsided', ['proposition_id'])
    # Every proposition reads its statements again, so that what it read (and the near misses) is on record.
    op.execute("DELETE FROM stances")
    op.execute("UPDATE propositions SET scored_through = 0, shifts_of = NULL")


def downgrade() -> None:
    op.drop_index('ix_unsided_proposition_id', table_name='unsided')
    op.drop_index('ix_unsided_statement_id', table_name='unsided')
    op.drop_table('unsided')
    op.drop_table('statement_vectors')

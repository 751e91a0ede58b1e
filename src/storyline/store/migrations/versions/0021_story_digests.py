"""story digests: each story's summary and sections, computed by the digests stage so a story
page encodes nothing

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('story_digests',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('inputs', sa.String(length=64), nullable=False),
    sa.Column('summary_json', sa.Text(), nullable=False),
    sa.Column('sections_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id')
    )


def downgrade() -> None:
    op.drop_table('story_digests')

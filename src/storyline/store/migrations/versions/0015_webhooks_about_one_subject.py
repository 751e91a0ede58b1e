"""webhooks that follow one story, actor or proposition

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhooks') as batch:
        batch.add_column(sa.Column('about', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('webhooks') as batch:
        batch.drop_column('about')

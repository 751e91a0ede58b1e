"""how far through the statements alerts have been recorded

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_watermark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statements_through', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO alert_watermark (id, statements_through) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table('alert_watermark')

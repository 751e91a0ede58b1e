"""stances from the trained reader only: the rule reader is gone, so every proposition reads its
statements again and what it holds comes from one reader

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 18:00:00
"""

from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM stances")
    op.execute("DELETE FROM unsided")
    op.execute("DELETE FROM shifts")
    op.execute("UPDATE propositions SET scored_through = 0, shifts_of = NULL")


def downgrade() -> None:
    pass  # the stances read again are the trained reader's either way

"""translated titles, story labels that are headlines (with the language of one left untranslated),
and stories placed afresh by the average cosine to their members

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('translations') as batch:
        batch.add_column(sa.Column('title', sa.Text(), nullable=True))
    with op.batch_alter_table('stories') as batch:
        batch.add_column(sa.Column('label_language', sa.String(length=8), nullable=True))
    # Placements by the normalised centroid merged unrelated pages: every article is placed again
    # (from its stored vector) and every story gets a headline.
    for table in ('event_articles', 'events', 'stories'):
        op.execute(f"DELETE FROM {table}")


def downgrade() -> None:
    with op.batch_alter_table('stories') as batch:
        batch.drop_column('label_language')
    with op.batch_alter_table('translations') as batch:
        batch.drop_column('title')

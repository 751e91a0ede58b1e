"""article readings: statements a queue worker read from one article, waiting for the analysis
that resolves their speakers and saves them; a statement's cue and "via" as long as they come
("introduced with a colon, in translation" is 39 characters, and PostgreSQL refused it)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_readings',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text_digest', sa.String(length=64), nullable=False),
    sa.Column('statements_json', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id')
    )
    if op.get_bind().dialect.name == "postgresql":  # SQLite keeps text of any length in a VARCHAR
        for column in ("cue", "via"):
            op.alter_column("statements", column, type_=sa.Text(), existing_type=sa.String(32))


def downgrade() -> None:
    op.drop_table('article_readings')

"""a content revision counter, bumped by triggers, so readers can cache what they render

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Every table whose rows a page shows; webhooks, alerts and runs are bookkeeping, not content.
# Paragraphs are written and deleted only with their article, whose own trigger counts them.
CONTENT_TABLES = ("articles", "copies", "actors", "actor_aliases", "actor_roles", "statements",
                  "propositions", "stances", "translations", "stories", "events", "event_articles")
ACTIONS = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table('content_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO content_revision (id, revision) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for table in CONTENT_TABLES:
            for action in ACTIONS:
                op.execute(f"CREATE TRIGGER {table}_revision_{action} AFTER {action.upper()} ON {table} "
                           "BEGIN UPDATE content_revision SET revision = revision + 1 WHERE id = 1; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in CONTENT_TABLES:
            for action in ACTIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{action}")
    op.drop_table('content_revision')

"""PostgreSQL: full-text search over articles and statements (GIN indexes on their tsvector)
and the content revision bumped by triggers, as SQLite has had since 0004 and 0007

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 02:00:00
"""

from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# The 'simple' configuration lowercases and splits on non-letters without stemming, in any
# language, as SQLite's unicode61 tokenizer does. Queries must use these very expressions.
ARTICLE_DOCUMENT = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"
STATEMENT_DOCUMENT = "to_tsvector('simple', speaker || ' ' || text)"
CONTENT_TABLES = ("articles", "copies", "actors", "actor_aliases", "actor_roles", "statements",
                  "propositions", "stances", "translations", "stories", "events", "event_articles")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX articles_search ON articles USING gin ({ARTICLE_DOCUMENT})")
    op.execute(f"CREATE INDEX statements_search ON statements USING gin ({STATEMENT_DOCUMENT})")
    # One bump per statement that changes a content table, in its transaction: readers see the
    # new revision when, and only when, they can see the change.
    op.execute("CREATE FUNCTION bump_content_revision() RETURNS trigger LANGUAGE plpgsql AS $$ "
               "BEGIN UPDATE content_revision SET revision = revision + 1 WHERE id = 1; RETURN NULL; END $$")
    for table in CONTENT_TABLES:
        op.execute(f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION bump_content_revision()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in CONTENT_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
    op.execute("DROP FUNCTION IF EXISTS bump_content_revision()")
    op.execute("DROP INDEX IF EXISTS statements_search")
    op.execute("DROP INDEX IF EXISTS articles_search")

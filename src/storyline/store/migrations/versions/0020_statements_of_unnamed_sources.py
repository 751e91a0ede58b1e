"""statements of unnamed sources: a statement whose source the text describes but names no one by
("experts", "a poll") is kept with no actor, so statements.actor_id may be empty

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

_NOT_NULL = "actor_id INTEGER NOT NULL"


def _sqlite_table_sql(sql_from: str, sql_to: str) -> None:
    """SQLite's documented way to drop or add a NOT NULL in place (www.sqlite.org/lang_altertable.html):
    rewrite the table's CREATE statement and bump the schema version. Rebuilding the table instead
    would, with foreign keys on, delete every stance and vector that cascades from a statement."""
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'statements'",
                         (sql_from, sql_to))
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_table_sql(_NOT_NULL, "actor_id INTEGER")
    else:
        op.alter_column("statements", "actor_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM statements WHERE actor_id IS NULL")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_table_sql("actor_id INTEGER,", _NOT_NULL + ",")
    else:
        op.alter_column("statements", "actor_id", existing_type=sa.Integer(), nullable=False)

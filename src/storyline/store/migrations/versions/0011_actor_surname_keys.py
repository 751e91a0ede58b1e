"""each actor's surname skeleton, so a typed spelling finds its actor without reading them all

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 12:00:00
"""

import sqlalchemy as sa
from alembic import op

from storyline.lang.names import surname_key

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('actors') as batch:
        batch.add_column(sa.Column('surname_key', sa.String(length=64), nullable=True))
        batch.create_index('ix_actors_surname_key', ['surname_key'])
    connection = op.get_bind()
    for actor_id, name in connection.execute(sa.text("SELECT id, name FROM actors")).all():
        connection.execute(sa.text("UPDATE actors SET surname_key = :key WHERE id = :id"), {"key": surname_key(name), "id": actor_id})


def downgrade() -> None:
    with op.batch_alter_table('actors') as batch:
        batch.drop_index('ix_actors_surname_key')
        batch.drop_column('surname_key')

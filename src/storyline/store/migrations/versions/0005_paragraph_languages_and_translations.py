"""paragraph languages and translations

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 02:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Stories are derived data: they move to multilingual vectors, so they are rebuilt by the
    # next `storyline analyze` rather than mixed with centroids from the old model.
    for table in ('event_articles', 'events', 'stories', 'article_vectors'):
        op.execute(f"DELETE FROM {table}")
    for table in ('events', 'stories'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('english_centroid', sa.LargeBinary(), nullable=True))
            batch_op.add_column(sa.Column('english_size', sa.Integer(), nullable=False, server_default='0'))
            batch_op.add_column(sa.Column('languages', sa.Text(), nullable=False, server_default='[]'))
    with op.batch_alter_table('paragraphs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    op.create_table('translations',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('source_language', sa.String(length=8), nullable=False),
    sa.Column('backend', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('segments_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id')
    )


def downgrade() -> None:
    for table in ('events', 'stories'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('languages')
            batch_op.drop_column('english_size')
            batch_op.drop_column('english_centroid')
    op.drop_table('translations')
    with op.batch_alter_table('paragraphs', schema=None) as batch_op:
        batch_op.drop_column('language')

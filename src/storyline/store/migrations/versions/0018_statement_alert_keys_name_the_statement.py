"""statement alert keys name the statement, not only its sentence: the attribution tagger finds
several statements in one sentence, and each must alert (and have its own feed entry id)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 21:00:00
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The same key alerts/outbox.statement_key makes, from what each stored alert sent.
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, payload FROM alerts WHERE kind = 'statement'")).fetchall()
    for alert_id, payload in rows:
        statement = json.loads(payload)["statement"]
        digest = hashlib.sha1(statement["text"].encode()).hexdigest()[:10]
        key = f"statement:{statement['article_id']}:{statement['start']}:{statement['end']}:{digest}"
        bind.execute(sa.text("UPDATE alerts SET key = :key WHERE id = :id"), {"key": key, "id": alert_id})


def downgrade() -> None:
    pass  # longer keys name the same alerts

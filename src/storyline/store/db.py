"""The Store: every read and write of the database goes through it, one module per aggregate.

SQLite by default (one file, WAL so readers never block the ingest writer),
through SQLAlchemy so a PostgreSQL URL works too. Each article is written in
its own transaction: a crash loses at most the article in flight, and a rerun
resumes because inputs already stored are recognised by their content hash.
"""

from __future__ import annotations

from storyline.store.alerts import AlertStore
from storyline.store.analysis import AnalysisStore
from storyline.store.articles import ArticleStore
from storyline.store.positions import PositionStore
from storyline.store.statements import StatementStore
from storyline.store.stories import StoryStore


class Store(ArticleStore, PositionStore, StatementStore, StoryStore, AlertStore, AnalysisStore):
    """One handle on the database: articles (with runs and translations), statements and actors,
    propositions and stances, stories and search, alerts, and the analysis's failures and lease.
    Each lives in its own module."""

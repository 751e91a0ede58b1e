"""The connection every aggregate's store shares: engine, sessions, migrations, and what spans them all."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Self, TypeVar

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from storyline.store.models import (
    ActorRow,
    ArticleRow,
    ContentRevisionRow,
    CopyRow,
    ParagraphRow,
    StatementRow,
)
from storyline.store.upgrade import upgrade_to_head


Value = TypeVar("Value")
IN_LIST_SIZE = 10_000  # values bound in one IN list: SQLite caps the variables of a query (32,766 by default)


def in_chunks(values: Iterable[Value]) -> Iterator[list[Value]]:
    """The values in runs short enough for one query's IN list."""
    values = list(values)
    for start in range(0, len(values), IN_LIST_SIZE):
        yield values[start:start + IN_LIST_SIZE]


def utc_now() -> datetime:
    """Now, as the store keeps times: UTC without a zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def database_url(target: str | Path) -> str:
    """A path is a SQLite file; a PostgreSQL URL without a driver gets psycopg 3 (SQLAlchemy's
    default for a bare postgresql:// is psycopg2, which is not installed)."""
    text = str(target)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser()}"
    scheme, rest = text.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else text


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


MIGRATION_LOCK = 0x5354_4F52  # PostgreSQL advisory lock key, "STOR": one process migrates at a time


@contextmanager
def _one_migrator(engine: Engine) -> Iterator[None]:
    """Two processes opening a new SQLite file at once must not both create its tables (SQLite runs
    DDL outside the transaction): an advisory lock on the file's folder lets one migrate while the
    other waits. Not on the database file itself: closing any descriptor of it would drop the
    POSIX locks SQLite holds on it in this process. On PostgreSQL the migration's own transaction
    takes an advisory lock (see StoreBase)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    folder = os.open(Path(path).resolve().parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # releases the flock


class StoreBase:
    """Opens (and migrates) the database; each aggregate's store adds its reads and writes."""

    def __init__(self, target: str | Path = "storyline.db"):
        self.url = database_url(target)
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        with _one_migrator(self.engine), self.engine.begin() as connection:
            if self.engine.dialect.name == "postgresql":  # workers starting together: one migrates, the others wait
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            upgrade_to_head(connection)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self) -> Session:
        return self._sessions()

    def revision(self) -> int | None:
        """Changes whenever any content changes, from this process or another; None where no
        triggers keep it (a database other than SQLite and PostgreSQL)."""
        if self.engine.dialect.name not in ("sqlite", "postgresql"):
            return None
        with self._session() as session:
            return session.scalar(select(ContentRevisionRow.revision).where(ContentRevisionRow.id == 1))

    def counts(self) -> dict[str, int]:
        with self._session() as session:
            return {
                "articles": session.scalar(select(func.count(ArticleRow.id))) or 0,
                "copies": session.scalar(select(func.count(CopyRow.id))) or 0,
                "paragraphs": session.scalar(select(func.count(ParagraphRow.id))) or 0,
                "statements": session.scalar(select(func.count(StatementRow.id))) or 0,
                "actors": session.scalar(select(func.count(ActorRow.id))) or 0,
            }

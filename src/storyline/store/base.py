"""The connection every aggregate's store shares: engine, sessions, migrations, and what spans them all."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Self

from sqlalchemy import create_engine, event, func, select
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


def utc_now() -> datetime:
    """Now, as the store keeps times: UTC without a zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def database_url(target: str | Path) -> str:
    text = str(target)
    return text if "://" in text else f"sqlite:///{Path(text).expanduser()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def _one_migrator(engine: Engine) -> Iterator[None]:
    """Two processes opening a new SQLite file at once must not both create its tables (SQLite runs
    DDL outside the transaction): an advisory lock on the file's folder lets one migrate while the
    other waits. Not on the database file itself: closing any descriptor of it would drop the
    POSIX locks SQLite holds on it in this process."""
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
        """Changes whenever any content changes, from this process or another; None where no triggers keep it."""
        if self.engine.dialect.name != "sqlite":
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

"""The Store: every read and write of the database goes through this class.

SQLite by default (one file, WAL so readers never block the ingest writer),
through SQLAlchemy so a PostgreSQL URL works too. Each article is written in
its own transaction: a crash loses at most the article in flight, and a rerun
resumes because inputs already stored are recognised by their content hash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker

from storyline.records import (
    Article,
    IngestFailure,
    Paragraph,
    RemovedLine,
    RunSummary,
    StoredArticle,
    StoredCopy,
)
from storyline.store.upgrade import upgrade_to_head
from storyline.store.models import ArticleRow, CopyRow, FailureRow, OutletLineRow, ParagraphRow, RunRow

# A line recurring in at least this many articles of one site or folder is that outlet's furniture.
FURNITURE_MIN_ARTICLES = 3


def _now() -> datetime:
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


class Store:
    def __init__(self, target: str | Path = "storyline.db"):
        self.url = database_url(target)
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        with self.engine.begin() as connection:
            upgrade_to_head(connection)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self) -> Session:
        return self._sessions()

    # --- runs and failures -------------------------------------------------------------------

    def start_run(self, inputs: list[str]) -> int:
        with self._session() as session, session.begin():
            run = RunRow(started_at=_now(), inputs=json.dumps(inputs))
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, stored: int, copies: int, unchanged: int, failed: int) -> None:
        with self._session() as session, session.begin():
            run = session.get(RunRow, run_id)
            run.finished_at, run.stored, run.copies, run.unchanged, run.failed = _now(), stored, copies, unchanged, failed

    def record_failure(self, run_id: int, failure: IngestFailure) -> None:
        with self._session() as session, session.begin():
            session.add(FailureRow(run_id=run_id, origin=failure.origin, reason=failure.reason, at=_now()))

    def run_summary(self, run_id: int | None = None) -> RunSummary | None:
        with self._session() as session:
            run = session.get(RunRow, run_id) if run_id else session.scalars(select(RunRow).order_by(RunRow.id.desc())).first()
            if run is None:
                return None
            failures = session.scalars(select(FailureRow).where(FailureRow.run_id == run.id).order_by(FailureRow.id)).all()
            return RunSummary(
                id=run.id, started_at=run.started_at, finished_at=run.finished_at, inputs=run.inputs,
                stored=run.stored, copies=run.copies, unchanged=run.unchanged, failed=run.failed,
                failures=tuple(IngestFailure(f.origin, f.reason) for f in failures),
            )

    # --- what is known already ---------------------------------------------------------------

    def is_known_raw(self, raw_hash: str) -> bool:
        with self._session() as session:
            return bool(
                session.scalar(select(ArticleRow.id).where(ArticleRow.raw_hash == raw_hash))
                or session.scalar(select(CopyRow.id).where(CopyRow.raw_hash == raw_hash))
            )

    def has_origin(self, origin: str) -> bool:
        with self._session() as session:
            return bool(
                session.scalar(select(ArticleRow.id).where(ArticleRow.origin == origin).limit(1))
                or session.scalar(select(CopyRow.id).where(CopyRow.origin == origin).limit(1))
            )

    def article_with_text_hash(self, text_hash: str) -> int | None:
        with self._session() as session:
            return session.scalar(select(ArticleRow.id).where(ArticleRow.text_hash == text_hash).order_by(ArticleRow.id).limit(1))

    def signatures(self) -> Iterator[tuple[int, bytes]]:
        with self._session() as session:
            yield from session.execute(select(ArticleRow.id, ArticleRow.minhash).where(ArticleRow.minhash.is_not(None)))

    def furniture_fingerprints(self, key: str, min_articles: int = FURNITURE_MIN_ARTICLES) -> frozenset[str]:
        with self._session() as session:
            rows = session.scalars(
                select(OutletLineRow.fingerprint)
                .where(OutletLineRow.key == key)
                .group_by(OutletLineRow.fingerprint)
                .having(func.count(OutletLineRow.article_id) >= min_articles)
            )
            return frozenset(rows)

    # --- writes --------------------------------------------------------------------------------

    def add_article(self, article: Article, furniture_key: str) -> int:
        """Store one article, its paragraphs and its line fingerprints in one transaction."""
        with self._session() as session, session.begin():
            outlet = article.outlet.outlet if article.outlet else None
            row = ArticleRow(
                origin=article.origin,
                raw_hash=article.raw_hash,
                text_hash=article.text_hash,
                raw_kind=article.raw_kind,
                raw_text=article.raw_text,
                text=article.text,
                title=article.title,
                url=article.url,
                author=article.author,
                outlet_name=outlet.name if outlet else None,
                outlet_domain=outlet.domain if outlet else None,
                outlet_state_affiliated=bool(outlet and outlet.state_affiliated),
                outlet_evidence=article.outlet.evidence if article.outlet else None,
                country=article.country,
                language=article.language.code,
                language_confidence=article.language.confidence,
                published=article.published.iso,
                published_confidence=article.published.confidence,
                published_method=article.published.method,
                published_evidence=article.published.evidence,
                word_count=article.word_count,
                removed_json=json.dumps([[r.text, r.reason] for r in article.removed], ensure_ascii=False),
                minhash=article.minhash,
                ingested_at=_now(),
                paragraphs=[ParagraphRow(idx=p.index, start=p.start, end=p.end, kind=p.kind) for p in article.paragraphs],
            )
            session.add(row)
            session.flush()
            session.add_all(OutletLineRow(key=furniture_key, fingerprint=f, article_id=row.id) for f in article.line_fingerprints)
            return row.id

    def add_copy(self, article_id: int, article: Article, similarity: float) -> None:
        with self._session() as session, session.begin():
            session.add(
                CopyRow(
                    article_id=article_id,
                    origin=article.origin,
                    raw_hash=article.raw_hash,
                    url=article.url,
                    title=article.title,
                    outlet_name=article.outlet.outlet.name if article.outlet else None,
                    similarity=round(similarity, 4),
                    ingested_at=_now(),
                )
            )

    # --- reads for views -----------------------------------------------------------------------

    @staticmethod
    def _to_record(row: ArticleRow, with_text: bool) -> StoredArticle:
        return StoredArticle(
            id=row.id, origin=row.origin, url=row.url, title=row.title,
            text=row.text if with_text else "",
            paragraphs=tuple(Paragraph(p.idx, p.start, p.end, p.kind) for p in row.paragraphs) if with_text else (),
            outlet=row.outlet_name, outlet_domain=row.outlet_domain, outlet_state_affiliated=row.outlet_state_affiliated,
            outlet_evidence=row.outlet_evidence, country=row.country, language=row.language,
            language_confidence=row.language_confidence, published=row.published,
            published_confidence=row.published_confidence, published_method=row.published_method,
            published_evidence=row.published_evidence, author=row.author, word_count=row.word_count,
            raw_kind=row.raw_kind, ingested_at=row.ingested_at,
            removed=tuple(RemovedLine(text, reason) for text, reason in json.loads(row.removed_json)) if with_text else (),
            copies=tuple(StoredCopy(c.origin, c.url, c.title, c.outlet_name, c.similarity) for c in row.copies) if with_text else (),
        )

    def articles(self, *, with_text: bool = False, limit: int | None = None) -> list[StoredArticle]:
        with self._session() as session:
            query = select(ArticleRow).order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id)
            if with_text:
                query = query.options(selectinload(ArticleRow.paragraphs), selectinload(ArticleRow.copies))
            if limit:
                query = query.limit(limit)
            return [self._to_record(row, with_text) for row in session.scalars(query)]

    def article(self, article_id: int) -> StoredArticle | None:
        with self._session() as session:
            row = session.get(ArticleRow, article_id)
            return self._to_record(row, with_text=True) if row else None

    def counts(self) -> dict[str, int]:
        with self._session() as session:
            return {
                "articles": session.scalar(select(func.count(ArticleRow.id))) or 0,
                "copies": session.scalar(select(func.count(CopyRow.id))) or 0,
                "paragraphs": session.scalar(select(func.count(ParagraphRow.id))) or 0,
            }

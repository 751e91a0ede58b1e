"""Articles: ingest runs and their failures, what is known already, the articles themselves and their translations."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from storyline.records import (
    Article,
    ArticleFilters,
    IngestFailure,
    Paragraph,
    RemovedLine,
    RunSummary,
    Segment,
    StoredArticle,
    StoredCopy,
    Translation,
)
from storyline.settings import settings
from storyline.store.base import StoreBase, in_chunks, utc_now
from storyline.store.models import (
    ArticleRow,
    CopyRow,
    FailureRow,
    OutletLineRow,
    ParagraphRow,
    RunRow,
    TranslationRow,
)


class _StoredMeanwhile(Exception):
    """Rolls back a copy whose bytes another run stored first."""


def on_or_before(column, until: str):
    """`column` (an ISO date, maybe with a time) on or before `until`: a day includes the whole
    day, whatever time the page gave."""
    try:
        day = date.fromisoformat(until) if len(until) == 10 else None
    except ValueError:
        day = None
    return column < (day + timedelta(days=1)).isoformat() if day else column <= until


def article_filtered(query, filters: ArticleFilters):
    """The filters as SQL on a query over articles: country exactly (any case), outlet by part of
    its name, language exactly, publication on or after `since` and on or before `until`
    (undated never match)."""
    if filters.country:
        query = query.where(func.lower(ArticleRow.country) == filters.country.casefold())
    if filters.outlet:
        query = query.where(func.lower(ArticleRow.outlet_name).contains(filters.outlet.casefold(), autoescape=True))
    if filters.language:
        query = query.where(ArticleRow.language == filters.language)
    if filters.since:
        query = query.where(ArticleRow.published >= filters.since)
    if filters.until:
        query = query.where(on_or_before(ArticleRow.published, filters.until))
    if filters.ids is not None:
        query = query.where(ArticleRow.id.in_(filters.ids))
    return query


class ArticleStore(StoreBase):
    def start_run(self, inputs: list[str]) -> int:
        with self._session() as session, session.begin():
            run = RunRow(started_at=utc_now(), inputs=json.dumps(inputs))
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, stored: int, copies: int, unchanged: int, failed: int) -> None:
        with self._session() as session, session.begin():
            run = session.get(RunRow, run_id)
            run.finished_at, run.stored, run.copies, run.unchanged, run.failed = utc_now(), stored, copies, unchanged, failed

    def record_failure(self, run_id: int, failure: IngestFailure) -> None:
        with self._session() as session, session.begin():
            session.add(FailureRow(run_id=run_id, origin=failure.origin, reason=failure.reason, at=utc_now()))

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

    def furniture_fingerprints(self, key: str, min_articles: int | None = None) -> frozenset[str]:
        with self._session() as session:
            rows = session.scalars(
                select(OutletLineRow.fingerprint)
                .where(OutletLineRow.key == key)
                .group_by(OutletLineRow.fingerprint)
                .having(func.count(OutletLineRow.article_id) >= (min_articles or settings().ingest.furniture_min_articles))
            )
            return frozenset(rows)

    def add_article(self, article: Article, furniture_key: str) -> int | None:
        """Store one article, its paragraphs and its line fingerprints in one transaction; None
        (nothing written) when another run stored these very bytes first."""
        try:
            return self._insert_article(article, furniture_key)
        except (IntegrityError, _StoredMeanwhile):
            if self.is_known_raw(article.raw_hash):
                return None
            raise

    def _insert_article(self, article: Article, furniture_key: str) -> int:
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
                ingested_at=utc_now(),
                paragraphs=[ParagraphRow(idx=p.index, start=p.start, end=p.end, kind=p.kind, language=p.language)
                            for p in article.paragraphs],
            )
            session.add(row)
            session.flush()
            if session.scalar(select(CopyRow.id).where(CopyRow.raw_hash == article.raw_hash)):
                raise _StoredMeanwhile
            session.add_all(OutletLineRow(key=furniture_key, fingerprint=f, article_id=row.id) for f in article.line_fingerprints)
            return row.id

    def add_copy(self, article_id: int, article: Article, similarity: float) -> bool:
        """Link a copy to its original; False (nothing written) when another run stored these
        very bytes meanwhile. The insert comes first, so the check runs under the write lock."""
        try:
            with self._session() as session, session.begin():
                row = CopyRow(article_id=article_id, origin=article.origin, raw_hash=article.raw_hash, url=article.url,
                              title=article.title, outlet_name=article.outlet.outlet.name if article.outlet else None,
                              similarity=round(similarity, 4), ingested_at=utc_now())
                session.add(row)
                session.flush()
                if session.scalar(select(ArticleRow.id).where(ArticleRow.raw_hash == article.raw_hash)) or session.scalar(
                        select(CopyRow.id).where(CopyRow.raw_hash == article.raw_hash, CopyRow.id != row.id)):
                    raise _StoredMeanwhile
        except _StoredMeanwhile:
            return False
        except IntegrityError:
            if self.is_known_raw(article.raw_hash):
                return False
            raise
        return True

    @staticmethod
    def _to_record(row: ArticleRow, with_text: bool) -> StoredArticle:
        return StoredArticle(
            id=row.id, origin=row.origin, url=row.url, title=row.title,
            text=row.text if with_text else "",
            paragraphs=tuple(Paragraph(p.idx, p.start, p.end, p.kind, p.language) for p in row.paragraphs) if with_text else (),
            outlet=row.outlet_name, outlet_domain=row.outlet_domain, outlet_state_affiliated=row.outlet_state_affiliated,
            outlet_evidence=row.outlet_evidence, country=row.country, language=row.language,
            language_confidence=row.language_confidence, published=row.published,
            published_confidence=row.published_confidence, published_method=row.published_method,
            published_evidence=row.published_evidence, author=row.author, word_count=row.word_count,
            raw_kind=row.raw_kind, ingested_at=row.ingested_at,
            removed=tuple(RemovedLine(text, reason) for text, reason in json.loads(row.removed_json)) if with_text else (),
            copies=tuple(StoredCopy(c.origin, c.url, c.title, c.outlet_name, c.similarity) for c in row.copies) if with_text else (),
        )

    def articles(self, filters: ArticleFilters = ArticleFilters(), *, with_text: bool = False, limit: int | None = None,
                 offset: int = 0) -> list[StoredArticle]:
        """Newest first; only the page asked for is read."""
        with self._session() as session:
            query = article_filtered(select(ArticleRow), filters).order_by(ArticleRow.published.desc().nulls_last(), ArticleRow.id)
            if with_text:
                query = query.options(selectinload(ArticleRow.paragraphs), selectinload(ArticleRow.copies))
            if limit:
                query = query.limit(limit)
            if offset:
                query = query.offset(offset)
            return [self._to_record(row, with_text) for row in session.scalars(query)]

    def article_count(self, filters: ArticleFilters = ArticleFilters()) -> int:
        with self._session() as session:
            return session.scalar(article_filtered(select(func.count(ArticleRow.id)), filters)) or 0

    def ingested_at(self, article_ids: Iterable[int]) -> dict[int, datetime]:
        """When each article reached the store: the moment what it says became news here."""
        with self._session() as session:
            return dict(session.execute(select(ArticleRow.id, ArticleRow.ingested_at).where(ArticleRow.id.in_(set(article_ids)))).all())

    def facets(self) -> tuple[list[str], list[str]]:
        """The outlets and languages the stored articles have, for filter menus."""
        with self._session() as session:
            outlets = session.scalars(select(ArticleRow.outlet_name).where(ArticleRow.outlet_name.is_not(None))
                                      .distinct().order_by(ArticleRow.outlet_name)).all()
            languages = session.scalars(select(ArticleRow.language).where(ArticleRow.language.is_not(None))
                                        .distinct().order_by(ArticleRow.language)).all()
        return list(outlets), list(languages)

    def article(self, article_id: int) -> StoredArticle | None:
        with self._session() as session:
            row = session.get(ArticleRow, article_id)
            return self._to_record(row, with_text=True) if row else None

    def article_text(self, article_id: int) -> str | None:
        """The text alone, for readers that need no more of the article (a statement's sentence before)."""
        with self._session() as session:
            return session.scalar(select(ArticleRow.text).where(ArticleRow.id == article_id))

    def article_ids_to_translate(self, among: Iterable[int] | None = None) -> list[int]:
        """Articles (of all, or those `among` these) in a known language other than English that
        have no translation yet, or whose translation (from before titles were translated) lacks the title."""
        with self._session() as session:
            done = select(TranslationRow.article_id).join(ArticleRow, ArticleRow.id == TranslationRow.article_id).where(
                TranslationRow.title.is_not(None) | ArticleRow.title.is_(None) | (ArticleRow.title == ""))
            query = select(ArticleRow.id).where(ArticleRow.language.is_not(None), ArticleRow.language != "en",
                                                ArticleRow.id.not_in(done)).order_by(ArticleRow.id)
            if among is not None:
                query = query.where(ArticleRow.id.in_(list(among)))
            return list(session.scalars(query))

    def save_translation(self, translation: Translation) -> None:
        """Store a translation and, where its text is new, mark the article for analysis again,
        which reads it (a title added to an earlier translation changes no statement)."""
        segments = json.dumps([[s.paragraph, s.original_start, s.original_end, s.start, s.end] for s in translation.segments])
        with self._session() as session, session.begin():
            before = session.get(TranslationRow, translation.article_id)
            changed = before is None or (before.text, before.segments_json) != (translation.text, segments)
            session.merge(TranslationRow(
                article_id=translation.article_id, source_language=translation.source_language, backend=translation.backend,
                text=translation.text, created_at=utc_now(), segments_json=segments, title=translation.title or "",
            ))
            if changed:
                session.execute(update(ArticleRow).where(ArticleRow.id == translation.article_id).values(analyzed_version=None))

    def languages(self, article_ids: Iterable[int]) -> dict[int, tuple[str | None, bool]]:
        """Each article's language, and whether a translation into English is stored for it."""
        query = (select(ArticleRow.id, ArticleRow.language, TranslationRow.article_id.is_not(None))
                 .outerjoin(TranslationRow, TranslationRow.article_id == ArticleRow.id))
        with self._session() as session:
            return {article_id: (language, bool(translated)) for chunk in in_chunks(set(article_ids))
                    for article_id, language, translated in session.execute(query.where(ArticleRow.id.in_(chunk)))}

    def translated_titles(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The English titles translations give these articles, by article id."""
        with self._session() as session:
            return dict(session.execute(select(TranslationRow.article_id, TranslationRow.title).where(
                TranslationRow.article_id.in_(set(article_ids)), TranslationRow.title.is_not(None), TranslationRow.title != "")).all())

    def translations(self, article_ids: list[int]) -> dict[int, Translation]:
        """The translations there are for these articles, by article id."""
        return {i: t for i in article_ids if (t := self.translation(i)) is not None}

    def translation(self, article_id: int) -> Translation | None:
        with self._session() as session:
            row = session.get(TranslationRow, article_id)
            if row is None:
                return None
            return Translation(row.article_id, row.source_language, row.backend, row.text,
                               tuple(Segment(*values) for values in json.loads(row.segments_json)), row.title)

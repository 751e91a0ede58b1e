"""The Store: every read and write of the database goes through this class.

SQLite by default (one file, WAL so readers never block the ingest writer),
through SQLAlchemy so a PostgreSQL URL works too. Each article is written in
its own transaction: a crash loses at most the article in flight, and a rerun
resumes because inputs already stored are recognised by their content hash.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, delete, event, func, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, selectinload, sessionmaker

from storyline.records import (
    ActorRole,
    Alert,
    Article,
    DeliveryAttempt,
    DueDelivery,
    IngestFailure,
    Paragraph,
    PositionPoint,
    Proposition,
    RemovedLine,
    RunSummary,
    SearchHit,
    Segment,
    StanceJudged,
    Statement,
    StoredActor,
    StoredArticle,
    StoredCopy,
    StoredStatement,
    StoryCluster,
    StoryOverview,
    Translation,
    Webhook,
)
from storyline.store.models import (
    ActorAliasRow,
    ActorRoleRow,
    ActorRow,
    AlertRow,
    AlertWatermarkRow,
    ArticleRow,
    ArticleVectorRow,
    ContentRevisionRow,
    CopyRow,
    DeliveryAttemptRow,
    DeliveryRow,
    EventArticleRow,
    EventRow,
    FailureRow,
    OutletLineRow,
    ParagraphRow,
    PropositionRow,
    RunRow,
    StanceRow,
    StatementRow,
    StoryRow,
    TranslationRow,
    WebhookRow,
)
from storyline.store.upgrade import upgrade_to_head

# A line recurring in at least this many articles of one site or folder is that outlet's furniture.
FURNITURE_MIN_ARTICLES = 3


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
                ingested_at=utc_now(),
                paragraphs=[ParagraphRow(idx=p.index, start=p.start, end=p.end, kind=p.kind, language=p.language)
                            for p in article.paragraphs],
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
                    ingested_at=utc_now(),
                )
            )

    # --- reads for views -----------------------------------------------------------------------

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

    # --- analysis: statements and actors ------------------------------------------------------

    def article_ids_to_analyze(self, version: int, since: str | None = None, redo: bool = False) -> list[int]:
        with self._session() as session:
            query = select(ArticleRow.id).order_by(ArticleRow.id)
            if not redo:
                query = query.where((ArticleRow.analyzed_version.is_(None)) | (ArticleRow.analyzed_version < version))
            if since:
                query = query.where(ArticleRow.ingested_at >= datetime.fromisoformat(since))
            return list(session.scalars(query))

    def actor_index(self) -> list[tuple[int, str, str, list[str]]]:
        """(id, name, kind, roles) of every actor, for matching new mentions."""
        with self._session() as session:
            roles: dict[int, list[str]] = {}
            for actor_id, role in session.execute(select(ActorRoleRow.actor_id, ActorRoleRow.role).distinct()):
                roles.setdefault(actor_id, []).append(role)
            return [(a.id, a.name, a.kind, roles.get(a.id, [])) for a in session.scalars(select(ActorRow).order_by(ActorRow.id))]

    def save_statements(self, article_id: int, resolved: list[tuple[Statement, int | None]], version: int) -> list[int]:
        """Replace an article's statements in one transaction; ``None`` actor ids create actors. Returns the actor ids used."""
        with self._session() as session, session.begin():
            replaced = session.scalar(select(func.min(StatementRow.id)).where(StatementRow.article_id == article_id))
            if replaced is not None:
                # SQLite may hand the freed ids to the new statements: propositions must judge them again,
                # and alerts look at them again (a statement said before keeps its key and is not repeated).
                session.execute(update(PropositionRow).where(PropositionRow.scored_through >= replaced).values(scored_through=replaced - 1))
                session.execute(update(AlertWatermarkRow).where(AlertWatermarkRow.statements_through >= replaced)
                                .values(statements_through=replaced - 1))
            session.execute(delete(StatementRow).where(StatementRow.article_id == article_id))
            session.execute(delete(ActorRoleRow).where(ActorRoleRow.article_id == article_id))
            created: dict[tuple[str, str], ActorRow] = {}
            used: list[int] = []
            for statement, actor_id in resolved:
                if actor_id is None:
                    actor = created.get((statement.speaker, statement.speaker_kind))
                    if actor is None:
                        actor = ActorRow(name=statement.speaker, kind=statement.speaker_kind)
                        session.add(actor)
                        session.flush()
                        created[(statement.speaker, statement.speaker_kind)] = actor
                else:
                    actor = session.get(ActorRow, actor_id)
                used.append(actor.id)
                if statement.speaker not in {a.alias for a in actor.aliases}:
                    actor.aliases.append(ActorAliasRow(alias=statement.speaker))
                if statement.role and not any(r.role == statement.role and r.article_id == article_id for r in actor.roles):
                    actor.roles.append(ActorRoleRow(role=statement.role, article_id=article_id, date=statement.date))
                session.add(StatementRow(
                    article_id=article_id, actor_id=actor.id, speaker=statement.speaker, kind=statement.kind, text=statement.text, start=statement.start,
                    end=statement.end, role=statement.role, cue=statement.cue, via=statement.via, date=statement.date,
                    date_kind=statement.date_kind,
                ))
            session.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(analyzed_version=version))
            return used

    def merge_actors(self, source_id: int, target_id: int) -> None:
        """Fold one actor into another: statements, roles and aliases move; the source goes."""
        with self._session() as session, session.begin():
            source, target = session.get(ActorRow, source_id), session.get(ActorRow, target_id)
            session.execute(update(StatementRow).where(StatementRow.actor_id == source_id).values(actor_id=target_id))
            session.execute(update(ActorRoleRow).where(ActorRoleRow.actor_id == source_id).values(actor_id=target_id))
            known = {a.alias for a in target.aliases}
            for alias in source.aliases:
                if alias.alias not in known:
                    target.aliases.append(ActorAliasRow(alias=alias.alias))
            session.delete(source)

    def tidy_actors(self) -> None:
        """Drop actors left without statements; name each after its most used full spelling, whatever the order of arrival."""
        with self._session() as session, session.begin():
            speaking = select(StatementRow.actor_id).distinct()
            session.execute(delete(ActorRow).where(ActorRow.id.not_in(speaking)))
            spellings: dict[int, Counter] = {}
            for actor_id, speaker in session.execute(select(StatementRow.actor_id, StatementRow.speaker)):
                spellings.setdefault(actor_id, Counter())[speaker] += 1
            for actor in session.scalars(select(ActorRow)):
                counts = spellings.get(actor.id)
                if counts:
                    actor.name = max(counts, key=lambda name: (len(name.split()), counts[name], name))

    @staticmethod
    def _statement_query(*extra_columns):
        # The sentence is cut out in SQL: loading whole articles (raw HTML included) per statement is waste.
        sentence = func.substr(ArticleRow.text, StatementRow.start + 1, StatementRow.end - StatementRow.start)
        return (
            select(StatementRow, ActorRow.name, sentence, ArticleRow.outlet_name, ArticleRow.country, ArticleRow.title, *extra_columns)
            .join(ActorRow, StatementRow.actor_id == ActorRow.id)
            .join(ArticleRow, StatementRow.article_id == ArticleRow.id)
            .order_by(StatementRow.date.is_(None), StatementRow.date, StatementRow.article_id, StatementRow.start)
        )

    @staticmethod
    def _to_statement(row: StatementRow, name: str, sentence: str, outlet: str | None, country: str | None, title: str | None) -> StoredStatement:
        return StoredStatement(
            id=row.id, article_id=row.article_id, actor_id=row.actor_id, speaker=name, role=row.role, kind=row.kind,
            text=row.text, sentence=sentence, start=row.start, end=row.end, cue=row.cue,
            via=row.via, date=row.date, date_kind=row.date_kind, outlet=outlet, country=country, article_title=title,
        )

    def statements(self, actor_ids: list[int] | None = None, since: str | None = None, after_id: int = 0) -> list[StoredStatement]:
        with self._session() as session:
            query = self._statement_query()
            if actor_ids is not None:
                query = query.where(StatementRow.actor_id.in_(actor_ids))
            if since:
                query = query.where(StatementRow.date >= since)
            if after_id:
                query = query.where(StatementRow.id > after_id)
            return [self._to_statement(*row) for row in session.execute(query)]

    def statement_count(self, after_id: int = 0) -> int:
        with self._session() as session:
            return session.scalar(select(func.count(StatementRow.id)).where(StatementRow.id > after_id)) or 0

    # Propositions and stances

    def add_proposition(self, text: str, origin: str = "user", status: str = "accepted") -> int:
        """The proposition's id; naming an existing one again returns it (and accepts it if a user named it)."""
        with self._session() as session, session.begin():
            row = session.scalar(select(PropositionRow).where(PropositionRow.text == text))
            if row is None:
                row = PropositionRow(text=text, origin=origin, status=status, scored_through=0, created_at=utc_now())
                session.add(row)
                session.flush()
            elif origin == "user":
                row.status = "accepted"
            return row.id

    def propositions(self, status: str | None = None) -> list[Proposition]:
        with self._session() as session:
            counts = dict(session.execute(select(StanceRow.proposition_id, func.count(StanceRow.id)).group_by(StanceRow.proposition_id)).all())
            query = select(PropositionRow).order_by(PropositionRow.id)
            if status:
                query = query.where(PropositionRow.status == status)
            return [Proposition(r.id, r.text, r.origin, r.status, counts.get(r.id, 0)) for r in session.scalars(query)]

    def update_proposition(self, proposition_id: int, *, text: str | None = None, status: str | None = None) -> None:
        with self._session() as session, session.begin():
            row = session.get(PropositionRow, proposition_id)
            if row is None:
                raise KeyError(proposition_id)
            if text is not None and text != row.text:
                row.text = text
                # New words may change every judgement: judge all statements again.
                row.scored_through = 0
                session.execute(delete(StanceRow).where(StanceRow.proposition_id == proposition_id))
            if status is not None:
                row.status = status

    def merge_propositions(self, source_id: int, target_id: int) -> None:
        """Fold one proposition into another; the target keeps its wording and is judged again."""
        with self._session() as session, session.begin():
            if session.get(PropositionRow, source_id) is None or session.get(PropositionRow, target_id) is None:
                raise KeyError(source_id if session.get(PropositionRow, source_id) is None else target_id)
            session.execute(delete(PropositionRow).where(PropositionRow.id == source_id))
            session.execute(delete(StanceRow).where(StanceRow.proposition_id.in_([source_id, target_id])))
            session.execute(update(PropositionRow).where(PropositionRow.id == target_id).values(scored_through=0, status="accepted"))

    def scored_through(self, proposition_id: int) -> int:
        with self._session() as session:
            return session.scalar(select(PropositionRow.scored_through).where(PropositionRow.id == proposition_id)) or 0

    def save_stances(self, proposition_id: int, judged: list[StanceJudged], through_statement_id: int) -> None:
        """Stances and the high-water mark move together, so an interrupted run resumes where it stopped."""
        with self._session() as session, session.begin():
            known = set(session.scalars(select(StatementRow.id).where(StatementRow.id.in_([j.statement_id for j in judged]))))
            session.execute(delete(StanceRow).where(StanceRow.proposition_id == proposition_id,
                                                    StanceRow.statement_id.in_([j.statement_id for j in judged])))
            session.add_all(
                StanceRow(statement_id=j.statement_id, proposition_id=proposition_id, stance=j.stance,
                          confidence=j.confidence, anchor=j.anchor, cues=json.dumps(list(j.cues)))
                for j in judged if j.statement_id in known
            )
            session.execute(update(PropositionRow).where(PropositionRow.id == proposition_id).values(scored_through=through_statement_id))

    def positions(self, proposition_id: int | None = None, actor_ids: list[int] | None = None) -> list[PositionPoint]:
        """Every stance with its statement, in statement-date order."""
        with self._session() as session:
            query = self._statement_query(StanceRow).join(StanceRow, StanceRow.statement_id == StatementRow.id)
            if proposition_id is not None:
                query = query.where(StanceRow.proposition_id == proposition_id)
            if actor_ids is not None:
                query = query.where(StatementRow.actor_id.in_(actor_ids))
            return [
                PositionPoint(stance.proposition_id, stance.stance, stance.confidence, stance.anchor, tuple(json.loads(stance.cues)),
                              self._to_statement(*row))
                for *row, stance in session.execute(query)
            ]

    def actors(self) -> list[StoredActor]:
        with self._session() as session:
            counts = dict(session.execute(select(StatementRow.actor_id, func.count(StatementRow.id)).group_by(StatementRow.actor_id)).all())
            outlets: dict[int, set[str]] = {}
            for actor_id, outlet in session.execute(
                select(StatementRow.actor_id, ArticleRow.outlet_name).join(ArticleRow, StatementRow.article_id == ArticleRow.id).distinct()
            ):
                if outlet:
                    outlets.setdefault(actor_id, set()).add(outlet)
            actors = session.scalars(select(ActorRow).options(selectinload(ActorRow.aliases), selectinload(ActorRow.roles))).all()
            return sorted(
                (
                    StoredActor(
                        id=a.id, name=a.name, kind=a.kind, aliases=tuple(sorted({x.alias for x in a.aliases})),
                        roles=tuple(ActorRole(r.role, r.date, r.article_id) for r in sorted(a.roles, key=lambda r: (r.date or "", r.id))),
                        statements=counts.get(a.id, 0), outlets=tuple(sorted(outlets.get(a.id, ()))),
                    )
                    for a in actors
                ),
                key=lambda actor: (-actor.statements, actor.name),
            )

    # Translations

    def article_ids_to_translate(self) -> list[int]:
        """Articles in a known language other than English that have no translation yet."""
        with self._session() as session:
            done = select(TranslationRow.article_id)
            return list(session.scalars(select(ArticleRow.id).where(ArticleRow.language.is_not(None), ArticleRow.language != "en",
                                                                    ArticleRow.id.not_in(done)).order_by(ArticleRow.id)))

    def save_translation(self, translation: Translation) -> None:
        """Store a translation and mark the article for analysis again, which reads it."""
        with self._session() as session, session.begin():
            session.merge(TranslationRow(
                article_id=translation.article_id, source_language=translation.source_language, backend=translation.backend,
                text=translation.text, created_at=utc_now(),
                segments_json=json.dumps([[s.paragraph, s.original_start, s.original_end, s.start, s.end] for s in translation.segments]),
            ))
            session.execute(update(ArticleRow).where(ArticleRow.id == translation.article_id).values(analyzed_version=None))

    def translations(self, article_ids: list[int]) -> dict[int, Translation]:
        """The translations there are for these articles, by article id."""
        return {i: t for i in article_ids if (t := self.translation(i)) is not None}

    def translation(self, article_id: int) -> Translation | None:
        with self._session() as session:
            row = session.get(TranslationRow, article_id)
            if row is None:
                return None
            return Translation(row.article_id, row.source_language, row.backend, row.text,
                               tuple(Segment(*values) for values in json.loads(row.segments_json)))

    # Stories

    def article_ids_to_cluster(self) -> list[int]:
        """Analysed articles that no event holds yet, oldest first."""
        with self._session() as session:
            placed = select(EventArticleRow.article_id)
            query = (select(ArticleRow.id).where(ArticleRow.analyzed_version.is_not(None), ArticleRow.id.not_in(placed))
                     .order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.id))
            return list(session.scalars(query))

    def save_article_vector(self, article_id: int, model: str, vector: np.ndarray) -> None:
        with self._session() as session, session.begin():
            session.merge(ArticleVectorRow(article_id=article_id, model=model, vector=vector.astype(np.float32).tobytes()))

    def story_encoder(self) -> str | None:
        """The embedding model the stored stories were built with, or None before any."""
        with self._session() as session:
            return session.scalars(select(ArticleVectorRow.model).limit(1)).first()

    def clear_stories(self) -> None:
        """Forget every event, story line and article vector, so all articles are placed afresh
        (after the embedding model changed). Articles, statements and positions stay."""
        with self._session() as session, session.begin():
            for row_type in (EventArticleRow, EventRow, StoryRow, ArticleVectorRow):
                session.execute(delete(row_type))

    def article_vectors(self) -> tuple[list[int], np.ndarray]:
        """Every stored article vector, for semantic search."""
        with self._session() as session:
            rows = session.execute(select(ArticleVectorRow.article_id, ArticleVectorRow.vector)).all()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])

    def actor_ids_of_article(self, article_id: int) -> set[int]:
        with self._session() as session:
            return set(session.scalars(select(StatementRow.actor_id).where(StatementRow.article_id == article_id)))

    @staticmethod
    def _near(session: Session, row_type, when: str | None, days: int, limit: int) -> list:
        """Clusters active within `days` of a date, latest activity first, plus the undated: a
        bounded candidate set read off the last_date index, so placing an article costs about
        the same in any size of store."""
        undated = select(row_type).where(row_type.last_date.is_(None)).order_by(row_type.id.desc()).limit(limit // 4)
        if not when:
            recent = select(row_type).order_by(row_type.last_date.desc()).limit(limit)
        else:
            day = datetime.fromisoformat(when[:10])
            low, high = (day - timedelta(days=days)).date().isoformat(), (day + timedelta(days=days)).date().isoformat()
            recent = (select(row_type).where(row_type.last_date >= low, row_type.first_date <= high)
                      .order_by(row_type.last_date.desc()).limit(limit))
        return list(session.scalars(recent).all()) + list(session.scalars(undated).all())

    def events_near(self, when: str | None, days: int, limit: int) -> list[StoryCluster]:
        with self._session() as session:
            rows = self._near(session, EventRow, when, days, limit)
            return [self._cluster(r, set(json.loads(r.actors)), r.story_id) for r in rows]

    def stories_near(self, when: str | None, days: int, limit: int) -> list[StoryCluster]:
        with self._session() as session:
            return self._story_clusters(session, self._near(session, StoryRow, when, days, limit))

    def story_cluster(self, story_id: int) -> StoryCluster:
        with self._session() as session:
            return self._story_clusters(session, [session.get(StoryRow, story_id)])[0]

    def _story_clusters(self, session: Session, rows: list[StoryRow]) -> list[StoryCluster]:
        actors = self._story_actors(session, [r.id for r in rows])
        return [self._cluster(r, actors.get(r.id, set()), r.id) for r in rows]

    @staticmethod
    def _cluster(row: EventRow | StoryRow, actors: set[int], story_id: int) -> StoryCluster:
        english = np.frombuffer(row.english_centroid, dtype=np.float32).copy() if row.english_centroid else None
        return StoryCluster(row.id, np.frombuffer(row.centroid, dtype=np.float32).copy(), row.size, row.first_date, row.last_date,
                            actors, story_id, english, row.english_size, set(json.loads(row.languages)))

    @staticmethod
    def _write_cluster(row: EventRow | StoryRow, cluster: StoryCluster) -> None:
        row.centroid, row.size = cluster.total.astype(np.float32).tobytes(), cluster.size
        row.first_date, row.last_date = cluster.first_date, cluster.last_date
        row.english_centroid = cluster.english_total.astype(np.float32).tobytes() if cluster.english_total is not None else None
        row.english_size, row.languages = cluster.english_size, json.dumps(sorted(cluster.languages))

    @staticmethod
    def _story_actors(session: Session, story_ids: list[int]) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for story_id, actors in session.execute(select(EventRow.story_id, EventRow.actors).where(EventRow.story_id.in_(story_ids))):
            found.setdefault(story_id, set()).update(json.loads(actors))
        return found

    def place_article(self, article_id: int, event: StoryCluster, story: StoryCluster, similarity: float) -> tuple[int, int]:
        """Write the article's event and story as the clusterer updated them, in one transaction."""
        with self._session() as session, session.begin():
            story_row = session.get(StoryRow, story.id) if story.id else None
            if story_row is None:
                story_row = StoryRow(label="")
                session.add(story_row)
            self._write_cluster(story_row, story)
            session.flush()
            event_row = session.get(EventRow, event.id) if event.id else None
            if event_row is None:
                event_row = EventRow(story_id=story_row.id)
                session.add(event_row)
            self._write_cluster(event_row, event)
            event_row.actors = json.dumps(sorted(event.actors))
            session.flush()
            session.add(EventArticleRow(article_id=article_id, event_id=event_row.id, similarity=similarity))
            return event_row.id, story_row.id

    def set_story_label(self, story_id: int, label: str) -> None:
        with self._session() as session, session.begin():
            session.execute(update(StoryRow).where(StoryRow.id == story_id).values(label=label))

    def stories(self) -> list[StoryOverview]:
        """Every story with its events, articles, dates and who covered it, newest activity first."""
        with self._session() as session:
            members = session.execute(
                select(EventRow.story_id, EventRow.id, ArticleRow.id, ArticleRow.outlet_name, ArticleRow.country)
                .join(EventArticleRow, EventArticleRow.event_id == EventRow.id)
                .join(ArticleRow, ArticleRow.id == EventArticleRow.article_id)
                .order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.id)
            ).all()
            grouped: dict[int, list] = {}
            for story_id, event_id, article_id, outlet, country in members:
                grouped.setdefault(story_id, []).append((event_id, article_id, outlet, country))
            rows = session.scalars(select(StoryRow)).all()
            return sorted(
                (StoryOverview(
                    id=r.id, label=r.label, first_date=r.first_date, last_date=r.last_date,
                    events=tuple(dict.fromkeys(m[0] for m in grouped.get(r.id, []))),
                    articles=tuple(m[1] for m in grouped.get(r.id, [])),
                    outlets=tuple(sorted({m[2] for m in grouped.get(r.id, []) if m[2]})),
                    countries=tuple(sorted({m[3] for m in grouped.get(r.id, []) if m[3]})),
                ) for r in rows),
                key=lambda s: (s.last_date or "", s.id), reverse=True,
            )

    def story(self, story_id: int) -> StoryOverview | None:
        return next((s for s in self.stories() if s.id == story_id), None)

    def event_of_articles(self) -> dict[int, int]:
        with self._session() as session:
            return dict(session.execute(select(EventArticleRow.article_id, EventArticleRow.event_id)).all())

    def search_text(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search (SQLite FTS5) over article titles and text, and over statements."""
        if self.engine.dialect.name != "sqlite":
            raise NotImplementedError("full-text search needs the SQLite store")
        match = " ".join(f'"{word}"' for word in re.findall(r"\w+", query))
        if not match:
            return []
        with self.engine.connect() as connection:
            articles = connection.execute(text(
                "SELECT rowid, snippet(articles_fts, 1, '[', ']', '…', 12), bm25(articles_fts) FROM articles_fts "
                "WHERE articles_fts MATCH :q ORDER BY bm25(articles_fts) LIMIT :n"), {"q": match, "n": limit}).all()
            statements = connection.execute(text(
                "SELECT s.id, s.article_id, snippet(statements_fts, 1, '[', ']', '…', 12), bm25(statements_fts), s.speaker "
                "FROM statements_fts JOIN statements s ON s.id = statements_fts.rowid "
                "WHERE statements_fts MATCH :q ORDER BY bm25(statements_fts) LIMIT :n"), {"q": match, "n": limit}).all()
        hits = [SearchHit("article", r[0], r[0], r[1], -r[2], None) for r in articles]
        hits += [SearchHit("statement", r[0], r[1], r[2], -r[3], r[4]) for r in statements]
        return sorted(hits, key=lambda h: -h.score)[:limit]

    # Alerts: an outbox of things that happened, and the deliveries owed to each webhook

    def add_webhook(self, url: str, kinds: tuple[str, ...], secret: str | None, allow_private: bool) -> int:
        with self._session() as session, session.begin():
            row = WebhookRow(url=url, kinds=json.dumps(list(kinds)), secret=secret, allow_private=allow_private, created_at=utc_now())
            session.add(row)
            session.flush()
            return row.id

    def remove_webhook(self, webhook_id: int) -> bool:
        with self._session() as session, session.begin():
            return session.execute(delete(WebhookRow).where(WebhookRow.id == webhook_id)).rowcount > 0

    @staticmethod
    def _to_webhook(row: WebhookRow, counts: Counter | None = None) -> Webhook:
        counts = counts or Counter()
        return Webhook(row.id, row.url, tuple(json.loads(row.kinds)), row.secret, row.allow_private, row.created_at,
                       counts[(row.id, "pending")], counts[(row.id, "delivered")], counts[(row.id, "failed")])

    def webhooks(self) -> list[Webhook]:
        with self._session() as session:
            counts = Counter({(w, status): n for w, status, n in session.execute(
                select(DeliveryRow.webhook_id, DeliveryRow.status, func.count()).group_by(DeliveryRow.webhook_id, DeliveryRow.status))})
            return [self._to_webhook(row, counts) for row in session.scalars(select(WebhookRow).order_by(WebhookRow.id))]

    def alert_keys(self, kind: str) -> set[str]:
        with self._session() as session:
            return set(session.scalars(select(AlertRow.key).where(AlertRow.kind == kind)))

    def alerted_statements_through(self) -> int:
        with self._session() as session:
            return session.scalar(select(AlertWatermarkRow.statements_through).where(AlertWatermarkRow.id == 1)) or 0

    def record_alerts(self, alerts: list[Alert], statements_through: int | None = None) -> int:
        """Keep the alerts not seen before, each owed to every webhook that wants its kind, and move
        the statement watermark in the same transaction; how many were new."""
        now = utc_now()
        with self._session() as session, session.begin():
            if statements_through is not None:
                session.execute(update(AlertWatermarkRow).where(AlertWatermarkRow.id == 1).values(statements_through=statements_through))
            keys = [a.key for a in alerts]
            known = {key for chunk in range(0, len(keys), 10_000)  # SQLite caps the variables of one query
                     for key in session.scalars(select(AlertRow.key).where(AlertRow.key.in_(keys[chunk:chunk + 10_000])))}
            hooks = list(session.scalars(select(WebhookRow)))
            fresh = [a for a in {a.key: a for a in alerts}.values() if a.key not in known]
            for alert in fresh:
                row = AlertRow(key=alert.key, kind=alert.kind, payload=json.dumps(alert.payload, ensure_ascii=False), created_at=now)
                session.add(row)
                session.flush()
                session.add_all(DeliveryRow(webhook_id=hook.id, alert_id=row.id, status="pending", attempts=0, next_attempt_at=now)
                                for hook in hooks if alert.kind in json.loads(hook.kinds))
            return len(fresh)

    def claim_due_deliveries(self, now: datetime, lease: timedelta, limit: int = 100) -> list[DueDelivery]:
        """Deliveries due by `now`, each claimed by moving its next attempt past the lease, so a
        second worker (another process) skips it and a crash mid-send only delays it."""
        claimed = []
        with self._session() as session, session.begin():
            due = session.execute(
                select(DeliveryRow, AlertRow, WebhookRow).join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                .join(WebhookRow, WebhookRow.id == DeliveryRow.webhook_id)
                .where(DeliveryRow.status == "pending", DeliveryRow.next_attempt_at <= now)
                .order_by(DeliveryRow.next_attempt_at, DeliveryRow.id).limit(limit)).all()
            for delivery, alert, hook in due:
                attempt, due_at = delivery.attempts + 1, delivery.next_attempt_at
                taken = session.execute(update(DeliveryRow).where(
                    DeliveryRow.id == delivery.id, DeliveryRow.status == "pending", DeliveryRow.next_attempt_at == due_at,
                ).values(next_attempt_at=now + lease, attempts=attempt), execution_options={"synchronize_session": False}).rowcount
                if taken:
                    claimed.append(DueDelivery(delivery.id, attempt, self._to_webhook(hook), alert.key, alert.kind,
                                               alert.payload.encode("utf-8")))
        return claimed

    def finish_delivery(self, delivery_id: int, *, at: datetime, status_code: int | None, error: str | None, seconds: float,
                        delivered: bool, retry_at: datetime | None) -> None:
        """Log the attempt; then the delivery is done, due again at `retry_at`, or given up (neither)."""
        with self._session() as session, session.begin():
            session.add(DeliveryAttemptRow(delivery_id=delivery_id, at=at, status_code=status_code, error=error, seconds=seconds))
            values = ({"status": "delivered", "delivered_at": at} if delivered
                      else {"next_attempt_at": retry_at} if retry_at else {"status": "failed"})
            session.execute(update(DeliveryRow).where(DeliveryRow.id == delivery_id).values(**values))

    def delivery_log(self, webhook_id: int | None = None, limit: int = 100) -> list[DeliveryAttempt]:
        """Attempts, newest first."""
        with self._session() as session:
            query = (select(DeliveryAttemptRow, DeliveryRow.webhook_id, DeliveryRow.status, AlertRow.key)
                     .join(DeliveryRow, DeliveryRow.id == DeliveryAttemptRow.delivery_id).join(AlertRow, AlertRow.id == DeliveryRow.alert_id)
                     .order_by(DeliveryAttemptRow.id.desc()).limit(limit))
            if webhook_id is not None:
                query = query.where(DeliveryRow.webhook_id == webhook_id)
            return [DeliveryAttempt(row.delivery_id, hook, key, row.at, row.status_code, row.error, row.seconds, status)
                    for row, hook, status, key in session.execute(query)]

"""Stories: article vectors, events and story lines with their centroids, placement, labels, full-text search."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import column, delete, func, literal_column, select, table, text, update
from sqlalchemy.orm import Session

from storyline.records import (
    ArticleFilters,
    SearchHit,
    StoryCluster,
    StoryDigest,
    StoryOverview,
    StorySection,
    SummarySentence,
)
from storyline.settings import settings
from storyline.store.articles import article_filtered, on_or_before
from storyline.store.base import StoreBase, in_chunks
from storyline.store.models import (
    ActorRow,
    ArticleParseRow,
    ArticleRow,
    ArticleVectorRow,
    EventArticleRow,
    EventRow,
    StatementRow,
    StoryDigestRow,
    StoryRow,
    TranslationRow,
)

# The full-text indexes (FTS5 virtual tables, made by migration 0004 and kept by triggers), by their rowid.
_ARTICLES_FTS = table("articles_fts", column("rowid"))
_STATEMENTS_FTS = table("statements_fts", column("rowid"))
# The expressions PostgreSQL's GIN indexes are built on (migration 0016); a query must use them as written.
_ARTICLE_DOCUMENT = literal_column("to_tsvector('simple', coalesce(articles.title, '') || ' ' || articles.text)")
_STATEMENT_DOCUMENT = literal_column("to_tsvector('simple', statements.speaker || ' ' || statements.text)")
_HEADLINE_OPTIONS = "StartSel=[, StopSel=], MaxWords=14, MinWords=6, MaxFragments=1, FragmentDelimiter=…"


def _sqlite_search(words: list[str], filters: ArticleFilters):
    """FTS5 queries for articles (id, snippet, score) and statements (id, article id, snippet,
    score, speaker), best first: the score is bm25 negated, so that higher is better."""
    articles = article_filtered(
        select(_ARTICLES_FTS.c.rowid, literal_column("snippet(articles_fts, 1, '[', ']', '…', 12)"), literal_column("-bm25(articles_fts)"))
        .join(ArticleRow, ArticleRow.id == _ARTICLES_FTS.c.rowid).where(text("articles_fts MATCH :q")), filters)
    statements = article_filtered(
        select(StatementRow.id, StatementRow.article_id, literal_column("snippet(statements_fts, 1, '[', ']', '…', 12)"),
               literal_column("-bm25(statements_fts)"), StatementRow.speaker)
        .select_from(_STATEMENTS_FTS).join(StatementRow, StatementRow.id == _STATEMENTS_FTS.c.rowid)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id).where(text("statements_fts MATCH :q")), filters)
    return (articles.order_by(text("bm25(articles_fts)")), statements.order_by(text("bm25(statements_fts)")),
            {"q": " ".join(f'"{word}"' for word in words)})


def _postgres_search(words: list[str], filters: ArticleFilters):
    """The same two queries on PostgreSQL: every word (plainto_tsquery), ts_rank, ts_headline."""
    wanted = func.plainto_tsquery("simple", " ".join(words))
    article_rank = func.ts_rank(_ARTICLE_DOCUMENT, wanted)
    statement_rank = func.ts_rank(_STATEMENT_DOCUMENT, wanted)
    articles = article_filtered(
        select(ArticleRow.id, func.ts_headline("simple", ArticleRow.text, wanted, _HEADLINE_OPTIONS), article_rank)
        .where(_ARTICLE_DOCUMENT.op("@@")(wanted)), filters)
    statements = article_filtered(
        select(StatementRow.id, StatementRow.article_id, func.ts_headline("simple", StatementRow.text, wanted, _HEADLINE_OPTIONS),
               statement_rank, StatementRow.speaker)
        .join(ArticleRow, ArticleRow.id == StatementRow.article_id).where(_STATEMENT_DOCUMENT.op("@@")(wanted)), filters)
    return articles.order_by(article_rank.desc(), ArticleRow.id), statements.order_by(statement_rank.desc(), StatementRow.id), {}

if TYPE_CHECKING:  # numpy is imported where a vector is used: commands that touch none start without it
    import numpy as np


class StoryStore(StoreBase):
    def article_ids_to_cluster(self) -> list[int]:
        """Analysed articles that no event holds yet, oldest first."""
        with self._session() as session:
            placed = select(EventArticleRow.article_id)
            query = (select(ArticleRow.id).where(ArticleRow.analyzed_version.is_not(None), ArticleRow.id.not_in(placed))
                     .order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.id))
            return list(session.scalars(query))

    def save_article_vector(self, article_id: int, model: str, vector: np.ndarray) -> None:
        import numpy as np
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
            for row_type in (StoryDigestRow, EventArticleRow, EventRow, StoryRow, ArticleVectorRow):
                session.execute(delete(row_type))

    def article_vectors_of(self, article_ids: Iterable[int]) -> dict[int, np.ndarray]:
        """These articles' stored vectors, by article id."""
        ids, vectors = self.article_vectors(ArticleFilters(ids=tuple(set(article_ids))))
        return dict(zip(ids, vectors, strict=True))

    def article_vectors(self, filters: ArticleFilters = ArticleFilters()) -> tuple[list[int], np.ndarray]:
        """The stored vectors of the articles that match `filters` (every one by default), for semantic search."""
        import numpy as np
        query = select(ArticleVectorRow.article_id, ArticleVectorRow.vector)
        if filters != ArticleFilters():
            query = article_filtered(query.join(ArticleRow, ArticleRow.id == ArticleVectorRow.article_id), filters)
        with self._session() as session:
            rows = session.execute(query).all()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])

    def actor_ids_of_article(self, article_id: int) -> set[int]:
        with self._session() as session:
            return set(session.scalars(select(StatementRow.actor_id).where(StatementRow.article_id == article_id,
                                                                            StatementRow.actor_id.is_not(None))))

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
        import numpy as np
        english = np.frombuffer(row.english_centroid, dtype=np.float32).copy() if row.english_centroid else None
        return StoryCluster(row.id, np.frombuffer(row.centroid, dtype=np.float32).copy(), row.size, row.first_date, row.last_date,
                            actors, story_id, english, row.english_size, set(json.loads(row.languages)))

    @staticmethod
    def _write_cluster(row: EventRow | StoryRow, cluster: StoryCluster) -> None:
        import numpy as np
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

    def story_inputs(self, recipe: int, story_ids: Iterable[int] | None = None) -> dict[int, str]:
        """A fingerprint per story of what its digest is made from: the recipe (its version), its
        articles, their text, date and translation, and the analysis version of their parses."""
        with self._session() as session:
            query = (select(EventRow.story_id, ArticleRow.id, ArticleRow.text_hash, ArticleRow.published,
                            TranslationRow.created_at, ArticleParseRow.version)
                     .join(EventArticleRow, EventArticleRow.event_id == EventRow.id)
                     .join(ArticleRow, ArticleRow.id == EventArticleRow.article_id)
                     .outerjoin(TranslationRow, TranslationRow.article_id == ArticleRow.id)
                     .outerjoin(ArticleParseRow, ArticleParseRow.article_id == ArticleRow.id))
            if story_ids is not None:
                query = query.where(EventRow.story_id.in_(list(story_ids)))
            parts: defaultdict[int, list[str]] = defaultdict(list)
            for story_id, *row in session.execute(query):
                parts[story_id].append("|".join(map(str, row)))
        return {story_id: hashlib.sha256("\n".join([f"recipe {recipe}", *sorted(rows)]).encode()).hexdigest()
                for story_id, rows in parts.items()}

    def stories_to_digest(self, recipe: int) -> list[tuple[int, str]]:
        """(story id, inputs) of the stories with no digest, or one made from other articles than
        they have now or by another recipe."""
        current = self.story_inputs(recipe)
        with self._session() as session:
            stored = {story_id: inputs for story_id, inputs in session.execute(select(StoryDigestRow.story_id, StoryDigestRow.inputs))}
        return sorted((story_id, inputs) for story_id, inputs in current.items() if stored.get(story_id) != inputs)

    def save_story_digest(self, digest: StoryDigest) -> None:
        with self._session() as session, session.begin():
            session.merge(StoryDigestRow(story_id=digest.story_id, inputs=digest.inputs,
                                         summary_json=json.dumps([asdict(s) for s in digest.summary]),
                                         sections_json=json.dumps([asdict(s) for s in digest.sections])))

    def story_digest(self, story_id: int, recipe: int) -> StoryDigest | None:
        """The story's stored digest, where it was made from the articles the story has now, by this recipe."""
        current = self.story_inputs(recipe, [story_id]).get(story_id)
        with self._session() as session:
            row = session.get(StoryDigestRow, story_id)
            if row is None or row.inputs != current:
                return None
            sections = tuple(StorySection(s["label"], tuple(SummarySentence(**x) for x in s["sentences"]))
                             for s in json.loads(row.sections_json))
            return StoryDigest(story_id, row.inputs, tuple(SummarySentence(**s) for s in json.loads(row.summary_json)), sections)

    def set_story_label(self, story_id: int, label: str, language: str | None = None) -> None:
        """The story's headline, and its language where it is a title left untranslated."""
        with self._session() as session, session.begin():
            session.execute(update(StoryRow).where(StoryRow.id == story_id).values(label=label, label_language=language))

    @staticmethod
    def _story_filtered(query, filters: ArticleFilters):
        """Stories with a member article that matches each filter; dates against the story's span."""
        def having(condition):
            member = (select(EventRow.story_id).join(EventArticleRow, EventArticleRow.event_id == EventRow.id)
                      .join(ArticleRow, ArticleRow.id == EventArticleRow.article_id).where(condition))
            return StoryRow.id.in_(member)

        if filters.country:
            query = query.where(having(ArticleRow.country == filters.country.upper()))
        if filters.outlet:
            query = query.where(having(ArticleRow.outlet_name == filters.outlet))
        if filters.language:
            query = query.where(having(ArticleRow.language == filters.language))
        if filters.actor:
            quoted = (select(StatementRow.article_id).join(ActorRow, ActorRow.id == StatementRow.actor_id)
                      .where(func.lower(ActorRow.name).contains(filters.actor.casefold(), autoescape=True)))
            query = query.where(having(ArticleRow.id.in_(quoted)))
        if filters.since:
            query = query.where(StoryRow.last_date >= filters.since)
        if filters.until:
            query = query.where(on_or_before(func.coalesce(StoryRow.first_date, "9999"), filters.until))
        return query

    def stories(self, filters: ArticleFilters = ArticleFilters(), limit: int | None = None, offset: int = 0) -> list[StoryOverview]:
        """Stories with their events, articles, dates and who covered them, newest activity first;
        only the page asked for is read."""
        with self._session() as session:
            query = self._story_filtered(select(StoryRow), filters).order_by(func.coalesce(StoryRow.last_date, "").desc(), StoryRow.id.desc())
            rows = session.scalars(query.limit(limit).offset(offset) if limit else query.offset(offset)).all()
            return self._overviews(session, rows)

    def stories_to_label(self, article_ids: Iterable[int]) -> list[StoryOverview]:
        """Stories that hold one of these articles, and those with no label yet."""
        ids = list(article_ids)
        with self._session() as session:
            holding = (select(EventRow.story_id).join(EventArticleRow, EventArticleRow.event_id == EventRow.id)
                       .where(EventArticleRow.article_id.in_(ids)))
            rows = session.scalars(select(StoryRow).where(StoryRow.id.in_(holding) | (StoryRow.label == "")).order_by(StoryRow.id)).all()
            return self._overviews(session, rows)

    def story_count(self, filters: ArticleFilters = ArticleFilters()) -> int:
        with self._session() as session:
            return session.scalar(self._story_filtered(select(func.count(StoryRow.id)), filters)) or 0

    def story(self, story_id: int) -> StoryOverview | None:
        with self._session() as session:
            row = session.get(StoryRow, story_id)
            return self._overviews(session, [row])[0] if row else None

    def story_countries(self) -> Counter[str]:
        """How many stories each country's outlets covered."""
        with self._session() as session:
            rows = session.execute(
                select(ArticleRow.country, func.count(EventRow.story_id.distinct()))
                .join(EventArticleRow, EventArticleRow.article_id == ArticleRow.id).join(EventRow, EventRow.id == EventArticleRow.event_id)
                .where(ArticleRow.country.is_not(None)).group_by(ArticleRow.country)).all()
        return Counter(dict(rows))

    @staticmethod
    def _overviews(session: Session, rows: list[StoryRow]) -> list[StoryOverview]:
        members = session.execute(
            select(EventRow.story_id, EventRow.id, ArticleRow.id, ArticleRow.outlet_name, ArticleRow.country)
            .join(EventArticleRow, EventArticleRow.event_id == EventRow.id)
            .join(ArticleRow, ArticleRow.id == EventArticleRow.article_id)
            .where(EventRow.story_id.in_([r.id for r in rows]))
            .order_by(ArticleRow.published.is_(None), ArticleRow.published, ArticleRow.id)
        ).all()
        grouped: dict[int, list] = {}
        for story_id, event_id, article_id, outlet, country in members:
            grouped.setdefault(story_id, []).append((event_id, article_id, outlet, country))
        return [StoryOverview(
            id=r.id, label=r.label, label_language=r.label_language, first_date=r.first_date, last_date=r.last_date,
            events=tuple(dict.fromkeys(m[0] for m in grouped.get(r.id, []))),
            articles=tuple(m[1] for m in grouped.get(r.id, [])),
            outlets=tuple(sorted({m[2] for m in grouped.get(r.id, []) if m[2]})),
            countries=tuple(sorted({m[3] for m in grouped.get(r.id, []) if m[3]})),
        ) for r in rows]

    def event_of_articles(self, article_ids: Iterable[int] | None = None) -> dict[int, int]:
        with self._session() as session:
            query = select(EventArticleRow.article_id, EventArticleRow.event_id)
            if article_ids is not None:
                query = query.where(EventArticleRow.article_id.in_(list(article_ids)))
            return dict(session.execute(query).all())

    def story_of_articles(self, article_ids: Iterable[int]) -> dict[int, int]:
        """The story line each of these articles is in (an article not yet placed is absent)."""
        with self._session() as session:
            return {article: story for chunk in in_chunks(dict.fromkeys(article_ids)) for article, story in session.execute(
                select(EventArticleRow.article_id, EventRow.story_id).join(EventRow, EventRow.id == EventArticleRow.event_id)
                .where(EventArticleRow.article_id.in_(chunk)))}

    def search_text(self, query: str, limit: int = 20, filters: ArticleFilters = ArticleFilters()) -> list[SearchHit]:
        """Full-text search over article titles and text, and over statements, in the articles that
        match `filters` (the filters are SQL beside the match): SQLite's FTS5, or PostgreSQL's own
        (the GIN indexes of migration 0016). Every word must occur; the best ranked come first."""
        # Each distinct word once, at most max_query_words of them: the index's work grows with the terms
        # of a query, repeating one adds no meaning, and a 2,000-word query is no search.
        words = list(dict.fromkeys(word.casefold() for word in re.findall(r"\w+", query)))[:settings().api.max_query_words]
        if not words:
            return []
        search = _postgres_search if self.engine.dialect.name == "postgresql" else _sqlite_search
        articles, statements, parameters = search(words, filters)
        with self.engine.connect() as connection:
            found_articles = connection.execute(articles.limit(limit), parameters).all()
            found_statements = connection.execute(statements.limit(limit), parameters).all()
        hits = [SearchHit("article", r[0], r[0], r[1], r[2], None) for r in found_articles]
        hits += [SearchHit("statement", r[0], r[1], r[2], r[3], r[4]) for r in found_statements]
        return sorted(hits, key=lambda h: -h.score)[:limit]

"""Statements and actors: who said what, saved per article and analysis version; actors merged and tidied."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import selectinload

from storyline.lang.names import same_person, surname_key
from storyline.records import (
    UNNAMED,
    ActorRole,
    Statement,
    StoredActor,
    StoredParse,
    StoredStatement,
)
from storyline.store.base import StoreBase
from storyline.store.models import (
    ActorAliasRow,
    ActorRoleRow,
    ActorRow,
    AlertWatermarkRow,
    ArticleParseRow,
    ArticleReadingRow,
    ArticleRow,
    PropositionRow,
    StatementRow,
    StatementVectorRow,
)


class StatementStore(StoreBase):
    def parses(self, article_ids: Iterable[int], version: int) -> dict[int, StoredParse]:
        """The stored parses of these articles that this analysis version made, by article id."""
        with self._session() as session:
            rows = session.scalars(select(ArticleParseRow).where(ArticleParseRow.article_id.in_(list(article_ids)),
                                                                 ArticleParseRow.version == version)).all()
            return {r.article_id: StoredParse(r.article_id, r.source, tuple(json.loads(r.offsets_json)), r.has_title, r.docbin)
                    for r in rows}

    def save_reading(self, article_id: int, version: int, text_digest: str, statements: list[Statement],
                     parse: StoredParse | None) -> None:
        """Keep what a worker read from an article until the analysis saves it (save_statements)."""
        with self._session() as session, session.begin():
            session.execute(delete(ArticleParseRow).where(ArticleParseRow.article_id == article_id))
            if parse is not None:
                session.add(_parse_row(parse, version))
            session.merge(ArticleReadingRow(article_id=article_id, version=version, text_digest=text_digest,
                                            statements_json=json.dumps([asdict(s) for s in statements])))

    def read_ahead(self, version: int) -> set[int]:
        """Articles whose reading a worker keeps for this analysis version (of whatever text)."""
        with self._session() as session:
            return set(session.scalars(select(ArticleReadingRow.article_id).where(ArticleReadingRow.version == version)))

    def reading(self, article_id: int, version: int, text_digest: str) -> tuple[list[Statement], StoredParse | None] | None:
        """The statements a worker read from this very text under this analysis version, and their parse."""
        with self._session() as session:
            row = session.get(ArticleReadingRow, article_id)
            if row is None or row.version != version or row.text_digest != text_digest:
                return None
            statements = [Statement(**fields) for fields in json.loads(row.statements_json)]
        return statements, self.parses([article_id], version).get(article_id)

    def article_ids_to_analyze(self, version: int, since: str | None = None, redo: bool = False,
                               among: Iterable[int] | None = None) -> list[int]:
        with self._session() as session:
            query = select(ArticleRow.id).order_by(ArticleRow.id)
            if among is not None:
                query = query.where(ArticleRow.id.in_(list(among)))
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

    def save_statements(self, article_id: int, resolved: list[tuple[Statement, int | None]], version: int,
                        parse: StoredParse | None = None) -> list[int | None]:
        """Replace an article's statements (and the parse they were found in) in one transaction;
        ``None`` actor ids create actors, except for unnamed sources, which get none. Returns the
        actor ids used (None for an unnamed source)."""
        with self._session() as session, session.begin():
            session.execute(delete(ArticleParseRow).where(ArticleParseRow.article_id == article_id))
            session.execute(delete(ArticleReadingRow).where(ArticleReadingRow.article_id == article_id))
            if parse is not None:
                session.add(_parse_row(parse, version))
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
            used: list[int | None] = []
            for statement, actor_id in resolved:
                if statement.speaker_kind == UNNAMED:
                    used.append(None)
                    session.add(_statement_row(article_id, None, statement))
                    continue
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
                session.add(_statement_row(article_id, actor.id, statement))
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

    def tidy_actors(self, actor_ids: Iterable[int]) -> None:
        """Drop actors left without statements; name each of these after its most used full
        spelling, whatever the order of arrival (an actor's spellings change only when its statements do)."""
        with self._session() as session, session.begin():
            # (NOT IN over a list holding NULL, an unnamed source's, would keep every actor.)
            speaking = select(StatementRow.actor_id).where(StatementRow.actor_id.is_not(None)).distinct()
            session.execute(delete(ActorRow).where(ActorRow.id.not_in(speaking)))
            # Also those whose name none of their statements uses any more (a re-analysis took it away).
            unspoken = select(ActorRow.id).where(~exists().where(StatementRow.actor_id == ActorRow.id, StatementRow.speaker == ActorRow.name))
            ids = list(set(actor_ids) | set(session.scalars(unspoken)))
            spellings: dict[int, Counter] = {}
            for actor_id, speaker, n in session.execute(select(StatementRow.actor_id, StatementRow.speaker, func.count(StatementRow.id))
                                                        .where(StatementRow.actor_id.in_(ids))
                                                        .group_by(StatementRow.actor_id, StatementRow.speaker)):
                spellings.setdefault(actor_id, Counter())[speaker] = n
            for actor in session.scalars(select(ActorRow).where(ActorRow.id.in_(ids))):
                counts = spellings.get(actor.id)
                if counts:
                    actor.name = max(counts, key=lambda name: (len(name.split()), counts[name], name))

    def actor_ids_named(self, name: str) -> list[int]:
        """Actors a typed name may mean: the same person by lang.names (surname skeleton, first
        names), or a name that holds the words typed; found by index, not by reading every actor."""
        with self._session() as session:
            candidates = session.execute(
                select(ActorRow.id, ActorRow.name).where((ActorRow.surname_key == surname_key(name))
                                                         | func.lower(ActorRow.name).contains(name.casefold(), autoescape=True))).all()
        return [i for i, known in candidates if same_person(known, name) or name.casefold() in known.casefold()]

    @staticmethod
    def _statement_query(*extra_columns):
        # The sentence is cut out in SQL: loading whole articles (raw HTML included) per statement is waste.
        sentence = func.substr(ArticleRow.text, StatementRow.start + 1, StatementRow.end - StatementRow.start)
        return (
            select(StatementRow, func.coalesce(ActorRow.name, StatementRow.speaker), sentence, ArticleRow.outlet_name,
                   ArticleRow.country, ArticleRow.title, ArticleRow.language, *extra_columns)
            .outerjoin(ActorRow, StatementRow.actor_id == ActorRow.id)
            .join(ArticleRow, StatementRow.article_id == ArticleRow.id)
            .order_by(StatementRow.date.is_(None), StatementRow.date, StatementRow.article_id, StatementRow.start)
        )

    @staticmethod
    def _to_statement(row: StatementRow, name: str, sentence: str, outlet: str | None, country: str | None, title: str | None,
                      language: str | None) -> StoredStatement:
        return StoredStatement(
            id=row.id, article_id=row.article_id, actor_id=row.actor_id, speaker=name, role=row.role, kind=row.kind,
            text=row.text, sentence=sentence, start=row.start, end=row.end, cue=row.cue,
            via=row.via, date=row.date, date_kind=row.date_kind, outlet=outlet, country=country, article_title=title,
            language=language,
        )

    @staticmethod
    def _statement_filters(query, actor_ids: Iterable[int] | None, since: str | None, after_id: int,
                           article_ids: Iterable[int] | None, actors_only: bool = False, unembedded: Collection[str] = ()):
        if unembedded:
            query = query.where(~exists().where(StatementVectorRow.statement_id == StatementRow.id,
                                                StatementVectorRow.model.in_(list(unembedded))))
        if actor_ids is not None:
            query = query.where(StatementRow.actor_id.in_(list(actor_ids)))
        elif actors_only:
            query = query.where(StatementRow.actor_id.is_not(None))
        if article_ids is not None:
            query = query.where(StatementRow.article_id.in_(list(article_ids)))
        if since:
            query = query.where(StatementRow.date >= since)
        if after_id:
            query = query.where(StatementRow.id > after_id)
        return query

    def statements(self, actor_ids: Iterable[int] | None = None, since: str | None = None, after_id: int = 0, *,
                   article_ids: Iterable[int] | None = None, limit: int | None = None, offset: int = 0,
                   actors_only: bool = False, unembedded: Collection[str] = ()) -> list[StoredStatement]:
        """In statement-date order; only the page asked for is read. `actors_only` leaves out unnamed
        sources; `unembedded` keeps those with no retrieval vector by one of these models (a vector
        by a model no longer in use is as good as none)."""
        with self._session() as session:
            query = self._statement_filters(self._statement_query(), actor_ids, since, after_id, article_ids, actors_only,
                                            unembedded)
            if limit:
                query = query.limit(limit)
            if offset:
                query = query.offset(offset)
            return [self._to_statement(*row) for row in session.execute(query)]

    def statement_count(self, actor_ids: Iterable[int] | None = None, since: str | None = None, after_id: int = 0, *,
                        article_ids: Iterable[int] | None = None) -> int:
        with self._session() as session:
            query = self._statement_filters(select(func.count(StatementRow.id)), actor_ids, since, after_id, article_ids)
            return session.scalar(query) or 0

    def actors(self, ids: Iterable[int] | None = None, limit: int | None = None, offset: int = 0) -> list[StoredActor]:
        """Most quoted first; only the actors asked for (by id, or the page) are read."""
        with self._session() as session:
            said = (select(StatementRow.actor_id, func.count(StatementRow.id).label("n"))
                    .group_by(StatementRow.actor_id).subquery())
            query = (select(ActorRow, func.coalesce(said.c.n, 0)).outerjoin(said, said.c.actor_id == ActorRow.id)
                     .options(selectinload(ActorRow.aliases), selectinload(ActorRow.roles))
                     .order_by(func.coalesce(said.c.n, 0).desc(), ActorRow.name))
            if ids is not None:
                query = query.where(ActorRow.id.in_(list(ids)))
            if limit:
                query = query.limit(limit)
            if offset:
                query = query.offset(offset)
            rows = session.execute(query).all()
            outlets: dict[int, set[str]] = {}
            for actor_id, outlet in session.execute(
                select(StatementRow.actor_id, ArticleRow.outlet_name).join(ArticleRow, StatementRow.article_id == ArticleRow.id)
                .where(StatementRow.actor_id.in_([a.id for a, _n in rows])).distinct()
            ):
                if outlet:
                    outlets.setdefault(actor_id, set()).add(outlet)
            return [
                StoredActor(
                    id=a.id, name=a.name, kind=a.kind, aliases=tuple(sorted({x.alias for x in a.aliases})),
                    roles=tuple(ActorRole(r.role, r.date, r.article_id) for r in sorted(a.roles, key=lambda r: (r.date or "", r.id))),
                    statements=n, outlets=tuple(sorted(outlets.get(a.id, ()))),
                )
                for a, n in rows
            ]

    def actor(self, actor_id: int) -> StoredActor | None:
        return next(iter(self.actors(ids=[actor_id])), None)

    def actor_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count(ActorRow.id))) or 0


def _statement_row(article_id: int, actor_id: int | None, statement: Statement) -> StatementRow:
    return StatementRow(
        article_id=article_id, actor_id=actor_id, speaker=statement.speaker, kind=statement.kind, text=statement.text,
        start=statement.start, end=statement.end, role=statement.role, cue=statement.cue, via=statement.via,
        date=statement.date, date_kind=statement.date_kind,
    )


def _parse_row(parse: StoredParse, version: int) -> ArticleParseRow:
    return ArticleParseRow(article_id=parse.article_id, version=version, source=parse.source,
                           offsets_json=json.dumps(parse.offsets), has_title=parse.has_title, docbin=parse.data)

"""Propositions and stances: what is judged, how far each proposition has read, and the positions found."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update

from storyline.records import (
    PositionPoint,
    Proposition,
    PropositionReading,
    Shift,
    StanceJudged,
    Unsided,
)
from storyline.store.base import utc_now
from storyline.store.models import (
    ActorRoleRow,
    ActorRow,
    PropositionRow,
    ShiftRow,
    StanceRow,
    StatementRow,
    StatementVectorRow,
    UnsidedRow,
)
from storyline.store.statements import StatementStore

if TYPE_CHECKING:  # numpy is imported where a vector is used: commands that touch none start without it
    import numpy as np


class PositionStore(StatementStore):
    """Reads stances with their statements, so it builds on the statement store's query."""

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

    def propositions(self, status: str | None = None, ids: Iterable[int] | None = None) -> list[Proposition]:
        with self._session() as session:
            counts = dict(session.execute(select(StanceRow.proposition_id, func.count(StanceRow.id)).group_by(StanceRow.proposition_id)).all())
            query = select(PropositionRow).order_by(PropositionRow.id)
            if status:
                query = query.where(PropositionRow.status == status)
            if ids is not None:
                query = query.where(PropositionRow.id.in_(list(ids)))
            return [Proposition(r.id, r.text, r.origin, r.status, counts.get(r.id, 0)) for r in session.scalars(query)]

    def proposition(self, proposition_id: int) -> Proposition | None:
        return next(iter(self.propositions(ids=[proposition_id])), None)

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
                session.execute(delete(UnsidedRow).where(UnsidedRow.proposition_id == proposition_id))
            if status is not None:
                row.status = status

    def merge_propositions(self, source_id: int, target_id: int) -> None:
        """Fold one proposition into another; the target keeps its wording and is judged again."""
        with self._session() as session, session.begin():
            if session.get(PropositionRow, source_id) is None or session.get(PropositionRow, target_id) is None:
                raise KeyError(source_id if session.get(PropositionRow, source_id) is None else target_id)
            session.execute(delete(PropositionRow).where(PropositionRow.id == source_id))
            session.execute(delete(StanceRow).where(StanceRow.proposition_id.in_([source_id, target_id])))
            session.execute(delete(UnsidedRow).where(UnsidedRow.proposition_id.in_([source_id, target_id])))
            session.execute(update(PropositionRow).where(PropositionRow.id == target_id).values(scored_through=0, status="accepted"))

    def scored_through(self, proposition_id: int) -> int:
        with self._session() as session:
            return session.scalar(select(PropositionRow.scored_through).where(PropositionRow.id == proposition_id)) or 0

    def save_stances(self, proposition_id: int, judged: list[StanceJudged], through_statement_id: int,
                     unsided: list[Unsided] = ()) -> None:
        """Stances, the near statements that took no side, and the high-water mark move together,
        so an interrupted run resumes where it stopped."""
        with self._session() as session, session.begin():
            ids = [j.statement_id for j in judged] + [u.statement_id for u in unsided]
            known = set(session.scalars(select(StatementRow.id).where(StatementRow.id.in_(ids))))
            for table in (StanceRow, UnsidedRow):
                session.execute(delete(table).where(table.proposition_id == proposition_id, table.statement_id.in_(ids)))
            session.add_all(
                StanceRow(statement_id=j.statement_id, proposition_id=proposition_id, stance=j.stance,
                          confidence=j.confidence, anchor=j.anchor, cues=json.dumps(list(j.cues)))
                for j in judged if j.statement_id in known
            )
            session.add_all(UnsidedRow(statement_id=u.statement_id, proposition_id=proposition_id, similarity=u.similarity,
                                       neutral=u.neutral) for u in unsided if u.statement_id in known)
            session.execute(update(PropositionRow).where(PropositionRow.id == proposition_id).values(scored_through=through_statement_id))

    def statement_vectors(self, statement_ids: Iterable[int], model: str) -> dict[int, np.ndarray]:
        import numpy as np
        ids = list(statement_ids)
        with self._session() as session:
            rows = session.execute(select(StatementVectorRow.statement_id, StatementVectorRow.vector)
                                   .where(StatementVectorRow.statement_id.in_(ids), StatementVectorRow.model == model))
            return {i: np.frombuffer(blob, dtype=np.float32) for i, blob in rows}

    def save_statement_vectors(self, vectors: dict[int, np.ndarray], model: str) -> None:
        import numpy as np
        with self._session() as session, session.begin():
            known = set(session.scalars(select(StatementRow.id).where(StatementRow.id.in_(list(vectors)))))
            session.execute(delete(StatementVectorRow).where(StatementVectorRow.statement_id.in_(list(known))))
            session.add_all(StatementVectorRow(statement_id=i, model=model, vector=np.asarray(v, dtype=np.float32).tobytes())
                            for i, v in vectors.items() if i in known)

    def proposition_reading(self, proposition_id: int, nearest: int = 5, actor_ids: list[int] | None = None) -> PropositionReading:
        """What the proposition read and judged; its nearest statements that took no side, of these actors only where named."""
        with self._session() as session:
            through = session.scalar(select(PropositionRow.scored_through).where(PropositionRow.id == proposition_id)) or 0
            considered = session.scalar(select(func.count(StatementRow.id))
                                        .where(StatementRow.id <= through, StatementRow.actor_id.is_not(None))) or 0
            stances = session.scalar(select(func.count(StanceRow.id)).where(StanceRow.proposition_id == proposition_id)) or 0
            unsided = session.scalar(select(func.count(UnsidedRow.id)).where(UnsidedRow.proposition_id == proposition_id)) or 0
            query = (self._statement_query(UnsidedRow.similarity, UnsidedRow.neutral)
                     .join(UnsidedRow, UnsidedRow.statement_id == StatementRow.id)
                     .where(UnsidedRow.proposition_id == proposition_id))
            if actor_ids is not None:
                query = query.where(StatementRow.actor_id.in_(actor_ids))
            query = query.order_by(None).order_by(UnsidedRow.similarity.desc()).limit(nearest)
            near = [(self._to_statement(*row), similarity, neutral) for *row, similarity, neutral in session.execute(query)]
        return PropositionReading(considered, stances + unsided, stances, near)

    def shift_inputs(self, proposition_id: int) -> str:
        """A fingerprint of what a proposition's shifts are computed from: its stances (which rows,
        whose statements) and the roles and names of those who took them (a role says which side
        one speaks for). Any change by any process, a re-analysis or a merge of actors, changes it."""
        with self._session() as session:
            taken = (select(StatementRow.actor_id).join(StanceRow, StanceRow.statement_id == StatementRow.id)
                     .where(StanceRow.proposition_id == proposition_id))
            stances = session.execute(
                select(func.count(StanceRow.id), func.coalesce(func.sum(StanceRow.id), 0), func.coalesce(func.sum(StatementRow.actor_id), 0))
                .join(StatementRow, StatementRow.id == StanceRow.statement_id).where(StanceRow.proposition_id == proposition_id)).one()
            roles = session.execute(select(func.count(ActorRoleRow.id), func.coalesce(func.sum(ActorRoleRow.id), 0))
                                    .where(ActorRoleRow.actor_id.in_(taken))).one()
            # Names too: a shift is shown under its actor's name, which a rename elsewhere can change.
            names = session.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(taken)).order_by(ActorRow.id)).all()
            return ":".join(str(n) for n in (*stances, *roles)) + ":" + hashlib.sha1(repr(names).encode()).hexdigest()[:16]

    def propositions_with_stale_shifts(self) -> list[tuple[int, str]]:
        """(proposition id, fingerprint of its inputs now) for each whose stored shifts are out of date."""
        with self._session() as session:
            stored = dict(session.execute(select(PropositionRow.id, PropositionRow.shifts_of)).all())
        return [(i, now) for i, before in stored.items() if (now := self.shift_inputs(i)) != before]

    def save_shifts(self, proposition_id: int, shifts: list[Shift], inputs: str) -> None:
        """Replace a proposition's shifts, and remember what they were computed from."""
        with self._session() as session, session.begin():
            session.execute(delete(ShiftRow).where(ShiftRow.proposition_id == proposition_id))
            session.add_all(ShiftRow(proposition_id=proposition_id, kind=s.kind, actor=s.actor, before_statement_id=s.before.statement.id,
                                     after_statement_id=s.after.statement.id, reason=s.reason, reported=s.reported,
                                     after_date=s.after.statement.date) for s in shifts)
            session.execute(update(PropositionRow).where(PropositionRow.id == proposition_id).values(shifts_of=inputs))

    def shifts(self, proposition_id: int | None = None, since: str | None = None, actor: str | None = None,
               article_ids: Iterable[int] | None = None) -> list[Shift]:
        """Stored shifts with both ends' stances and statements; `actor` is the name as shown,
        `article_ids` keeps those with an end in one of these articles."""
        with self._session() as session:
            query = select(ShiftRow).order_by(ShiftRow.id)
            if proposition_id is not None:
                query = query.where(ShiftRow.proposition_id == proposition_id)
            if since:
                query = query.where(ShiftRow.after_date >= since)
            if actor is not None:
                query = query.where(ShiftRow.actor == actor)
            if article_ids is not None:
                ends = select(StatementRow.id).where(StatementRow.article_id.in_(list(article_ids)))
                query = query.where(ShiftRow.before_statement_id.in_(ends) | ShiftRow.after_statement_id.in_(ends))
            rows = session.scalars(query).all()
        points = {(p.proposition_id, p.statement.id): p
                  for p in self.positions(statement_ids={i for r in rows for i in (r.before_statement_id, r.after_statement_id)})}
        return [Shift(r.kind, r.proposition_id, r.actor, points[(r.proposition_id, r.before_statement_id)],
                      points[(r.proposition_id, r.after_statement_id)], r.reason, r.reported)
                for r in rows if (r.proposition_id, r.before_statement_id) in points and (r.proposition_id, r.after_statement_id) in points]

    def shift_counts(self) -> Counter[int]:
        """Stored shifts (walk-backs and contradictions too) per proposition."""
        with self._session() as session:
            return Counter(dict(session.execute(select(ShiftRow.proposition_id, func.count(ShiftRow.id)).group_by(ShiftRow.proposition_id)).all()))

    def positions(self, proposition_id: int | None = None, actor_ids: list[int] | None = None,
                  statement_ids: Iterable[int] | None = None) -> list[PositionPoint]:
        """Every stance with its statement, in statement-date order."""
        with self._session() as session:
            query = self._statement_query(StanceRow).join(StanceRow, StanceRow.statement_id == StatementRow.id)
            if proposition_id is not None:
                query = query.where(StanceRow.proposition_id == proposition_id)
            if actor_ids is not None:
                query = query.where(StatementRow.actor_id.in_(actor_ids))
            if statement_ids is not None:
                query = query.where(StatementRow.id.in_(list(statement_ids)))
            return [
                PositionPoint(stance.proposition_id, stance.stance, stance.confidence, stance.anchor, tuple(json.loads(stance.cues)),
                              self._to_statement(*row))
                for *row, stance in session.execute(query)
            ]

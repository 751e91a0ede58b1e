"""An actor with their positions over time, and a proposition with everyone's."""

from __future__ import annotations

from dataclasses import dataclass

from storyline.positions.queries import shifts, timeline
from storyline.records import (
    PositionPoint,
    Proposition,
    PropositionReading,
    Shift,
    StoredActor,
    StoredStatement,
)
from storyline.store import Store


@dataclass(frozen=True)
class ActorPositions:
    """One actor on one proposition: the points of their timeline and their own shifts (walk-backs too)."""

    actor: StoredActor
    proposition: Proposition
    points: list[PositionPoint]
    moves: list[Shift]

    @property
    def title(self) -> str:
        return f"{self.actor.name} on: {self.proposition.text}"


def actor_moves(store: Store, actor: StoredActor, proposition_id: int | None = None) -> list[Shift]:
    """An actor's own shifts and walk-backs; a contradiction is between outlets or actors, not a move."""
    return [s for s in shifts(store, proposition_id, actor=actor.name) if s.kind != "contradiction"]


def actor_positions(store: Store, actor: StoredActor, proposition: Proposition) -> ActorPositions:
    return ActorPositions(actor, proposition, timeline(store, proposition.id, [actor.id]), actor_moves(store, actor, proposition.id))


@dataclass(frozen=True)
class ActorView:
    actor: StoredActor
    positions: list[ActorPositions]  # one per accepted proposition the actor has a stance on
    statements: list[StoredStatement]  # newest first


def actor_view(store: Store, actor_id: int) -> ActorView | None:
    actor = store.actor(actor_id)
    if actor is None:
        return None
    charts = [found for p in store.propositions(status="accepted") if (found := actor_positions(store, actor, p)).points]
    return ActorView(actor, charts, sorted(store.statements(actor_ids=[actor_id]), key=lambda s: s.date or "", reverse=True))


@dataclass(frozen=True)
class PropositionView:
    proposition: Proposition
    points: list[PositionPoint]  # every actor's stances, in statement-date order
    shifts: list[Shift]
    actors: dict[int, StoredActor]  # those with a point
    reading: PropositionReading  # what was read and judged: why the list is as long as it is


def proposition_view(store: Store, proposition_id: int, actor_ids: list[int] | None = None) -> PropositionView | None:
    proposition = store.proposition(proposition_id)
    if proposition is None:
        return None
    points = timeline(store, proposition_id, actor_ids)
    actors = {a.id: a for a in store.actors(ids={p.statement.actor_id for p in points})}
    return PropositionView(proposition, points, shifts(store, proposition_id), actors, store.proposition_reading(proposition_id))

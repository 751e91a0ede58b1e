"""Positions and shifts as the interfaces show them, read from the store."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from storyline.positions.timeline import detect, side_of, sortable
from storyline.records import PositionPoint, Proposition, Shift
from storyline.store import Store


def find_proposition(store: Store, reference: str) -> Proposition | None:
    """A proposition by id, exact wording, or the only one whose wording holds these words."""
    propositions = store.propositions()
    if reference.isascii() and reference.isdigit():
        return next((p for p in propositions if p.id == int(reference)), None)
    exact = [p for p in propositions if p.text.casefold().rstrip(".") == reference.casefold().rstrip(".")]
    if exact:
        return exact[0]
    matching = [p for p in propositions if reference.casefold() in p.text.casefold()]
    return matching[0] if len(matching) == 1 else None


def timeline(store: Store, proposition_id: int, actor_ids: list[int] | None = None) -> list[PositionPoint]:
    return sorted(store.positions(proposition_id, actor_ids), key=sortable)


def detect_shifts(store: Store, proposition_id: int) -> list[Shift]:
    """Shifts, walk-backs and contradictions in one proposition's positions, found afresh."""
    points = store.positions(proposition_id)

    @lru_cache(maxsize=256)
    def article_text(article_id: int) -> str:
        return store.article_text(article_id) or ""

    actors = store.actors(ids={p.statement.actor_id for p in points})
    sides = {actor.id: side_of(" ; ".join(r.role for r in actor.roles)) for actor in actors}
    return detect(points, article_text, sides)


def shifts(store: Store, proposition_id: int | None = None, since: str | None = None, actor: str | None = None,
           article_ids: Iterable[int] | None = None) -> list[Shift]:
    """The stored shifts (the update keeps them), in date order of their later end."""
    return sorted(store.shifts(proposition_id, since, actor, article_ids), key=lambda s: sortable(s.after))

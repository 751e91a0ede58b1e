"""Actors a person names: any spelling (transliterated, with or without first name) or part of a name."""

from __future__ import annotations

from storyline.analysis.names import same_person
from storyline.store import Store


def actor_ids_named(store: Store, name: str | None) -> list[int] | None:
    """Ids of the actors a name may mean; None when no name is given (no filter)."""
    if not name:
        return None
    return [a.id for a in store.actors() if same_person(a.name, name) or name.casefold() in a.name.casefold()]

"""Actors a person names: any spelling (transliterated, with or without first name) or part of a name."""

from __future__ import annotations

from storyline.store import Store


def actor_ids_named(store: Store, name: str | None) -> list[int] | None:
    """Ids of the actors a name may mean; None when no name is given (no filter)."""
    return store.actor_ids_named(name) if name else None

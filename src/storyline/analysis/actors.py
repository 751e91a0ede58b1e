"""One actor per person or organisation across the store, whatever the spelling or the article.

A full name joins the actor with the same name (transliteration folded, see
``names``). A surname alone ("Kuleba") joins the full-named actor whose roles
fit its own ("who previously led Ukraine's Foreign Ministry" fits "Ukrainian
Foreign Minister", not "Deputy Prime Minister"); when none fits yet it becomes
an actor of its own, merged later by ``surname_merges`` once a fitting full
name arrives, so the result does not depend on the order articles come in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.lang.en import GENERIC_ROLE_STEMS, ROLE_TIME_STEMS, SOURCE_NOUNS
from storyline.lang.names import fold, name_parts, same_person, surname_key
from storyline.lang.places import place_words


@lru_cache(maxsize=1)
def _place_stems() -> frozenset[str]:
    """Words that say where, not what (from the places table): two roles sharing only these are not the same job."""
    return frozenset(w[:6] for w in place_words() if len(w) >= 4)


def role_stems(role: str | None) -> set[str]:
    if not role:
        return set()
    words = re.findall(r"[^\W\d_]+", fold(role))
    return {w[:6] for w in words if len(w) >= 4} - _place_stems() - ROLE_TIME_STEMS


def roles_fit(a: list[str], b: list[str]) -> bool:
    """Roles fit when either side has none, or they share a specific job word (generic ones only if that is all there is)."""
    stems_a = set().union(*(role_stems(r) for r in a)) if a else set()
    stems_b = set().union(*(role_stems(r) for r in b)) if b else set()
    if not stems_a or not stems_b:
        return True
    specific_a, specific_b = stems_a - GENERIC_ROLE_STEMS, stems_b - GENERIC_ROLE_STEMS
    if specific_a and specific_b:
        return bool(specific_a & specific_b)
    return bool(stems_a & stems_b)


def organisation_key(name: str) -> str:
    return re.sub(r"^the\s+", "", fold(name)).strip()


@dataclass
class KnownActor:
    id: int
    name: str
    kind: str
    roles: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return len(name_parts(self.name)) >= 2


@dataclass(frozen=True)
class NewActor:
    name: str
    kind: str


class ActorDirectory:
    """The actors by the key a new mention must share with them (a person's surname skeleton, an
    organisation's folded name), so resolving a mention reads a handful of actors, not the store's."""

    def __init__(self, actors: list[KnownActor]):
        self.actors: dict[int, KnownActor] = {}
        self._by_key: dict[tuple[str, str], dict[int, KnownActor]] = {}
        for actor in actors:
            self._add(actor)

    @staticmethod
    def _key(name: str, kind: str) -> tuple[str, str]:
        return kind, surname_key(name) if kind == "person" else organisation_key(name)

    def _add(self, actor: KnownActor) -> None:
        self.actors[actor.id] = actor
        self._by_key.setdefault(self._key(actor.name, actor.kind), {})[actor.id] = actor

    def resolve(self, name: str, kind: str, role: str | None) -> int | NewActor:
        near = self._by_key.get(self._key(name, kind), {})
        if kind != "person":
            return min(near, default=NewActor(name, kind))
        roles = [role] if role else []
        candidates = [a for a in near.values() if same_person(a.name, name) and roles_fit(a.roles, roles)]
        if len(name_parts(name)) >= 2:
            full = [a for a in candidates if a.full]
            chosen = full or candidates
        else:
            chosen = [a for a in candidates if a.full] or candidates
        if not chosen:
            return NewActor(name, kind)
        best = max(chosen, key=lambda a: (len(role_stems(role) & set().union(*(role_stems(r) for r in a.roles))) if a.roles else 0, -a.id))
        return best.id

    def learn(self, actor_id: int, name: str, kind: str, role: str | None) -> None:
        actor = self.actors.get(actor_id)
        if actor is None:
            actor = KnownActor(actor_id, name, kind)
            self._add(actor)
        if len(name_parts(name)) > len(name_parts(actor.name)):
            del self._by_key[self._key(actor.name, actor.kind)][actor_id]
            actor.name = name
            self._add(actor)
        if role and role not in actor.roles:
            actor.roles.append(role)

    def surname_merges(self) -> list[tuple[int, int]]:
        """(surname-only actor, full-named actor) pairs where exactly one full name fits."""
        merges = []
        for actor in self.actors.values():
            if actor.kind != "person" or actor.full:
                continue
            near = self._by_key[self._key(actor.name, actor.kind)].values()
            fitting = [other for other in near if other.full and roles_fit(other.roles, actor.roles)]
            if len(fitting) == 1:
                merges.append((actor.id, fitting[0].id))
        return merges


def speaks_for_no_one(speaker: str) -> bool:
    """True for a source such as "Media reports": it passes claims on, it takes no side."""
    words = speaker.casefold().split()
    return bool(words) and re.sub(r"(?:ies|s)$", lambda m: "y" if m.group(0) == "ies" else "", words[-1]) in SOURCE_NOUNS

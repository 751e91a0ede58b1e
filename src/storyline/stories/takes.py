"""Alternative takes: how each country's and outlet's coverage of a story differs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from storyline.records import StoredArticle, StoredStatement

K = TypeVar("K")


@dataclass(frozen=True)
class Take:
    """One outlet's (or, with outlet None, one unknown source's) coverage of a story."""

    country: str | None
    outlet: str | None
    state_affiliated: bool
    articles: tuple[int, ...]
    first_date: str | None
    speakers: tuple[str, ...]
    only_here: tuple[str, ...]  # speakers no other outlet of the story quotes
    left_out: tuple[str, ...]  # speakers quoted elsewhere in the story but not here


def quoted_only_by(voices: Mapping[K, set[str]]) -> dict[K, set[str]]:
    """For each group of coverage (an outlet, a country), the speakers no other group quotes."""
    return {key: mine - set().union(*(v for k, v in voices.items() if k != key)) for key, mine in voices.items()}


def takes(articles: list[StoredArticle], statements: list[StoredStatement]) -> list[Take]:
    by_source: dict[tuple[str | None, str | None], list[StoredArticle]] = defaultdict(list)
    for article in articles:
        by_source[(article.country, article.outlet or article.outlet_domain)].append(article)
    # Who each outlet quotes: actors, not the unnamed sources ("experts") every outlet leans on.
    speakers_of = {key: {s.speaker for s in statements if s.actor_id is not None and s.article_id in {a.id for a in group}}
                   for key, group in by_source.items()}
    everyone = set().union(*speakers_of.values()) if speakers_of else set()
    only_here = quoted_only_by(speakers_of)
    result = []
    for key, group in by_source.items():
        mine = speakers_of[key]
        dates = sorted(a.published for a in group if a.published)
        result.append(Take(key[0], key[1], any(a.outlet_state_affiliated for a in group), tuple(a.id for a in group),
                           dates[0] if dates else None, tuple(sorted(mine)), tuple(sorted(only_here[key])),
                           tuple(sorted(everyone - mine))))
    return sorted(result, key=lambda t: (t.first_date or "9999", t.country or "", t.outlet or ""))

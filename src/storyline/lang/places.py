"""Places: countries and organisations, by the names the press calls them (`data/countries.csv`).

One row per country (ISO code) or organisation, with its name, demonyms, capital and the
metonyms the press uses for its government ("Kremlin", "White House", "Downing Street"). It
tells whom a role speaks for ("deputy head of Ukraine's Foreign Ministry") and which words of
a role say where rather than what job. Earlier rows win when a text names two.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).parent.parent / "data" / "countries.csv"


@dataclass(frozen=True)
class Place:
    code: str
    kind: str  # "country" or "organisation"
    names: tuple[str, ...]  # the first is how Storyline names it

    @property
    def name(self) -> str:
        return self.names[0]


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return tuple(Place(row["code"], row["kind"], tuple(row["names"].split(";"))) for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[Place, re.Pattern], ...]:
    def alternative(name: str) -> str:
        # An acronym counts only in capitals: "US" and "UN", not the words "us" and "un".
        return f"(?-i:{re.escape(name)})" if name.replace(".", "").isupper() else re.escape(name)

    return tuple((place, re.compile(r"(?<!\w)(?:" + "|".join(map(alternative, place.names)) + r")(?!\w)", re.I))
                 for place in places())


def place_named_in(text: str) -> Place | None:
    """The first place in the table that `text` names, by any of its names."""
    return next((place for place, pattern in _patterns() if pattern.search(text)), None)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Every word of every place name, in lower case without accents."""
    def plain(name: str) -> str:
        return "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(ch))

    return frozenset(w for place in places() for name in place.names for w in re.findall(r"[^\W\d_]+", plain(name)))

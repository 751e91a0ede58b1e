"""Propose propositions from the store's statements: claims that recur across articles.

Statements are grouped by leader clustering over their embeddings (one pass, each statement
joins the nearest group whose centroid is close enough, or starts one), and every group heard
in enough articles becomes a proposition worded as its most central statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from storyline.analysis import embeddings
from storyline.analysis.sentences import split_sentences
from storyline.records import StoredStatement
from storyline.settings import settings

# A claim is one sentence of a few words; a paragraph-long quotation makes a poor proposition.
MIN_WORDS, MAX_WORDS = 6, 30
ECHO_SAMPLE = 2000  # statements each is compared with to find the most echoed


@dataclass
class _Group:
    total: np.ndarray
    members: list[int] = field(default_factory=list)

    @property
    def centroid(self) -> np.ndarray:
        return self.total / (np.linalg.norm(self.total) + 1e-9)


def wording(text: str) -> str:
    """A statement's content as a free-standing sentence: no leading 'that', no trailing concession
    ('..., although some partners may have such ideas'), capitalised, one full stop."""
    text = re.sub(r"^(?:that|whether)\s+", "", text.strip(" \"“”‘’'"), flags=re.I)
    text = re.split(r",\s+(?:although|though|while|whereas|but)\s+", text, maxsplit=1)[0]
    text = re.sub(r"[\s,;:.]+$", "", text)
    return text[:1].upper() + text[1:] + "."


def _acts_on_a_claim(statement: StoredStatement) -> bool:
    """'welcomed the suggestion that ...' opens with its own cue: what someone did to a claim, which
    words no proposition (the claim itself is there for the reader to judge)."""
    first = statement.text.split()[0].casefold() if statement.text.split() else ""
    return bool(statement.cue) and len(statement.cue) >= 3 and first.startswith(statement.cue.casefold()[:4])


def _most_echoed_first(usable: list[StoredStatement], vectors: np.ndarray) -> list[int]:
    """Statements in the order groups should form: the most echoed first (near neighbours among a
    fixed sample), so a claim's group grows around its commonest wording and the proposals do not
    depend on the order articles arrived in."""
    if not len(usable):
        return []
    by_text = sorted(range(len(usable)), key=lambda i: (usable[i].text, usable[i].article_id))
    sample = vectors[by_text[::max(1, len(usable) // ECHO_SAMPLE)]]
    echoes = np.concatenate([(vectors[start:start + 1024] @ sample.T >= settings().proposals.same_claim).sum(axis=1)
                             for start in range(0, len(usable), 1024)])
    return sorted(by_text, key=lambda i: -int(echoes[i]))


def suggest(statements: list[StoredStatement], known: set[str] = frozenset()) -> list[tuple[str, int, int]]:
    """(wording, statements, articles) for each recurring claim, most heard first."""
    usable = [s for s in statements if MIN_WORDS <= len(s.text.split()) <= MAX_WORDS and len(split_sentences(s.text)) <= 1
              and not _acts_on_a_claim(s)]
    vectors = embeddings.ENGLISH.encode([s.text for s in usable])
    groups: list[_Group] = []
    for index in _most_echoed_first(usable, vectors):
        vector = vectors[index]
        scores = [float(g.centroid @ vector) for g in groups]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= settings().proposals.same_claim:
            groups[best].total += vector
            groups[best].members.append(index)
        else:
            groups.append(_Group(vector.copy(), [index]))
    proposals = []
    for group in groups:
        articles = {usable[i].article_id for i in group.members}
        if len(group.members) < settings().proposals.min_statements or len(articles) < settings().proposals.min_articles:
            continue
        central = max(group.members, key=lambda i: float(vectors[i] @ group.centroid))
        text = wording(usable[central].text)
        if text not in known:
            proposals.append((text, len(group.members), len(articles)))
    return sorted(proposals, key=lambda p: (-p[2], -p[1]))

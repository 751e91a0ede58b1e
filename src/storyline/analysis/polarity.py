"""Which way a statement leans on a claim: support, oppose or mixed, and the words that decided it.

FNC-1's article-level labels do not transfer to one sentence (a classifier trained on them
calls nearly every on-topic statement "agree"), so the direction is read off the parse:

1. The claim is parsed once into a direction and an object: "Ukraine should give up territory
   in exchange for NATO membership" gives up (-1) *territory*, for *NATO membership*;
   "Ukraine should pursue NATO membership" pursues (+1) *NATO membership*.
2. In the statement, an *anchor* is a word that pursues or gives up something close to the
   claim's object ("trade land", "drop its ambition of joining NATO", "any concession on
   territorial integrity"), or a mention of the object that an evaluative predicate judges
   ("NATO membership remains integral", "joining NATO would be a trigger for war").
3. Walking from the anchor up to the root, every negation ("not", "no offers"), refusal
   ("reject", "drop", "delay"), negative judgement ("not acceptable", "a trigger for war")
   flips the sign; a hedge on the way ("might", "contemplate", "flexible", "if") makes it mixed.
   Words outside that path (a clause about what others think) do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.tokens import Doc, Token

from storyline.analysis import embeddings
from storyline.lang.en import (
    ANAPHORS,
    ATTITUDES,
    CONTENT_NOUNS,
    EXCHANGE_MARKERS,
    FIRST_PERSON,
    GIVE_UP,
    HEDGES,
    NEGATIONS,
    NEGATIVE_JUDGEMENTS,
    POSITIVE_JUDGEMENTS,
    PURSUE,
    REVERSERS,
    TRADE_VERBS,
)
from storyline.settings import settings


@dataclass(frozen=True)
class ParsedClaim:
    text: str
    direction: int  # +1 pursues its object, -1 gives it up
    objects: tuple[str, ...]
    in_exchange_for: str | None


@dataclass(frozen=True)
class Lean:
    stance: str  # support, oppose or mixed
    anchor: str
    cues: tuple[str, ...]
    object_similarity: float


def _give_up_phrase(token: Token) -> bool:
    """'give up', 'hand over': a particle makes 'give' a giving-up; alone it is not."""
    if token.lemma_ in ("give", "hand", "yield"):
        return any(c.dep_ == "prt" for c in token.children)
    return token.lemma_ in GIVE_UP


def _direction(token: Token) -> int:
    if _give_up_phrase(token):
        return -1
    if token.lemma_ in PURSUE:
        return 1
    return 0


def _noun_text(noun: Token) -> str:
    """A noun with its compounds and adjectives: 'territorial integrity', 'NATO membership'."""
    return " ".join(t.text for t in noun.lefts if t.dep_ in ("compound", "amod")) + " " + noun.text


def _nested_nouns(phrase: Token, depth: int = 2) -> list[Token]:
    """Nouns reached through 'of'/'on'/'to' and coordination, not through 'for': in 'land for
    NATO membership' the membership is what is gained, not what is given."""
    found = []
    for child in phrase.children:
        if child.dep_ == "prep" and child.lower_ == "for":
            continue
        if child.dep_ in ("pobj", "dobj", "conj", "prep", "pcomp", "appos") and depth > 0:
            if child.pos_ in ("NOUN", "PROPN"):
                found.append(child)
            found.extend(_nested_nouns(child, depth - (child.dep_ != "prep")))
    return found


def _object_phrases(token: Token) -> list[str]:
    """The things a predicate acts on: its objects, complements and their 'of'/'on'/'to' nouns."""
    phrases = []
    for child in token.children:
        if child.dep_ in ("dobj", "attr", "oprd", "xcomp", "ccomp", "pcomp", "nsubjpass", "pobj"):
            phrases.append(child)
        if child.dep_ == "prep" and child.lower_ in ("of", "on", "to", "over", "in", "into"):
            phrases.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
    texts = []
    for phrase in phrases:
        if phrase.lower_ in EXCHANGE_MARKERS:
            continue
        texts.append(_noun_text(phrase))
        texts.extend(_noun_text(noun) for noun in _nested_nouns(phrase))
    return [t.strip() for t in texts if t.strip()]


def _exchange_phrase(token: Token) -> str | None:
    """What a trade gets in return: 'trade land *for membership*', 'drop it in exchange *for guarantees*'."""
    if token.lemma_ in TRADE_VERBS:
        for prep in [c for c in token.children if c.lower_ == "for"] + [g for c in token.children if c.dep_ == "dobj" for g in c.children if g.lower_ == "for"]:
            return " ".join(t.text for t in prep.subtree if t != prep)
    for descendant in token.subtree:
        if descendant.lower_ in EXCHANGE_MARKERS:
            for prep in descendant.children:
                if prep.lower_ == "for":
                    return " ".join(t.text for t in prep.subtree if t != prep)
    return None


def parse_claim(nlp, text: str) -> ParsedClaim:
    doc = nlp(text.replace(" / ", " or "))
    root = next(t for t in doc if t.dep_ == "ROOT")
    predicate = next((t for t in [root, *root.children] if _direction(t)), root)
    direction = _direction(predicate) or 1
    objects = tuple(_object_phrases(predicate)) or tuple(c.text for c in doc.noun_chunks if c.root.dep_ != "nsubj")
    return ParsedClaim(text, direction, objects, _exchange_phrase(predicate))


class _Similarity:
    """Cosines between short phrases, each encoded once; `prefetch` encodes many in one batch."""

    LIMIT = 100_000  # phrases kept; about 150 MB of vectors

    def __init__(self):
        self.cache: dict[str, np.ndarray] = {}

    def prefetch(self, phrases: set[str]) -> None:
        missing = [p for p in phrases if p not in self.cache]
        if len(self.cache) + len(missing) > self.LIMIT:
            self.cache.clear()
        for phrase, vector in zip(missing, embeddings.ENGLISH.encode(missing), strict=True):
            self.cache[phrase] = vector

    def best(self, phrases: list[str], targets: tuple[str, ...]) -> float:
        self.prefetch({*phrases, *targets})
        return max((float(self.cache[p] @ self.cache[t]) for p in phrases for t in targets), default=0.0)


def prefetch_phrases(docs: list[Doc], claims: list[ParsedClaim]) -> None:
    """Encode in one batch every phrase `lean` may compare for these statements: one encoder
    call per batch of statements instead of several per statement."""
    phrases = {o for claim in claims for o in claim.objects} | {c.in_exchange_for for c in claims if c.in_exchange_for}
    for doc in docs:
        for token in doc:
            if _direction(token):
                phrases.update(_object_phrases(token))
                if (given_for := _exchange_phrase(token)) is not None:
                    phrases.add(given_for)
            elif token.pos_ in ("NOUN", "PROPN"):
                phrases.update((_noun_text(token).strip(), token.text))
        phrases.update(c.text for c in doc.noun_chunks)
    _similarity().prefetch(phrases)


@lru_cache(maxsize=1)
def _similarity() -> _Similarity:
    return _Similarity()


def _judgement(token: Token, skip: Token) -> tuple[int, list[str]]:
    """The evaluation a copula or judging predicate gives its subject: -1, +1 or 0, with its words."""
    words = []
    sign = 0
    for child in token.children:
        if child == skip or child.dep_ not in ("attr", "acomp", "oprd", "nsubj", "dobj"):
            continue
        for t in child.subtree:
            if t.lemma_ in NEGATIVE_JUDGEMENTS or t.lower_ in NEGATIVE_JUDGEMENTS:
                sign, words = -1, [*words, t.text]
            elif (t.lemma_ in POSITIVE_JUDGEMENTS or t.lower_ in POSITIVE_JUDGEMENTS) and sign == 0:
                sign, words = 1, [*words, t.text]
    return sign, words


def _negated(token: Token) -> list[str]:
    return [c.text for c in token.children if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in NEGATIONS)
            or (c.lower_ in NEGATIONS and c.dep_ in ("advmod", "preconj", "dobj"))]


def _hedges(token: Token) -> list[str]:
    own = [token.text] if token.lemma_ in HEDGES or token.lower_ in HEDGES else []
    return own + [c.text for c in token.children if c.dep_ in ("aux", "mark", "advmod", "acomp") and c.lower_ in HEDGES]


def _existential_negation(root: Token) -> list[str]:
    """'There have been no credible offers ...': the 'no' negates whatever the sentence goes on to say."""
    if not any(c.dep_ == "expl" for c in root.children):
        return []
    return [d.text for c in root.children if c.dep_ in ("attr", "nsubj") for d in c.children if d.lower_ in NEGATIONS]


def _someone_elses(token: Token, child: Token) -> bool:
    """An attitude held by a named third party on the way up: 'Russia continues to demand ...',
    'some partners may have such ideas'. The speaker reports it; it is not the speaker's stance."""
    if token.lemma_ not in ATTITUDES or child.dep_ in ("nsubj", "nsubjpass"):
        return False
    holder = token
    while holder.dep_ == "xcomp" and not any(c.dep_ == "nsubj" for c in holder.children):
        holder = holder.head
    subjects = [c for c in holder.children if c.dep_ == "nsubj"]
    return any(s.pos_ in ("PROPN", "NOUN") and s.lower_ not in FIRST_PERSON for s in subjects)


def _walk(anchor: Token, direction: int) -> tuple[int, list[str], list[str], bool, bool]:
    """Sign after the flips from the anchor up to the root, the flipping words, the hedges,
    whether a negation sits above a trade the anchor is part of ('not discussing X in exchange
    for Y'), and whether the path runs through someone else's attitude."""
    sign, flips, hedges = direction, [], list(_hedges(anchor))
    for word in _negated(anchor):
        sign, flips = -sign, [*flips, word]
    trade_below = _exchange_phrase(anchor) is not None
    negated_trade = trade_below and bool(flips)
    child, token = anchor, anchor.head
    if anchor.dep_ == "ROOT":
        for word in _existential_negation(anchor):
            sign, flips = -sign, [*flips, word]
    while child != token:
        before = sign
        if token.lemma_ in REVERSERS and child.dep_ not in ("nsubj", "nsubjpass", "csubj"):
            if not _give_up_phrase(token) or token.lemma_ in ("drop", "abandon", "withdraw", "renounce", "relinquish", "forgo", "give"):
                sign, flips = -sign, [*flips, token.text]
        for word in _negated(token):
            sign, flips = -sign, [*flips, word]
        if child.dep_ in ("nsubj", "csubj", "nsubjpass", "attr", "acl") or token.lemma_ == "be":
            judged, words = _judgement(token, child)
            if judged < 0:
                sign, flips = -sign, [*flips, *words]
        if token.lemma_ in CONTENT_NOUNS:
            # "welcomed the suggestion that Ukraine could give up ...": the "could" belongs to the
            # suggestion; the one who welcomes it takes it as it stands.
            hedges = []
        hedges.extend(_hedges(token))
        if _someone_elses(token, child):
            return sign, flips, hedges, negated_trade, True
        if token.dep_ == "ROOT":
            for word in _existential_negation(token):
                sign, flips = -sign, [*flips, word]
        if trade_below and before != sign:
            negated_trade = True
        trade_below = trade_below or _exchange_phrase(token) is not None and token.lemma_ in GIVE_UP
        child, token = token, token.head
    return sign, flips, hedges, negated_trade, False


def _retrospective(anchor: Token) -> bool:
    """A direct quotation in the past tense tells history ('Ukraine's desire was to join NATO'),
    not the speaker's stance now. (Indirect speech backshifts tenses, so only quotations count.)"""
    clause = next((t for t in [anchor, *anchor.ancestors] if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "conj")), None)
    return clause is not None and clause.tag_ == "VBD"


def opens_with_anaphor(doc: Doc) -> bool:
    """'Naturally, this issue is one of the cornerstones': the statement's subject points back to
    what the text said just before, so that is what it takes a stance on."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root is not None else None
    if subject is None:
        return False
    return subject.lower_ in ANAPHORS or any(c.dep_ == "det" and c.lower_ in ANAPHORS for c in subject.children)


def lean(doc: Doc, claim: ParsedClaim, direct: bool = False) -> Lean | None:
    """How the statement in `doc` leans on `claim`, or None when it takes no position on it.
    `direct`: the text is the speaker's own words (a quotation), not reported speech."""
    similarity = _similarity()
    candidates = []
    for token in doc:
        direction = _direction(token)
        phrases = _object_phrases(token) if direction else []
        given_for = _exchange_phrase(token) if direction > 0 else None
        if given_for and claim.direction < 0 and similarity.best([given_for], claim.objects) >= settings().stances.object_similarity:
            # "obtaining NATO membership in exchange for occupied territories" gives the territories up.
            candidates.append((token, -1, similarity.best([given_for], claim.objects)))
        elif phrases:
            score = similarity.best(phrases, claim.objects)
            if score >= settings().stances.object_similarity:
                candidates.append((token, direction, score))
        elif token.pos_ in ("NOUN", "PROPN") and claim.direction > 0 and token.dep_ in ("nsubj", "attr", "nsubjpass", "dobj"):
            # A bare mention counts only when a predicate judges it: "NATO membership remains integral".
            score = similarity.best([_noun_text(token).strip(), token.text], claim.objects)
            judged, _ = _judgement(token.head, token)
            if score >= settings().stances.object_similarity and judged:
                candidates.append((token, 1, score))
    if not candidates:
        return None
    # The anchor nearest the root decides: "drop its ambition of joining NATO" is about dropping.
    anchor, direction, score = min(candidates, key=lambda c: (len(list(c[0].ancestors)), -c[2]))
    if direct and _retrospective(anchor):
        return None
    sign, flips, hedges, negated_trade, someone_elses = _walk(anchor, direction)
    if someone_elses or (negated_trade and not claim.in_exchange_for):
        # "not discussing NATO membership in exchange for land" refuses the trade, not NATO.
        return None
    if hedges:
        return Lean("mixed", anchor.text, tuple(flips + hedges), score)
    stance = "support" if sign == claim.direction else "oppose"
    if stance == "support" and claim.in_exchange_for and direction < 0:
        # Backing a trade needs the other side of the trade in the statement too; refusing
        # to give the land up refuses every trade of it.
        nouns = [c.text for c in doc.noun_chunks] + [t.text for t in doc if t.pos_ in ("NOUN", "PROPN")]
        if similarity.best(nouns, (claim.in_exchange_for,)) < settings().stances.object_similarity:
            return None
    return Lean(stance, anchor.text, tuple(flips), score)

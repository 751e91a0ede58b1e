"""Judge statements against a proposition: which side each takes, how sure, and the words that decided.

Retrieval comes before judgement. Each statement's embedding is stored once; a proposition is
judged only against the statements whose cosine to it reaches `stances.retrieval` (fit on
Perspectrum dev to keep about 95% of the pairs that take a side), so a new proposition on a
large store costs one matrix product and a few hundred cross-encoder reads. The trained
reader (analysis/stance_model.py) then says support, oppose or no side; a side taken under an
epistemic hedge ("might", "could") is mixed. The words that decided are
found by occlusion: those whose removal costs the chosen side the most probability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from storyline.analysis import embeddings
from storyline.analysis.sentences import sentences_of
from storyline.analysis.stance_model import (
    StanceProbabilities,
    StanceReader,
    default_reader,
)
from storyline.analysis.statements import speaks_for_no_one
from storyline.lang.en import (
    ABILITY_MODALS,
    ANAPHORS,
    COMPLEMENTIZERS,
    HEDGE_NEGATIONS,
    MODAL_HEDGES,
)
from storyline.records import StanceJudged, StoredStatement, Translation, Unsided
from storyline.settings import settings
from storyline.store import Store

_WORD = re.compile(r"\w+(?:['\u2019]\w+)?")
_OPENING = re.compile(r"^\W*(?:\w+,\s+)?(\w+)")


@dataclass(frozen=True)
class ReadText:
    """What the reader reads of a statement: its own English words, and the sentence before
    where they point back to it."""

    own: str
    context: str | None = None
    translated: bool = False

    @property
    def text(self) -> str:
        return f"{self.context} {self.own}" if self.context else self.own


@dataclass(frozen=True)
class Judgements:
    stances: list[StanceJudged]
    unsided: list[Unsided]  # near statements that took no side (the trained reader keeps them)
    judged: int  # statements the reader read


def hedges_in(text: str) -> list[str]:
    """Epistemic modal hedges: 'might drop', 'might not be', but not 'could not accept' (a refusal)."""
    words = _WORD.findall(text)
    return [w for i, w in enumerate(words) if w in MODAL_HEDGES
            and not (w in ABILITY_MODALS and any(n.casefold() in HEDGE_NEGATIONS for n in words[i + 1:i + 3]))]


def without_complementizer(text: str) -> str:
    """Reported speech's content clause without its 'that': 'that Kyiv is prepared to ...' says 'Kyiv is prepared to ...'."""
    first = text.split(maxsplit=1)
    return first[1] if len(first) == 2 and first[0].casefold() in COMPLEMENTIZERS else text


def opens_with_anaphor(text: str) -> bool:
    """'Naturally, this issue is one of the cornerstones': the statement points back to the sentence before."""
    first = _OPENING.match(text)
    return bool(first) and first.group(1).casefold() in ANAPHORS


def _content_words(text: str) -> list[tuple[int, int]]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return [m.span() for m in _WORD.finditer(text) if m.group().casefold() not in STOP_WORDS and len(m.group()) > 2]


class PositionScorer:
    def __init__(self, store: Store | None, reader: StanceReader | None = None):
        self.store = store
        self._reader = reader
        self._propositions: dict[str, np.ndarray] = {}
        self._reads: dict[int, ReadText | None] = {}

    @property
    def reader(self) -> StanceReader:
        if self._reader is None:
            self._reader = default_reader()
        return self._reader

    def _read_texts(self, statements: list[StoredStatement]) -> list[ReadText | None]:
        """What the reader reads of each statement, found once per scorer: every accepted
        proposition reads the same statements, and finding them reads articles and translations."""
        if len(self._reads) > settings().stances.parse_memo:
            self._reads.clear()
        translations: dict[int, Translation | None] = {}
        for statement in statements:
            if statement.id not in self._reads:
                self._reads[statement.id] = self.judged_text(statement, translations)
        return [self._reads[s.id] for s in statements]

    def judged_text(self, statement: StoredStatement, translations: dict[int, Translation | None] | None = None) -> ReadText | None:
        """A statement's English words (a translated article's through its translation; None where
        there is none), with the sentence before where they open by pointing back to it.
        `translations` keeps the articles' translations read so far."""
        if statement.language not in (None, "en") and "in translation" not in statement.via:
            translations = {} if translations is None else translations
            if statement.article_id not in translations:
                translations[statement.article_id] = self.store.translation(statement.article_id) if self.store else None
            translation = translations[statement.article_id]
            english = translation.english_of(statement.start, statement.end) if translation else None
            return ReadText(english, translated=True) if english else None
        own = without_complementizer(statement.text)
        if not opens_with_anaphor(own) or self.store is None or statement.language not in (None, "en"):
            return ReadText(own)
        article = self.store.article(statement.article_id)
        before = sentences_of(article.text[:statement.start].rstrip()) if article else []
        if not before:
            return ReadText(own)
        start, end = before[-1]
        return ReadText(own, article.text[start:end])

    def _vectors(self, statements: list[StoredStatement], texts: list[str]) -> np.ndarray:
        """Statement embeddings, from the store where there, else encoded and stored for every later proposition."""
        model = embeddings.ENGLISH.name
        stored = self.store.statement_vectors([s.id for s in statements], model) if self.store else {}
        missing = [i for i, s in enumerate(statements) if s.id not in stored]
        if missing:
            fresh = embeddings.ENGLISH.encode([texts[i] for i in missing])
            stored.update({statements[i].id: vector for i, vector in zip(missing, fresh, strict=True)})
            if self.store:
                self.store.save_statement_vectors({statements[i].id: stored[statements[i].id] for i in missing}, model)
        return np.vstack([stored[s.id] for s in statements]) if statements else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)

    def _proposition_vector(self, text: str) -> np.ndarray:
        if text not in self._propositions:
            self._propositions[text] = embeddings.ENGLISH.encode([text], query=True)[0]
        return self._propositions[text]

    def deciding_words(self, proposition: str, sided: list[tuple[ReadText, str, float]]) -> list[list[str]]:
        """Occlusion, for each (text, side, its probability): the statement's words whose removal
        lowers the side's probability most, strongest first. One reader call for all of them."""
        config = settings().stances
        spans = [_content_words(read.own)[: config.occluded_words] for read, _side, _full in sided]
        variants = [(proposition, replace(read, own=read.own[:a] + read.own[b:]).text)
                    for (read, _side, _full), found in zip(sided, spans, strict=True) for a, b in found]
        verdicts = iter(self.reader.probabilities(variants))
        words = []
        for (read, side, full), found in zip(sided, spans, strict=True):
            drops = [full - _side_probability(next(verdicts), side) for _span in found]
            ranked = sorted(zip(drops, found, strict=True), key=lambda pair: -pair[0])
            # The strongest always counts; the others only if they mattered.
            words.append([read.own[a:b] for rank, (drop, (a, b)) in enumerate(ranked[: config.cue_words])
                          if rank == 0 or drop >= config.cue_drop])
        return words

    def judge(self, proposition_text: str, statements: list[StoredStatement]) -> Judgements:
        """Stances of the statements near the proposition that take a side; the near ones that take none."""
        config = settings().stances
        spoken = [s for s in statements if not speaks_for_no_one(s.speaker)]
        readable = [(s, read) for s, read in zip(spoken, self._read_texts(spoken), strict=True) if read]
        if not readable:
            return Judgements([], [], 0)
        actors, reads = [s for s, _r in readable], [r for _s, r in readable]
        texts = [r.text for r in reads]
        similarities = self._vectors(actors, texts) @ self._proposition_vector(proposition_text)
        near = [i for i, similarity in enumerate(similarities) if similarity >= config.retrieval]
        verdicts = self.reader.probabilities([(proposition_text, texts[i]) for i in near])
        sided, unsided = [], []
        for i, verdict in zip(near, verdicts, strict=True):
            side = _side(verdict)
            if side is None:
                unsided.append(Unsided(actors[i].id, round(float(similarities[i]), 3), round(verdict.neutral, 3)))
            else:
                sided.append((i, side, _side_probability(verdict, side)))
        deciding = self.deciding_words(proposition_text, [(reads[i], side, confidence) for i, side, confidence in sided])
        stances = []
        for (i, side, confidence), words in zip(sided, deciding, strict=True):
            read = reads[i]
            hedges = hedges_in(read.own)  # the statement's own words, not its context
            stance = "mixed" if hedges else side
            cues = [*words[1:], *(f"hedge: {h}" for h in hedges)]
            if read.translated:
                cues.append(f"in translation: {read.own}")
            if read.context:
                cues.append(f"context: {read.context}")
            stances.append(StanceJudged(actors[i].id, stance, round(confidence, 3), words[0] if words else "", tuple(cues)))
        return Judgements(stances, unsided, len(near))


def _side(verdict: StanceProbabilities) -> str | None:
    """support or oppose when the reader takes that side with enough probability, else None."""
    side = "support" if verdict.support >= verdict.oppose else "oppose"
    return side if _side_probability(verdict, side) >= settings().stances.side else None


def _side_probability(verdict: StanceProbabilities, side: str) -> float:
    return verdict.support if side == "support" else verdict.oppose

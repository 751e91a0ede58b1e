"""Judge statements against a proposition: which side each takes, how sure, and the words that decided.

Retrieval comes before judgement. Each statement's embedding is stored once; a proposition is
judged only against the statements whose cosine to it reaches `stances.retrieval` (fit on
Perspectrum dev to keep about 95% of the pairs that take a side), so a new proposition on a
large store costs one matrix product and a few hundred cross-encoder reads. The trained
reader (analysis/stance_model.py) then says support, oppose or no side; a side taken under an
epistemic hedge ("might", "could") is mixed. The words that decided are
found by occlusion: those whose removal costs the chosen side the most probability.

A statement in a language with no translation is read in its own words, across languages:
multilingual-e5 retrieval and the cross-language head (analysis/stance_crosslingual.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from storyline.analysis import embeddings
from storyline.analysis.actors import speaks_for_no_one
from storyline.analysis.sentences import sentences_of
from storyline.analysis.stance_crosslingual import ENCODER as CROSSLINGUAL_ENCODER
from storyline.analysis.stance_crosslingual import (
    CrossLingualReader,
    default_crosslingual_reader,
)
from storyline.analysis.stance_model import (
    StanceProbabilities,
    StanceReader,
    default_reader,
)
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

# The encoder that retrieves a statement, by whether it is read across languages (no translation).
_ENCODERS = {False: embeddings.ENGLISH, True: CROSSLINGUAL_ENCODER}
RETRIEVAL_MODELS = tuple(encoder.name for encoder in _ENCODERS.values())  # a statement's stored vector is by one of these
_WORD = re.compile(r"\w+(?:['\u2019]\w+)?")
_OPENING = re.compile(r"^\W*(?:\w+,\s+)?(\w+)")


@dataclass(frozen=True)
class ReadText:
    """What the reader reads of a statement: its own English words, and the sentence before
    where they point back to it."""

    own: str
    context: str | None = None
    translated: bool = False
    across_languages: bool = False  # the original words, no English for them: the cross-language head reads them

    @property
    def text(self) -> str:
        return f"{self.context} {self.own}" if self.context else self.own


@dataclass(frozen=True)
class Judgements:
    stances: list[StanceJudged]
    unsided: list[Unsided]  # near statements that took no side
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


@dataclass(frozen=True)
class ReadingPath:
    """How one kind of read text is judged: the encoder that retrieves it, at which cosine, and the reader."""

    reader: StanceReader | CrossLingualReader
    encoder: embeddings.Encoder
    retrieval: float  # cosine to the proposition a statement needs to be judged
    side: float  # the reader's probability of a side at which the statement takes it


class PositionScorer:
    def __init__(self, store: Store | None, reader: StanceReader | None = None,
                 crosslingual: CrossLingualReader | None = None):
        self.store = store
        self._reader = reader
        self._crosslingual = crosslingual
        self._reads: dict[int, ReadText] = {}

    @property
    def reader(self) -> StanceReader:
        if self._reader is None:
            self._reader = default_reader()
        return self._reader

    def path(self, across_languages: bool) -> ReadingPath:
        if not across_languages:
            return ReadingPath(self.reader, _ENCODERS[False], settings().stances.retrieval, self.reader.side)
        if self._crosslingual is None:
            self._crosslingual = default_crosslingual_reader()
        head = self._crosslingual
        return ReadingPath(head, _ENCODERS[True], head.retrieval, head.side)

    def _read_texts(self, statements: list[StoredStatement]) -> list[ReadText]:
        """What the reader reads of each statement, found once per scorer: every accepted
        proposition reads the same statements, and finding them reads articles and translations."""
        if len(self._reads) > settings().stances.read_memo:
            self._reads.clear()
        translations: dict[int, Translation | None] = {}
        for statement in statements:
            if statement.id not in self._reads:
                self._reads[statement.id] = self.judged_text(statement, translations)
        return [self._reads[s.id] for s in statements]

    def judged_text(self, statement: StoredStatement, translations: dict[int, Translation | None] | None = None) -> ReadText:
        """A statement's English words (a translated article's through its translation; its own
        words, to be read across languages, where there is none), with the sentence before where
        they open by pointing back to it. `translations` keeps the articles' translations read so far."""
        if statement.language not in (None, "en") and "in translation" not in statement.via:
            translations = {} if translations is None else translations
            if statement.article_id not in translations:
                translations[statement.article_id] = self.store.translation(statement.article_id) if self.store else None
            translation = translations[statement.article_id]
            english = translation.english_of(statement.start, statement.end) if translation else None
            return ReadText(english, translated=True) if english else ReadText(statement.text, across_languages=True)
        own = without_complementizer(statement.text)
        if not opens_with_anaphor(own) or self.store is None or statement.language not in (None, "en"):
            return ReadText(own)
        text = self.store.article_text(statement.article_id) or ""
        before = sentences_of(text[:statement.start].rstrip())
        if not before:
            return ReadText(own)
        start, end = before[-1]
        return ReadText(own, text[start:end])

    def _vectors(self, statements: list[StoredStatement], texts: list[str], encoder: embeddings.Encoder) -> np.ndarray:
        """Statement embeddings, from the store where there, else encoded and stored for every later proposition."""
        model = encoder.name
        stored = self.store.statement_vectors([s.id for s in statements], model) if self.store else {}
        missing = [i for i, s in enumerate(statements) if s.id not in stored]
        if missing:
            fresh = encoder.encode([texts[i] for i in missing])
            stored.update({statements[i].id: vector for i, vector in zip(missing, fresh, strict=True)})
            if self.store:
                self.store.save_statement_vectors({statements[i].id: stored[statements[i].id] for i in missing}, model)
        return np.vstack([stored[s.id] for s in statements]) if statements else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)

    @staticmethod
    def deciding_words(reader: StanceReader | CrossLingualReader, proposition: str,
                       sided: list[tuple[ReadText, str, float]]) -> list[list[str]]:
        """Occlusion, for each (text, side, its probability): the statement's words whose removal
        lowers the side's probability most, strongest first. In two rounds, each one reader call
        for all the stances: phrases of a few content words left out, then each word of the phrase
        that mattered most; about 10 reads a stance where leaving out each word took 24."""
        config = settings().stances
        phrases = [_phrases(_content_words(read.own)[: config.occluded_words], config.occluded_phrase)
                   for read, _side, _full in sided]
        first = _drops(reader, proposition, sided, [[(phrase[0][0], phrase[-1][1]) for phrase in found] for found in phrases])
        strongest = [found[int(np.argmax(drops))] if found else [] for found, drops in zip(phrases, first, strict=True)]
        chosen = []
        for (read, _side, _full), words, drops in zip(sided, strongest, _drops(reader, proposition, sided, strongest), strict=True):
            ranked = sorted(zip(drops, words, strict=True), key=lambda pair: -pair[0])
            # The strongest always counts; the others only if they mattered.
            chosen.append([read.own[a:b] for rank, (drop, (a, b)) in enumerate(ranked[: config.cue_words])
                           if rank == 0 or drop >= config.cue_drop])
        return chosen

    def _readable(self, statements: list[StoredStatement]) -> dict[bool, list[tuple[StoredStatement, ReadText]]]:
        """The statements with words to read and what is read of each, by whether they are read across languages."""
        groups: dict[bool, list[tuple[StoredStatement, ReadText]]] = {False: [], True: []}
        for statement, read in zip(statements, self._read_texts(statements), strict=True):
            if read.own:
                groups[read.across_languages].append((statement, read))
        return groups

    def embed(self, statements: list[StoredStatement]) -> int:
        """Store the retrieval vectors of these statements ahead of any proposition, so that a new
        one reads them instead of encoding the store's every statement; how many were embedded."""
        groups = self._readable(statements)
        for across_languages, group in groups.items():
            if group:
                self._vectors([s for s, _read in group], [read.text for _s, read in group], _ENCODERS[across_languages])
        return sum(len(group) for group in groups.values())

    def judge(self, proposition_text: str, statements: list[StoredStatement]) -> Judgements:
        """Stances of the statements near the proposition that take a side; the near ones that take none."""
        spoken = [s for s in statements if not speaks_for_no_one(s.speaker)]
        stances, unsided, judged = [], [], 0
        for across_languages, group in self._readable(spoken).items():
            if group:
                found = self._judge_on(self.path(across_languages), proposition_text, group)
                stances += found.stances
                unsided += found.unsided
                judged += found.judged
        return Judgements(stances, unsided, judged)

    def _judge_on(self, path: ReadingPath, proposition_text: str, readable: list[tuple[StoredStatement, ReadText]]) -> Judgements:
        actors, reads = [s for s, _r in readable], [r for _s, r in readable]
        texts = [r.text for r in reads]
        similarities = self._vectors(actors, texts, path.encoder) @ path.encoder.encode([proposition_text])[0]
        near = [i for i, similarity in enumerate(similarities) if similarity >= path.retrieval]
        verdicts = path.reader.probabilities([(proposition_text, texts[i]) for i in near])
        sided, unsided = [], []
        for i, verdict in zip(near, verdicts, strict=True):
            side = side_taken(verdict, path.side)
            if side is None:
                unsided.append(Unsided(actors[i].id, round(float(similarities[i]), 3), round(verdict.neutral, 3)))
            else:
                sided.append((i, side, _side_probability(verdict, side)))
        deciding = self.deciding_words(path.reader, proposition_text, [(reads[i], side, confidence) for i, side, confidence in sided])
        stances = []
        for (i, side, confidence), words in zip(sided, deciding, strict=True):
            read = reads[i]
            # The statement's own words, not its context; English hedges only.
            hedges = [] if read.across_languages else hedges_in(read.own)
            stance = "mixed" if hedges else side
            cues = [*words[1:], *(f"hedge: {h}" for h in hedges)]
            if read.translated:
                cues.append(f"in translation: {read.own}")
            if read.across_languages:
                cues.append("read across languages: no translation")
            if read.context:
                cues.append(f"context: {read.context}")
            stances.append(StanceJudged(actors[i].id, stance, round(confidence, 3), words[0] if words else "", tuple(cues)))
        return Judgements(stances, unsided, len(near))


def _phrases(words: list[tuple[int, int]], size: int) -> list[list[tuple[int, int]]]:
    """Runs of `size` consecutive content words (a short statement's words make one)."""
    return [words[i:i + size] for i in range(0, len(words), size)]


def _drops(reader: StanceReader | CrossLingualReader, proposition: str, sided: list[tuple[ReadText, str, float]],
           cuts: list[list[tuple[int, int]]]) -> list[list[float]]:
    """For each stance, what leaving out each of its cuts (a span of its own words) costs its side."""
    variants = [(proposition, replace(read, own=read.own[:a] + read.own[b:]).text)
                for (read, _side, _full), spans in zip(sided, cuts, strict=True) for a, b in spans]
    verdicts = iter(reader.probabilities(variants))
    return [[full - _side_probability(next(verdicts), side) for _span in spans]
            for (_read, side, full), spans in zip(sided, cuts, strict=True)]


def side_taken(verdict: StanceProbabilities, threshold: float) -> str | None:
    """support or oppose when the reader takes that side with at least `threshold` probability, else None."""
    side = "support" if verdict.support >= verdict.oppose else "oppose"
    return side if _side_probability(verdict, side) >= threshold else None


def _side_probability(verdict: StanceProbabilities, side: str) -> float:
    return verdict.support if side == "support" else verdict.oppose

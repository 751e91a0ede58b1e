"""Plain typed records passed between stages.

Stages never share live objects or database rows: ingest produces ``Article``
records, the store persists them, later stages read them back. Keeping the
contract in one module makes the one-way data flow visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # numpy is imported where a vector is used: commands that touch none start without it
    import numpy as np


RawKind = Literal["text", "html", "feed"]


@dataclass(frozen=True)
class GivenMetadata:
    """Metadata a caller knows better than the page: CLI flags, sidecar files, JSONL fields, feed entries."""

    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    country: str | None = None
    language: str | None = None
    published: str | None = None
    published_source: str | None = None

    def merged_over(self, fallback: GivenMetadata) -> GivenMetadata:
        """Fields set here win; unset ones come from ``fallback``."""
        return GivenMetadata(
            **{
                name: getattr(self, name) if getattr(self, name) is not None else getattr(fallback, name)
                for name in self.__dataclass_fields__
            }
        )


@dataclass(frozen=True)
class RawDocument:
    """One input as it arrived: bytes plus where they came from."""

    origin: str
    data: bytes
    kind_hint: RawKind | None = None
    content_type: str | None = None
    given: GivenMetadata = field(default_factory=GivenMetadata)
    fetched_at: datetime | None = None


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    kind: Literal["body", "heading"] = "body"
    language: str | None = None


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleaner dropped, and why: the evidence behind the clean text."""

    text: str
    reason: str


@dataclass(frozen=True)
class DateEstimate:
    value: datetime | date | None
    confidence: float
    method: str
    evidence: str

    @property
    def iso(self) -> str | None:
        if self.value is None:
            return None
        if isinstance(self.value, datetime):
            return self.value.isoformat(timespec="minutes")  # strftime's %Y drops a small year's zeros
        return self.value.isoformat()

    @classmethod
    def unknown(cls, evidence: str = "no date found in metadata or text") -> DateEstimate:
        return cls(value=None, confidence=0.0, method="none", evidence=evidence)


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str | None = None
    country: str | None = None
    language: str | None = None
    state_affiliated: bool = False


@dataclass(frozen=True)
class OutletMatch:
    outlet: Outlet
    evidence: str


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None
    confidence: float


@dataclass(frozen=True)
class ExtractedText:
    """What an extractor (HTML or plain text) recovers from one document."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    author: str | None = None
    site_name: str | None = None
    url: str | None = None  # the address the page gives itself (canonical link, og:url), when http(s)
    removed: tuple[RemovedLine, ...] = ()
    # Lines that carried metadata rather than body (datelines, outlet lines): cleaners hand them on.
    header_lines: tuple[str, ...] = ()
    footer_lines: tuple[str, ...] = ()


@dataclass
class Article:
    """A clean article ready for the store."""

    origin: str
    raw_hash: str
    text_hash: str
    raw_kind: RawKind
    raw_text: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None
    url: str | None
    author: str | None
    outlet: OutletMatch | None
    country: str | None
    language: LanguageGuess
    published: DateEstimate
    removed: tuple[RemovedLine, ...] = ()
    minhash: bytes | None = None
    # Fingerprints of the short lines around and in the article, to learn an outlet's recurring furniture.
    line_fingerprints: frozenset[str] = frozenset()

    @property
    def word_count(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class AnalysisFailure:
    """An item one analysis stage could not handle, and why; it waits for the next analysis version."""

    stage: str
    item: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class IngestFailure:
    origin: str
    reason: str


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one input: stored, linked as a copy, skipped as already known, or failed."""

    origin: str
    status: Literal["stored", "copy", "unchanged", "failed", "skipped"]
    article_id: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class StoredCopy:
    origin: str
    url: str | None
    title: str | None
    outlet: str | None
    similarity: float


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store returns it to views and later stages."""

    id: int
    origin: str
    url: str | None
    title: str | None
    text: str
    paragraphs: tuple[Paragraph, ...]
    outlet: str | None
    outlet_domain: str | None
    outlet_state_affiliated: bool
    outlet_evidence: str | None
    country: str | None
    language: str | None
    language_confidence: float
    published: str | None
    published_confidence: float
    published_method: str
    published_evidence: str
    author: str | None
    word_count: int
    raw_kind: str
    ingested_at: datetime
    removed: tuple[RemovedLine, ...] = ()
    copies: tuple[StoredCopy, ...] = ()

    def languages(self, min_share: float = 0.1) -> tuple[str, ...]:
        """The languages the page is written in, by share of its paragraphs' characters, most
        first; a language under `min_share` of the text is a quotation, not the page's."""
        sizes: dict[str, int] = {}
        for p in self.paragraphs:
            if p.language:
                sizes[p.language] = sizes.get(p.language, 0) + p.end - p.start
        total = sum(sizes.values())
        ranked = sorted(sizes.items(), key=lambda item: -item[1])
        return tuple(code for code, size in ranked if size / total >= min_share) or ((self.language,) if self.language else ())


@dataclass(frozen=True)
class ArticleFilters:
    """What a list of articles (or of the stories they are in) may be narrowed to; None is no filter."""

    country: str | None = None
    outlet: str | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    ids: tuple[int, ...] | None = None
    actor: str | None = None  # stories only: someone quoted in one of its articles (part of the name)


TextSource = Literal["original", "translation"]


@dataclass(frozen=True)
class StoredParse:
    """An article's parse as the store keeps it: the analysis pipeline's own bytes (a spaCy
    DocBin: the title, if parsed, then each paragraph), and where each paragraph starts."""

    article_id: int
    source: TextSource
    offsets: tuple[int, ...]
    has_title: bool
    data: bytes


@dataclass(frozen=True)
class Segment:
    """One sentence of a translation: where it sits in the original text and in the English."""

    paragraph: int
    original_start: int
    original_end: int
    start: int
    end: int


@dataclass(frozen=True)
class Translation:
    article_id: int
    source_language: str
    backend: str
    text: str
    segments: tuple[Segment, ...]
    title: str | None = None  # the title in English; "" where it stays untranslated (its language has no backend)

    def original_of(self, start: int, end: int) -> tuple[int, int] | None:
        """The original text's span for the English span start:end (whole sentences)."""
        hit = [s for s in self.segments if s.start < end and start < s.end]
        return (hit[0].original_start, hit[-1].original_end) if hit else None

    def english_of(self, original_start: int, original_end: int) -> str | None:
        """The English sentences translated from the original span."""
        hit = [s for s in self.segments if s.original_start < original_end and original_start < s.original_end]
        return " ".join(self.text[s.start:s.end] for s in hit) if hit else None

    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The English text's paragraphs, one for each original paragraph."""
        spans: dict[int, list[int]] = {}
        for s in self.segments:
            spans.setdefault(s.paragraph, [s.start, s.end])[1] = s.end
        return tuple(Paragraph(index, a, b) for index, (a, b) in spans.items())


@dataclass(frozen=True)
class RunSummary:
    id: int
    started_at: datetime
    finished_at: datetime | None
    inputs: str
    stored: int
    copies: int
    unchanged: int
    failed: int
    failures: tuple[IngestFailure, ...] = ()


# A source the text describes but names no one by ("experts", "a poll"): its statements are kept, with no actor.
UNNAMED = "unnamed"


@dataclass(frozen=True)
class Statement:
    """One attributed statement, with the offsets of its sentence in the article's clean text."""

    kind: str  # "direct" or "indirect"
    text: str
    start: int
    end: int
    speaker: str
    speaker_kind: str  # "person", "organisation", "group", or UNNAMED
    role: str | None
    cue: str
    via: str  # how the speaker was found: subject, pronoun, role noun, same paragraph, continuation, according to
    date: str | None
    date_kind: str  # "event" (the text dates the statement), "article", or "earlier" (before that date's events)
    # Where the speaker is named for this statement ("he", "the President", "Kremlin spokesman Dmitry Peskov").
    mention_start: int | None = None
    mention_end: int | None = None


@dataclass(frozen=True)
class StoredStatement:
    id: int
    article_id: int
    actor_id: int | None  # None for an unnamed source
    speaker: str
    role: str | None
    kind: str
    text: str
    sentence: str
    start: int
    end: int
    cue: str
    via: str
    date: str | None
    date_kind: str
    outlet: str | None
    country: str | None
    article_title: str | None
    language: str | None = None  # the article's; the words are English when `via` says "in translation"


@dataclass(frozen=True)
class ActorRole:
    role: str
    date: str | None
    article_id: int


@dataclass(frozen=True)
class StoredActor:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[ActorRole, ...]
    statements: int
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class Proposition:
    id: int
    text: str
    origin: str  # "user" or "proposed"
    status: str  # "accepted", "proposed" or "dropped"
    stances: int = 0


@dataclass(frozen=True)
class StanceJudged:
    """A statement's stance on a proposition, as the positions stage hands it to the store."""

    statement_id: int
    stance: str  # support, oppose or mixed
    confidence: float
    anchor: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Unsided:
    """A statement retrieval found near a proposition that took no side on it."""

    statement_id: int
    similarity: float  # cosine of statement and proposition (English model)
    neutral: float  # the stance reader's probability of no side


@dataclass(frozen=True)
class PropositionReading:
    """How far a proposition has read the store: statements considered, those near enough to be
    judged, the stances taken, and the nearest that took no side (why a list may be empty)."""

    considered: int
    judged: int
    stances: int
    nearest_unsided: list[tuple[StoredStatement, float, float]]  # statement, similarity, P(no side)


@dataclass(frozen=True)
class PositionPoint:
    """One dated point on an actor's position timeline, with the statement that is its evidence."""

    proposition_id: int
    stance: str
    confidence: float
    anchor: str
    cues: tuple[str, ...]
    statement: StoredStatement


@dataclass(frozen=True)
class Shift:
    """A change or clash of positions, with both ends' evidence.

    kind: "shift" (one actor moves), "walk-back" (moves within days and the text says it
    clarifies), "contradiction" (one side's actors, or outlets on one actor, disagree)."""

    kind: str
    proposition_id: int
    actor: str
    before: PositionPoint
    after: PositionPoint
    reason: str
    reported: str | None = None  # a sentence in which the press itself names the change


def _unit(vector: np.ndarray) -> np.ndarray:
    import numpy as np
    return vector / (np.linalg.norm(vector) + 1e-9)


@dataclass(frozen=True)
class Representation:
    """What the clusterer compares: a multilingual vector for any text, an English-model vector
    where the text is English (an original or a translation), and the languages it is in."""

    multilingual: np.ndarray
    english: np.ndarray | None
    languages: frozenset[str]


@dataclass
class StoryCluster:
    """An event or story line as the clusterer reads it from the store and writes it back:
    running sums of member vectors (multilingual, and English for its English members), size,
    date span, quoted actors, languages."""

    id: int | None
    total: np.ndarray
    size: int
    first_date: str | None = None
    last_date: str | None = None
    actors: set[int] = field(default_factory=set)
    story_id: int | None = None
    english_total: np.ndarray | None = None
    english_size: int = 0
    languages: set[str] = field(default_factory=set)

    @classmethod
    def empty(cls, dimensions: int) -> StoryCluster:
        import numpy as np
        return cls(None, np.zeros(dimensions, dtype=np.float32), 0)

    @property
    def centroid(self) -> np.ndarray:
        return _unit(self.total)

    @property
    def english_centroid(self) -> np.ndarray | None:
        return _unit(self.english_total) if self.english_size and self.english_total is not None else None

    @property
    def mean(self) -> np.ndarray:
        """The members' mean vector: a unit item's dot product with it is its average cosine to them."""
        return self.total / max(1, self.size)

    @property
    def english_mean(self) -> np.ndarray | None:
        return self.english_total / self.english_size if self.english_size and self.english_total is not None else None

    def representation(self) -> Representation:
        return Representation(self.centroid, self.english_centroid, frozenset(self.languages))

    def add(self, item: Representation, when: str | None, actors: set[int]) -> None:
        self.total = self.total + item.multilingual
        self.size += 1
        if item.english is not None:
            self.english_total = item.english if self.english_total is None else self.english_total + item.english
            self.english_size += 1
        self.languages |= item.languages
        if when:
            self.first_date = min(filter(None, [self.first_date, when]))
            self.last_date = max(filter(None, [self.last_date, when]))
        self.actors |= actors


@dataclass(frozen=True)
class SummarySentence:
    article_id: int
    start: int  # offsets of the sentence in the article's (original) text
    end: int
    text: str  # the sentence, or its English translation
    translated_by: str | None = None
    language: str | None = None  # the language the text stays in where nothing translated it; None for English

    @property
    def in_english(self) -> bool:
        return self.language is None


@dataclass(frozen=True)
class StorySection:
    label: str
    sentences: tuple[SummarySentence, ...]


@dataclass(frozen=True)
class StoryDigest:
    """A story's summary and topic sections, computed once by the digests stage (a story page
    then encodes nothing); `inputs` fingerprints the articles it was computed from."""

    story_id: int
    inputs: str
    summary: tuple[SummarySentence, ...]
    sections: tuple[StorySection, ...]


@dataclass(frozen=True)
class StoryOverview:
    id: int
    label: str  # a headline
    label_language: str | None  # the headline's language where it stays untranslated; None for English
    first_date: str | None
    last_date: str | None
    events: tuple[int, ...]
    articles: tuple[int, ...]
    outlets: tuple[str, ...]
    countries: tuple[str, ...]


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "article" or "statement"
    id: int
    article_id: int
    snippet: str  # the matching words in their sentence
    score: float
    speaker: str | None
    title: str | None = None  # the hit's article: its title, outlet and date, to tell hits apart at a glance
    outlet: str | None = None
    published: str | None = None
    country: str | None = None  # and its country and language, what search facets count
    language: str | None = None

    def described(self, article: StoredArticle) -> SearchHit:
        """The hit with its article's title, outlet, date, country and language."""
        return replace(self, title=article.title, outlet=article.outlet, published=article.published, country=article.country,
                       language=article.language)


@dataclass(frozen=True)
class Webhook:
    id: int
    url: str
    kinds: tuple[str, ...]
    secret: str | None
    allow_private: bool
    created_at: datetime
    about: str | None = None  # "story:ID", "actor:ID" or "proposition:ID": only alerts about it; None: all
    pending: int = 0
    delivered: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Alert:
    """Something to tell subscribers once: `key` names it for good, across re-analysis and restarts."""

    key: str
    kind: str  # "statement" or "shift"
    payload: dict
    about: frozenset[str] = frozenset()  # the subjects ("story:ID", "actor:ID", "proposition:ID") a webhook may follow


@dataclass(frozen=True)
class DueDelivery:
    """A delivery this worker has claimed: it alone sends it until the lease ends."""

    id: int
    attempt: int
    webhook: Webhook
    alert_key: str
    kind: str
    body: bytes


@dataclass(frozen=True)
class DeliveryAttempt:
    delivery_id: int
    webhook_id: int
    alert_key: str
    at: datetime
    status_code: int | None
    error: str | None
    seconds: float
    status: str  # the delivery's status now: pending, delivered, failed

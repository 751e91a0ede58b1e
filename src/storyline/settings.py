"""Every threshold and weight, in one place, with the reason for each value beside it.

The values below are the defaults. A user overrides any of them in an INI file, section by
section (as trafilatura's settings.cfg works): the file named by `STORYLINE_CONFIG`, or
`storyline.cfg` in the working directory; modules read them through `settings()`. `storyline settings` prints the values in force and
where they came from. An unknown section or key, or a value of the wrong type, is an error that
names it, never silently ignored.

Values that were fitted on public data (story thresholds in `stories/calibration.json`, the
stance classifier's features) stay with their artifact; the ones here are design choices or
limits, and each says which.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Ingest:
    max_bytes: int = 10 * 1024 * 1024  # largest input (and decompressed input) accepted
    max_field_characters: int = 1_000  # a title, outlet, country or language given with an article
    max_url_characters: int = 2_000  # longer than browsers and servers agree to handle
    max_date_characters: int = 100  # a given publication date; dateparser's time grows with the length
    max_paragraph_characters: int = 100_000  # a longer "paragraph" is no prose, and more than the parser takes
    batch_file_factor: int = 100  # a JSONL batch may hold this many times max_bytes, decompressed or not
    min_article_words: int = 20  # below this, a page has no article in it
    min_article_letters: int = 200  # fewer letters (any script) and a page holds no report: a forum post, a player, a wall
    furniture_line_max_words: int = 30  # longer lines are never a site's recurring furniture
    furniture_min_articles: int = 3  # a line in this many articles of one source is furniture
    max_garbage_share: float = 0.02  # share of replacement characters that marks a wrong decoding
    minhash_permutations: int = 128
    shingle_words: int = 5
    near_duplicate_jaccard: float = 0.8  # MinHash Jaccard over word shingles for a syndicated copy
    earliest_year: int = 1700  # a date before the first newspapers is a parsing accident, not a publication date
    weekday_lookback_years: int = 10  # how far back a weekday with no year may resolve
    fetch_timeout_seconds: float = 20.0  # waiting for a URL
    dateline_extra_words: int = 3  # words besides the date ("Updated", "ET") a dateline may hold
    dateline_local_words: int = 6  # a dateline in another language is this short: "22 жовтня 2024"
    stamp_prefix_chars: int = 20  # an update stamp may put the time this far before the date


@dataclass(frozen=True)
class TextClean:
    body_min_words: int = 8  # a prose paragraph has at least this many words
    strong_body_min_words: int = 15  # a paragraph this long is body whatever its neighbours
    short_line_max_words: int = 10  # an unpunctuated line this short is a header or footer line
    menu_run: int = 3  # this many short lines in a row are a menu
    substantial_words: int = 40
    duplicate_min_words: int = 12  # a repeated paragraph this long is a paste, not a refrain
    duplicate_window: int = 4  # paragraphs apart within which a repeat is dropped
    known_boilerplate_max_words: int = 30


@dataclass(frozen=True)
class Language:
    min_letters: int = 20  # an article with fewer letters gets no language
    min_confidence: float = 0.5
    paragraph_min_letters: int = 40  # shorter paragraphs take the article's language


@dataclass(frozen=True)
class Statements:
    min_quote_words: int = 4  # a shorter quotation is a scare quote or a name, not a statement
    max_described_words: int = 8  # an unnamed source ("experts on North Korea") is named by its whole phrase up to this
    # a sentence with no subject ("Recordó que …") goes on with a statement at most this many characters before
    continues_within: int = 600


@dataclass(frozen=True)
class Analysis:
    lease_seconds: int = 300  # an analysis that stops renewing its lease (killed) frees the store after this
    lease_poll_seconds: float = 1.0  # how often a waiting analysis asks again
    # processes that parse articles and find their statements (0: one per core), from this many articles
    # to parse on (each process loads the pipeline first, a few seconds; pattern rules need no parse)
    workers: int = 0
    parallel_from: int = 40


@dataclass(frozen=True)
class Queue:
    attempts: int = 5  # tries of one task (ingest of an input, an analysis) before it is left failed
    heartbeat_seconds: float = 10.0  # how often a worker says it is alive
    stalled_seconds: float = 30.0  # a worker silent this long is dead: its running jobs go back in the queue
    recover_every_seconds: float = 10.0  # how often a worker looks for them


@dataclass(frozen=True)
class Stances:
    batch: int = 256  # statements judged (and saved) at a time
    read_memo: int = 20_000  # statements kept as read (text and context), for the next proposition
    pairs_remembered: int = 50_000  # (proposition, text) pairs whose reading is kept (about 20 MB)
    retrieval: float = 0.25  # MiniLM cosine to the proposition a statement needs to be judged (keeps ~95% of Perspectrum dev's sided pairs)
    occluded_words: int = 24  # words tried by occlusion to find the ones that decided
    occluded_phrase: int = 4  # content words left out together in occlusion's first round
    cue_words: int = 3  # deciding words kept with a stance
    cue_drop: float = 0.05  # probability a word's removal must cost the side to count as deciding


@dataclass(frozen=True)
class Proposals:
    same_claim: float = 0.6  # cosine at which two statements make one claim
    min_statements: int = 3
    min_articles: int = 2  # a claim heard in one article only is not proposed


@dataclass(frozen=True)
class Timeline:
    walk_back_days: int = 7  # a shift this soon after, with a clarification in the text, is a walk-back
    same_side_days: int = 30  # one side's actors disagreeing within this many days contradict
    outlet_days: int = 3  # outlets' readings this close, one dated by its article, may be the same remarks
    moment_margin: float = 0.1  # confidence by which a moment's leading stance must lead the next to be its position
    shift_belief: float = 0.5  # chance, the product of two stances' calibrated confidences, that both are right: below it no shift or contradiction is claimed


@dataclass(frozen=True)
class Stories:
    candidates: int = 200  # events or story lines an article is compared with, at most
    lead_characters: int = 1000  # title and lead embedded to place an article
    entity_weight: float = 0.1  # most a shared quoted actor adds to the similarity
    event_days: int = 14  # time scale of the event time penalty
    event_time_weight: float = 0.15  # most the time penalty takes off for an event
    event_reach_days: int = 14  # events compared are active within this many days
    story_days: int = 365
    story_time_weight: float = 0.05
    story_reach_days: int = 5 * 365
    headline_min_words: int = 3  # a shorter title ("Loft") names a page, not what happened; others are preferred


@dataclass(frozen=True)
class Summaries:
    duplicate: float = 0.9  # cosine above which two sentences say the same thing
    relevance_weight: float = 0.7  # MMR: closeness to the story against distance from those chosen
    section_distance: float = 0.75  # cosine distance under which sentences share a section
    same_meaning: float = 0.55  # cosine above which two keyphrases say one thing


@dataclass(frozen=True)
class Embeddings:
    remembered: int = 20_000  # vectors kept per encoder (about 30 MB)


@dataclass(frozen=True)
class Alerts:
    first_retry_seconds: int = 30
    longest_wait_seconds: int = 6 * 3600
    max_attempts: int = 18  # about two days of retries before a delivery is given up
    lease_seconds: int = 120  # longer than one POST can take, so a claim is never sent twice at once
    timeout_seconds: float = 10.0
    connect_timeout_seconds: float = 5.0
    feed_entries: int = 200  # newest entries an Atom feed holds


@dataclass(frozen=True)
class Api:
    max_article_characters: int = 5_000_000  # html or text of one posted article
    max_body_bytes: int = 24 * 1024 * 1024  # a POST body, refused (413) before it is read whole or parsed
    max_query_characters: int = 500  # a search query
    max_query_words: int = 16  # distinct words a full-text search matches on; a longer query is no search
    page_size: int = 50  # stories a page of the web front page lists
    search_page_size: int = 20  # hits a page of web search lists


@dataclass(frozen=True)
class Settings:
    ingest: Ingest = field(default_factory=Ingest)
    textclean: TextClean = field(default_factory=TextClean)
    language: Language = field(default_factory=Language)
    statements: Statements = field(default_factory=Statements)
    analysis: Analysis = field(default_factory=Analysis)
    queue: Queue = field(default_factory=Queue)
    stances: Stances = field(default_factory=Stances)
    proposals: Proposals = field(default_factory=Proposals)
    timeline: Timeline = field(default_factory=Timeline)
    stories: Stories = field(default_factory=Stories)
    summaries: Summaries = field(default_factory=Summaries)
    embeddings: Embeddings = field(default_factory=Embeddings)
    alerts: Alerts = field(default_factory=Alerts)
    api: Api = field(default_factory=Api)
    source: str = "defaults"


class SettingsError(ValueError):
    """A config file that names a section or key Storyline does not have, or a value it cannot read."""


def _convert(raw: str, kind: type, where: str):
    try:
        if kind is bool:
            return raw.strip().casefold() in ("1", "true", "yes", "on")
        return kind(raw.replace("_", ""))
    except ValueError as error:
        raise SettingsError(f"{where}: {raw!r} is not a {kind.__name__}") from error


def read(path: Path, base: Settings = Settings()) -> Settings:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise SettingsError(f"cannot read the settings file {path}: {error}") from error
    sections = {f.name: f for f in fields(Settings) if f.name != "source"}
    changed = {}
    for name in parser.sections():
        if name not in sections:
            raise SettingsError(f"{path}: no section [{name}]; the sections are {', '.join(sections)}")
        current = getattr(base, name)
        keys = {f.name: f for f in fields(current)}
        values = {}
        for key, raw in parser.items(name):
            if key not in keys:
                raise SettingsError(f"{path}: [{name}] has no key {key!r}; its keys are {', '.join(keys)}")
            kind = type(getattr(current, key))
            values[key] = _convert(raw, kind, f"{path} [{name}] {key}")
        changed[name] = replace(current, **values)
    return replace(base, **changed, source=str(path))


def load() -> Settings:
    """The defaults, overridden by $STORYLINE_CONFIG or ./storyline.cfg where there is one."""
    named = os.environ.get("STORYLINE_CONFIG")
    path = Path(named) if named else Path("storyline.cfg")
    if named or path.is_file():
        return read(path)
    return Settings()


def as_ini(settings: Settings) -> str:
    """The settings in force, as a config file a user can start from."""
    lines = [f"# Storyline settings in force (from {settings.source})"]
    for section in fields(Settings):
        if section.name == "source":
            continue
        lines.append(f"\n[{section.name}]")
        values = getattr(settings, section.name)
        lines.extend(f"{f.name} = {getattr(values, f.name)}" for f in fields(values))
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings in force, read once per process (tests clear the cache to change them)."""
    return load()

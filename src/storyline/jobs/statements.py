"""Statements: who said what in each article not yet read by this analysis version, then actors
merged across the store. Each article is saved in its own transaction."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Literal

from storyline.analysis import ANALYSIS_VERSION
from storyline.jobs.contract import Job, StageReport, UpdateOptions
from storyline.records import UNNAMED, Statement, StoredArticle, StoredParse, Translation
from storyline.settings import settings
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.analysis.document import ParsedText


def _through_translation(article: StoredArticle, translation: Translation, published: date | None
                         ) -> tuple[list[Statement], ParsedText]:
    from storyline.analysis.document import parse_text
    from storyline.analysis.statements import extract_statements

    paragraphs = [(p.start, p.end) for p in translation.paragraphs()]
    parsed = parse_text(article.id, "translation", translation.text, paragraphs, article.title)
    found = extract_statements(translation.text, paragraphs, published, parsed.paragraphs)
    mapped = []
    for statement in found:
        if (span := translation.original_of(statement.start, statement.end)) is not None:
            # The sentence is the original's; the words are the translation's, so the mention has no place in the original.
            mapped.append(replace(statement, start=span[0], end=span[1], mention_start=None, mention_end=None,
                                  via=f"{statement.via}, in translation"))
    return mapped, parsed


ReadBy = Literal["rules", "original", "translation"]


def read_by(language: str | None, translated: bool) -> ReadBy | None:
    """How read_article reads an article in this language: by the pattern rules of the languages
    that have them (uk, ru, fr, es), on the original (no parse); by the parser-based extractor on
    English text; by that extractor over a translation for any other language (each statement
    pointed back at the original sentence); None when that language has no translation."""
    from storyline.lang.speech import speech_rules

    if language in speech_rules():
        return "rules"
    if language in (None, "en"):
        return "original"
    return "translation" if translated else None


def read_article(article: StoredArticle, translation: Translation | None) -> tuple[list[Statement], ParsedText | None]:
    """Statements, and the parse they were found in, read as `read_by` says."""
    from storyline.analysis.document import parse_text
    from storyline.analysis.reported_speech import extract_reported_speech
    from storyline.analysis.statements import extract_statements

    published = date.fromisoformat(article.published[:10]) if article.published else None
    paragraphs = [(p.start, p.end) for p in article.paragraphs]
    how = read_by(article.language, translation is not None)
    if how == "rules":
        return extract_reported_speech(article.text, paragraphs, article.language, published), None
    if how == "original":
        parsed = parse_text(article.id, "original", article.text, paragraphs, article.title)
        return extract_statements(article.text, paragraphs, published, parsed.paragraphs), parsed
    return _through_translation(article, translation, published) if how == "translation" else ([], None)


def statements_of(article: StoredArticle, translation: Translation | None) -> list[Statement]:
    return read_article(article, translation)[0]


def text_digest(article: StoredArticle, translation: Translation | None) -> str:
    """What read_article reads, in a few bytes: a reading kept for another text is stale."""
    read = "\0".join([article.title or "", article.text, translation.text if translation else ""])
    return hashlib.sha256(read.encode()).hexdigest()


def _read_stored(pair: tuple[StoredArticle, Translation | None]) -> tuple[list[Statement], StoredParse | None]:
    """read_article as a worker process returns it: the parse as stored (a DocBin), not spaCy objects."""
    statements, parsed = read_article(*pair)
    return statements, parsed.stored() if parsed else None


def read_and_keep(store: Store, article_id: int) -> bool:
    """One article's reading, done by any queue worker and kept in the store until the analysis (the
    one writer) resolves its speakers to actors and saves it. False when the analysis needs none."""
    if not store.article_ids_to_analyze(ANALYSIS_VERSION, among=[article_id]):
        return False
    article, translation = store.article(article_id), store.translation(article_id)
    digest = text_digest(article, translation)
    if store.reading(article_id, ANALYSIS_VERSION, digest) is not None:
        return False
    statements, parse = _read_stored((article, translation))
    store.save_reading(article_id, ANALYSIS_VERSION, digest, statements, parse)
    return True


def _load_models() -> None:
    from storyline.analysis import attribution
    from storyline.analysis.statements import load_pipeline

    load_pipeline()
    attribution.tag(load_pipeline()("Ready, he said."))


def _workers() -> int:
    return settings().analysis.workers or os.cpu_count() or 1


class StatementsJob(Job):
    name = "statements"
    title = "Analysing"

    def __init__(self, store: Store, since: str | None = None, redo: bool = False, leave: frozenset[int] = frozenset()):
        super().__init__(store)
        self.since, self.redo, self.leave = since, redo, leave
        self.directory = None
        self.touched: set[int] = set()
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_options(cls, store: Store, options: UpdateOptions) -> StatementsJob:
        return cls(store, since=options.since, redo=options.redo, leave=options.leave)

    def prepare(self) -> None:
        from storyline.analysis.actors import ActorDirectory, KnownActor

        self.directory = ActorDirectory([KnownActor(i, name, kind, roles) for i, name, kind, roles in self.store.actor_index()])

    def pending(self) -> Sequence[int]:
        pending = [i for i in self.store.article_ids_to_analyze(ANALYSIS_VERSION, self.since, self.redo) if i not in self.leave]
        unread = pending if self.redo else list(set(pending) - self.store.read_ahead(ANALYSIS_VERSION))
        # Pattern rules read an article in a few milliseconds; the parse is what is worth the workers' start.
        to_parse = sum(read_by(*found) in ("original", "translation") for found in self.store.languages(unread).values())
        if _workers() > 1 and to_parse >= settings().analysis.parallel_from:
            # Parsing is the cost and each article's own: worker processes read a batch while this one
            # resolves actors and saves, in article order, so the result is a one-process run's. A batch
            # ends with workers idle but the last, so batches are long: 4 articles a worker lost 8%.
            self.pool = ProcessPoolExecutor(_workers(), mp_context=multiprocessing.get_context("spawn"), initializer=_load_models)
            self.batch_size = _workers() * 16
        return pending

    def _read(self, pairs: list[tuple[StoredArticle, Translation | None]]) -> Iterator[tuple[list[Statement], StoredParse | None]]:
        """The readings in order, each as soon as it is done, so this process saves one article
        while the workers still parse the next."""
        done = 0
        if self.pool is not None and len(pairs) > 1:
            try:
                for reading in self.pool.map(_read_stored, pairs):
                    done += 1
                    yield reading
                return
            except BrokenProcessPool:
                self.pool = None  # a worker died (killed, out of memory): the rest are read in this process
        yield from map(_read_stored, pairs[done:])

    def _kept_or_read(self, batch: Sequence[int]) -> Iterator[tuple[list[Statement], StoredParse | None]]:
        """What queue workers read and kept for these articles (jobs.queue), the rest read here."""
        pairs = [(self.store.article(article_id), self.store.translation(article_id)) for article_id in batch]
        kept = [None if self.redo else self.store.reading(article.id, ANALYSIS_VERSION, text_digest(article, translation))
                for article, translation in pairs]
        fresh = self._read([pair for pair, reading in zip(pairs, kept, strict=True) if reading is None])
        for reading in kept:
            yield reading if reading is not None else next(fresh)

    def process(self, batch: Sequence[int], report: StageReport) -> None:
        read = self._kept_or_read(batch)  # each saved as its reading comes back, and marked done
        for article_id, (statements, parse) in zip(batch, read, strict=True):
            # A known actor's id, or None for a speaker the store has not met yet (the store creates it)
            # and for an unnamed source (no actor stands for it).
            known_ids = [None if s.speaker_kind == UNNAMED else self.directory.resolve(s.speaker, s.speaker_kind, s.role)
                         for s in statements]
            resolved = [(s, ref if isinstance(ref, int) else None) for s, ref in zip(statements, known_ids, strict=True)]
            used = self.store.save_statements(article_id, resolved, ANALYSIS_VERSION, parse)
            for statement, actor_id in zip(statements, used, strict=True):
                if actor_id is not None:
                    self.directory.learn(actor_id, statement.speaker, statement.speaker_kind, statement.role)
                    self.touched.add(actor_id)
            self.done.add(article_id)
            report.counts["articles"] += 1
            report.counts["statements"] += len(statements)

    def finish(self, report: StageReport) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
        for source, target in self.directory.surname_merges():
            self.store.merge_actors(source, target)
            self.touched.add(target)
            report.counts["merged_actors"] += 1
        self.store.tidy_actors(self.touched)

    def describe(self, report: StageReport) -> None:
        report.summary.append(f"Analysed {report.counts['articles']} article(s): {report.counts['statements']} statements, "
                              f"{report.counts['merged_actors']} actor(s) merged by name, in {report.seconds:.1f} s.")

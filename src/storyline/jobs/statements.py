"""Statements: who said what in each article not yet read by this analysis version, then actors
merged across the store. Each article is saved in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from storyline.jobs.contract import Job, StageReport, UpdateOptions
from storyline.records import Statement, StoredArticle, Translation
from storyline.store import Store

# Bump when statement extraction changes, so `storyline analyze` re-runs it on stored articles.
ANALYSIS_VERSION = 3


def _through_translation(translation: Translation, published: date | None) -> list[Statement]:
    from storyline.analysis.statements import extract_statements

    found = extract_statements(translation.text, [(p.start, p.end) for p in translation.paragraphs()], published)
    mapped = []
    for statement in found:
        if (span := translation.original_of(statement.start, statement.end)) is not None:
            # The sentence is the original's; the words are the translation's, so the mention has no place in the original.
            mapped.append(replace(statement, start=span[0], end=span[1], mention_start=None, mention_end=None,
                                  via=f"{statement.via}, in translation"))
    return mapped


def statements_of(article: StoredArticle, translation: Translation | None) -> list[Statement]:
    """The reader an article's language gets: English text the parser-based extractor; the languages
    with pattern rules (uk, ru, fr, es) their rules on the original; any other language the English
    extractor over its translation, each statement pointed back at the original sentence."""
    from storyline.analysis.reported_speech import extract_reported_speech
    from storyline.analysis.statements import extract_statements
    from storyline.lang.speech import speech_rules

    published = date.fromisoformat(article.published[:10]) if article.published else None
    paragraphs = [(p.start, p.end) for p in article.paragraphs]
    if article.language in speech_rules():
        return extract_reported_speech(article.text, paragraphs, article.language, published)
    if article.language in (None, "en"):
        return extract_statements(article.text, paragraphs, published)
    return _through_translation(translation, published) if translation is not None else []


class StatementsJob(Job):
    name = "statements"
    title = "Analysing"

    def __init__(self, store: Store, since: str | None = None, redo: bool = False):
        super().__init__(store)
        self.since, self.redo = since, redo
        self.directory = None

    @classmethod
    def from_options(cls, store: Store, options: UpdateOptions) -> StatementsJob:
        return cls(store, since=options.since, redo=options.redo)

    def prepare(self) -> None:
        from storyline.analysis.actors import ActorDirectory, KnownActor

        self.directory = ActorDirectory([KnownActor(i, name, kind, roles) for i, name, kind, roles in self.store.actor_index()])

    def pending(self) -> Sequence[int]:
        return self.store.article_ids_to_analyze(ANALYSIS_VERSION, self.since, self.redo)

    def process(self, batch: Sequence[int], report: StageReport) -> None:
        for article_id in batch:
            article = self.store.article(article_id)
            statements = statements_of(article, self.store.translation(article_id))
            # A known actor's id, or None for a speaker the store has not met yet (the store creates it).
            known_ids = [self.directory.resolve(s.speaker, s.speaker_kind, s.role) for s in statements]
            resolved = [(s, ref if isinstance(ref, int) else None) for s, ref in zip(statements, known_ids, strict=True)]
            used = self.store.save_statements(article_id, resolved, ANALYSIS_VERSION)
            for statement, actor_id in zip(statements, used, strict=True):
                self.directory.learn(actor_id, statement.speaker, statement.speaker_kind, statement.role)
            report.counts["articles"] += 1
            report.counts["statements"] += len(statements)

    def finish(self, report: StageReport) -> None:
        for source, target in self.directory.surname_merges():
            self.store.merge_actors(source, target)
            report.counts["merged_actors"] += 1
        self.store.tidy_actors()

    def describe(self, report: StageReport) -> None:
        report.summary.append(f"Analysed {report.counts['articles']} article(s): {report.counts['statements']} statements, "
                              f"{report.counts['merged_actors']} actor(s) merged by name, in {report.seconds:.1f} s.")

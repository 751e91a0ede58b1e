"""The analyze job: stored articles -> statements and actors, one article per transaction.

Kept apart from the ingest job so that ingesting never loads spaCy. Which reader an article
gets depends on its language: English text goes to the parser-based extractor; Ukrainian,
Russian, French and Spanish to the pattern rules on the original; any other language to the English
extractor over its translation, with each statement pointed back at the original sentence.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from storyline.analysis.actors import ActorDirectory, KnownActor
from storyline.analysis.reported_speech import RULES, extract_reported_speech
from storyline.analysis.statements import extract_statements
from storyline.records import Statement, StoredArticle, Translation
from storyline.store import Store

# Bump when statement extraction changes, so `storyline analyze` re-runs it on stored articles.
ANALYSIS_VERSION = 3


def _through_translation(translation: Translation, published: date | None) -> list[Statement]:
    found = extract_statements(translation.text, [(p.start, p.end) for p in translation.paragraphs()], published)
    mapped = []
    for statement in found:
        if (span := translation.original_of(statement.start, statement.end)) is not None:
            # The sentence is the original's; the words are the translation's, so the mention has no place in the original.
            mapped.append(replace(statement, start=span[0], end=span[1], mention_start=None, mention_end=None,
                                  via=f"{statement.via}, in translation"))
    return mapped


def statements_of(article: StoredArticle, translation: Translation | None) -> list[Statement]:
    published = date.fromisoformat(article.published[:10]) if article.published else None
    paragraphs = [(p.start, p.end) for p in article.paragraphs]
    if article.language in RULES:
        return extract_reported_speech(article.text, paragraphs, article.language, published)
    if article.language in (None, "en"):
        return extract_statements(article.text, paragraphs, published)
    return _through_translation(translation, published) if translation is not None else []


@dataclass
class AnalysisReport:
    articles: int = 0
    statements: int = 0
    merged_actors: int = 0
    seconds: float = 0.0


class Analyzer:
    """Statements and actors for stored articles; each article is saved in its own transaction."""

    def __init__(self, store: Store):
        self.store = store

    def run(self, since: str | None = None, redo: bool = False,
            on_total: Callable[[int], None] = lambda total: None, on_article: Callable[[int], None] = lambda article_id: None) -> AnalysisReport:
        started = time.perf_counter()
        report = AnalysisReport()
        ids = self.store.article_ids_to_analyze(ANALYSIS_VERSION, since, redo)
        on_total(len(ids))
        directory = ActorDirectory([KnownActor(i, name, kind, roles) for i, name, kind, roles in self.store.actor_index()])
        for article_id in ids:
            article = self.store.article(article_id)
            statements = statements_of(article, self.store.translation(article_id))
            # A known actor's id, or None for a speaker the store has not met yet (the store creates it).
            known_ids = [directory.resolve(s.speaker, s.speaker_kind, s.role) for s in statements]
            resolved = [(s, ref if isinstance(ref, int) else None) for s, ref in zip(statements, known_ids, strict=True)]
            used = self.store.save_statements(article_id, resolved, ANALYSIS_VERSION)
            for statement, actor_id in zip(statements, used, strict=True):
                directory.learn(actor_id, statement.speaker, statement.speaker_kind, statement.role)
            report.articles += 1
            report.statements += len(statements)
            on_article(article_id)
        for source, target in directory.surname_merges():
            self.store.merge_actors(source, target)
            report.merged_actors += 1
        self.store.tidy_actors()
        report.seconds = time.perf_counter() - started
        return report


def bring_up_to_date(store: Store) -> None:
    """Everything `storyline analyze` does, without its progress bars, for callers such as the
    API's ingest: translate, find statements, judge stances, place articles in stories."""
    from storyline.positions.scoring import PositionScorer
    from storyline.stories.job import Storyteller
    from storyline.translation.backends import available_backends
    from storyline.translation.job import Translator

    Translator(store, available_backends()).run()
    Analyzer(store).run()
    PositionScorer(store).score_accepted()
    Storyteller(store).run()

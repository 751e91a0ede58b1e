"""The analyze job: stored articles -> statements and actors, one article per transaction.

Kept apart from the ingest job so that ingesting never loads spaCy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from storyline.analysis.actors import ActorDirectory, KnownActor
from storyline.analysis.statements import extract_statements
from storyline.store import Store

# Bump when statement extraction changes, so `storyline analyze` re-runs it on stored articles.
ANALYSIS_VERSION = 2


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
            published = date.fromisoformat(article.published[:10]) if article.published else None
            statements = extract_statements(article.text, [(p.start, p.end) for p in article.paragraphs], published)
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

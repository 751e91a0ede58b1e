"""The ingest job: sources -> clean articles -> language -> store, one article per transaction.

This is the one module that wires the stages together; the stages themselves
know nothing of each other beyond the records they exchange.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from storyline.analysis.language import identify_languages
from storyline.ingest.article import boilerplate_key, build_article
from storyline.ingest.errors import IngestError
from storyline.ingest.fetch import Fetcher
from storyline.ingest.fingerprint import (
    NearDuplicateIndex,
    content_hash,
    signature_from_bytes,
)
from storyline.ingest.metadata import as_text, checked
from storyline.ingest.sources import (
    SourceOptions,
    SourceStats,
    count_inputs,
    iter_documents,
)
from storyline.records import (
    Article,
    GivenMetadata,
    IngestFailure,
    IngestOutcome,
    RawDocument,
)
from storyline.settings import settings
from storyline.store import Store


@dataclass
class IngestSettings:
    given: GivenMetadata = field(default_factory=GivenMetadata)
    max_bytes: int = field(default_factory=lambda: settings().ingest.max_bytes)
    timeout: float = field(default_factory=lambda: settings().ingest.fetch_timeout_seconds)
    reference_date: date | None = None


@dataclass
class IngestReport:
    run_id: int
    outcomes: list[IngestOutcome] = field(default_factory=list)
    skipped_unsupported: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self) -> list[IngestOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]


class Ingestor:
    def __init__(self, store: Store, settings: IngestSettings | None = None, fetcher: Fetcher | None = None):
        self.store = store
        self.settings = settings or IngestSettings()
        self._fetcher = fetcher
        self._near_duplicates: NearDuplicateIndex | None = None

    def _index(self) -> NearDuplicateIndex:
        if self._near_duplicates is None:
            self._near_duplicates = NearDuplicateIndex()
            for article_id, signature in self.store.signatures():
                self._near_duplicates.add(article_id, signature_from_bytes(signature))
        return self._near_duplicates

    def ingest_document(self, doc: RawDocument) -> IngestOutcome:
        doc = replace(doc, origin=as_text(doc.origin), given=checked(doc.given))
        if self.store.is_known_raw(content_hash(doc.data)):
            return IngestOutcome(doc.origin, "unchanged", detail="already in the store")
        article = build_article(
            doc,
            max_bytes=self.settings.max_bytes,
            known_boilerplate=self.store.furniture_fingerprints,
            reference=self.settings.reference_date,
        )
        guess, article.paragraphs = identify_languages(article.text, article.paragraphs)
        if article.language.code is None:
            article.language = guess
        return self._keep(doc, article)

    def _keep(self, doc: RawDocument, article: Article) -> IngestOutcome:
        """Store the article, or link it as a copy; a run beside this one may have stored it first."""
        meanwhile = IngestOutcome(doc.origin, "unchanged", detail="already in the store (stored by a run beside this one)")
        if (original := self.store.article_with_text_hash(article.text_hash)) is not None:
            if not self.store.add_copy(original, article, 1.0):
                return meanwhile
            return IngestOutcome(doc.origin, "copy", original, "same text as an article already stored")
        signature = signature_from_bytes(article.minhash)
        if match := self._index().best_match(signature):
            original, similarity = match
            if not self.store.add_copy(original, article, similarity):
                return meanwhile
            return IngestOutcome(doc.origin, "copy", original, f"near-duplicate (Jaccard {similarity:.2f})")
        if (article_id := self.store.add_article(article, boilerplate_key(doc))) is None:
            return meanwhile
        self._index().add(article_id, signature)
        return IngestOutcome(doc.origin, "stored", article_id)

    def run(
        self,
        inputs: list[str],
        on_outcome: Callable[[IngestOutcome], None] = lambda outcome: None,
        on_total: Callable[[int | None], None] = lambda total: None,
    ) -> IngestReport:
        stats = SourceStats()
        options = SourceOptions(given=self.settings.given, max_bytes=self.settings.max_bytes, already_ingested=self.store.has_origin)
        on_total(count_inputs(inputs))
        fetcher = self._fetcher or Fetcher(timeout=self.settings.timeout, max_bytes=self.settings.max_bytes)
        try:
            report = self.run_documents(inputs, iter_documents(inputs, options, fetcher, stats), on_outcome)
        finally:
            if self._fetcher is None:
                fetcher.close()
        report.skipped_unsupported = stats.skipped_unsupported
        return report

    def run_documents(self, inputs: list[str], items: Iterable[RawDocument | IngestFailure],
                      on_outcome: Callable[[IngestOutcome], None] = lambda outcome: None) -> IngestReport:
        """One recorded run over documents already read (the CLI's files and URLs, the API's JSON)."""
        started = time.perf_counter()
        report = IngestReport(run_id=self.store.start_run(inputs))
        for item in items:
            outcome = self._outcome_of(item, report.run_id)
            report.outcomes.append(outcome)
            on_outcome(outcome)
        report.seconds = time.perf_counter() - started
        self.store.finish_run(report.run_id, report.count("stored"), report.count("copy"), report.count("unchanged"), report.count("failed"))
        return report

    def _outcome_of(self, item: RawDocument | IngestFailure, run_id: int) -> IngestOutcome:
        if isinstance(item, IngestFailure):
            failure = item
        else:
            try:
                return self.ingest_document(item)
            except IngestError as exc:
                failure = IngestFailure(item.origin, str(exc))
            except Exception as exc:  # a bug on one input must not cost the batch; it is reported like any failure
                failure = IngestFailure(item.origin, f"unexpected error ({type(exc).__name__}: {exc}); please report it")
        self.store.record_failure(run_id, failure)
        return IngestOutcome(failure.origin, "failed", detail=failure.reason)

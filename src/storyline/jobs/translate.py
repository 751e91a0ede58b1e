"""Translate: articles not in English, where some backend covers their language."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.jobs.contract import Job, StageReport, UpdateOptions
from storyline.store import Store


class TranslateJob(Job):
    name = "translate"
    title = "Translating"

    def __init__(self, store: Store, backends: list | None = None, libretranslate: str | None = None,
                 leave: frozenset[int] = frozenset()):
        from storyline.translation.backends import available_backends
        from storyline.translation.translate import BackendChoice

        super().__init__(store)
        self.choose = BackendChoice(available_backends(libretranslate) if backends is None else backends)
        self.leave = leave

    @classmethod
    def from_options(cls, store: Store, options: UpdateOptions) -> TranslateJob:
        return cls(store, libretranslate=options.libretranslate, leave=options.leave)

    def pending(self) -> Sequence[int]:
        return [i for i in self.store.article_ids_to_translate() if i not in self.leave]

    def process(self, batch: Sequence[int], report: StageReport) -> None:
        from storyline.translation.backends import TranslationError
        from storyline.translation.translate import translate_article

        for article_id in batch:
            article = self.store.article(article_id)
            try:
                translation = translate_article(article, self.choose)
            except TranslationError as exc:  # the backend failed mid-way: say so, try again next run
                report.failures.append((self.item_key(article_id), str(exc)))
                continue
            if translation is None:
                report.breakdown["untranslated"][article.language or "unknown"] += 1
            else:
                self.store.save_translation(translation)
                report.counts["translated"] += 1
                report.breakdown["by_backend"][translation.backend] += 1

    def describe(self, report: StageReport) -> None:
        from storyline.translation.translate import untranslated_note

        if report.counts["translated"]:
            by = ", ".join(f"{n} by {name}" for name, n in report.breakdown["by_backend"].most_common())
            report.summary.append(f"Translated {report.counts['translated']} article(s) into English ({by}) in {report.seconds:.1f} s.")
        for language, count in report.breakdown["untranslated"].most_common():
            report.warnings.append(f"{count} article(s) {untranslated_note(language)}: kept in the original; "
                                   "stories still group them by the multilingual embeddings.")

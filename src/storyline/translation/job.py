"""The translate job: stored articles not in English -> English text with a sentence map.

Translation goes sentence by sentence, so every English sentence knows the original sentence
it came from: a statement found in the English text cites the original, and a reader can
check one against the other. Paragraphs already in English, or in a language no backend
covers, are kept as they are; a page that quotes English inside Spanish is not re-translated.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.analysis.sentences import sentence_spans
from storyline.records import Paragraph, Segment, StoredArticle, Translation
from storyline.store import Store
from storyline.translation.backends import Backend, TranslationError


@dataclass
class TranslateReport:
    translated: int = 0
    by_backend: Counter[str] = field(default_factory=Counter)
    # Languages with no backend, and how many articles each left in the original.
    untranslated: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0


def untranslated_note(language: str | None) -> str:
    return f"not translated (no model for {language or 'an unknown language'})"


def translate_article(article: StoredArticle, pick: Callable[[str], Backend | None]) -> Translation | None:
    """English text for an article whose paragraphs some backend covers, else None."""
    pieces: list[tuple[Paragraph, int, int]] = []  # (paragraph, sentence start, end) in reading order
    for paragraph in article.paragraphs:
        pieces.extend((paragraph, a, b) for a, b in sentence_spans(article.text, paragraph.start, paragraph.end))
    english: dict[int, str] = {}
    used: list[str] = []
    for language in sorted({p.language or article.language for p, _a, _b in pieces} - {"en", None}):
        backend = pick(language)
        if backend is None:
            continue
        indices = [i for i, (p, _a, _b) in enumerate(pieces) if (p.language or article.language) == language]
        out = backend.translate(language, [article.text[pieces[i][1]:pieces[i][2]] for i in indices])
        english.update(zip(indices, out, strict=True))
        used.append(backend.name)
    if not used:
        return None
    text, segments, paragraph_of_last = "", [], None
    for i, (paragraph, a, b) in enumerate(pieces):
        sentence = english.get(i, article.text[a:b]).strip()
        if paragraph_of_last is not None:
            text += " " if paragraph.index == paragraph_of_last else "\n\n"
        segments.append(Segment(paragraph.index, a, b, len(text), len(text) + len(sentence)))
        text += sentence
        paragraph_of_last = paragraph.index
    return Translation(article.id, article.language or "", "+".join(dict.fromkeys(used)), text, tuple(segments))


class Translator:
    def __init__(self, store: Store, backends: list[Backend]):
        self.store = store
        self.backends = backends
        self._broken: set[str] = set()

    def _pick(self, language: str) -> Backend | None:
        for backend in self.backends:
            if backend.name in self._broken:
                continue
            try:
                if language in backend.languages():
                    return backend
            except TranslationError:
                self._broken.add(backend.name)  # e.g. a server that is down: fall through to the next
        return None

    def run(self, on_total: Callable[[int], None] = lambda n: None,
            on_article: Callable[[int], None] = lambda i: None) -> TranslateReport:
        started = time.perf_counter()
        report = TranslateReport()
        ids = self.store.article_ids_to_translate()
        on_total(len(ids))
        for article_id in ids:
            article = self.store.article(article_id)
            try:
                translation = translate_article(article, self._pick)
            except TranslationError as exc:  # the backend failed mid-way: say so, try again next run
                report.failures.append((article_id, str(exc)))
            else:
                if translation is None:
                    report.untranslated[article.language or "unknown"] += 1
                else:
                    self.store.save_translation(translation)
                    report.translated += 1
                    report.by_backend[translation.backend] += 1
            on_article(article_id)
        report.seconds = time.perf_counter() - started
        return report

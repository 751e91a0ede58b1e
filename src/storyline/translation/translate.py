"""Stored articles not in English -> English text with a sentence map.

Translation goes sentence by sentence, so every English sentence knows the original sentence
it came from: a statement found in the English text cites the original, and a reader can
check one against the other. The title is translated with the sentences of its language. Paragraphs already in English, or in a language no backend
covers, are kept as they are; a page that quotes English inside Spanish is not re-translated.
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.analysis.sentences import sentence_spans
from storyline.records import Paragraph, Segment, StoredArticle, Translation
from storyline.translation.backends import Backend, TranslationError


def untranslated_note(language: str | None) -> str:
    return f"not translated (no model for {language or 'an unknown language'})"


def translate_article(article: StoredArticle, pick: Callable[[str], Backend | None]) -> Translation | None:
    """English text for an article whose paragraphs some backend covers, else None."""
    pieces: list[tuple[Paragraph, int, int]] = []  # (paragraph, sentence start, end) in reading order
    for paragraph in article.paragraphs:
        pieces.extend((paragraph, a, b) for a, b in sentence_spans(article.text, paragraph.start, paragraph.end))
    english: dict[int, str] = {}
    used: list[str] = []
    title = None
    for language in sorted({p.language or article.language for p, _a, _b in pieces} - {"en", None}):
        backend = pick(language)
        if backend is None:
            continue
        indices = [i for i, (p, _a, _b) in enumerate(pieces) if (p.language or article.language) == language]
        with_title = bool(article.title) and language == article.language  # the title goes in the same call
        out = backend.translate(language, [article.title] * with_title + [article.text[pieces[i][1]:pieces[i][2]] for i in indices])
        if with_title:
            title, out = out[0].strip(), out[1:]
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
    return Translation(article.id, article.language or "", "+".join(dict.fromkeys(used)), text, tuple(segments), title)


class BackendChoice:
    """The first backend that covers a language; a backend that fails to answer (a server that is
    down) is passed over for the rest of the run."""

    def __init__(self, backends: list[Backend]):
        self.backends = backends
        self._broken: set[str] = set()

    def __call__(self, language: str) -> Backend | None:
        for backend in self.backends:
            if backend.name in self._broken:
                continue
            try:
                if language in backend.languages():
                    return backend
            except TranslationError:
                self._broken.add(backend.name)
        return None

"""Extractive summaries: a few sentences chosen for coverage and against repetition (MMR),
each citing its article and character offsets. A story of one article is summarised by its lead.

An article with an English translation contributes its English sentences, each citing the
original sentence it was translated from (offsets into the original text), so a summary
reads in English and points at what the outlet actually printed. A sentence nothing
translated is used only where English ones run short, and carries its language."""

from __future__ import annotations

import re

import numpy as np

from storyline.analysis import embeddings
from storyline.analysis.sentences import sentence_spans
from storyline.records import StoredArticle, SummarySentence, Translation
from storyline.settings import settings

MIN_WORDS, MAX_WORDS = 8, 60


def _usable(text: str) -> bool:
    return MIN_WORDS <= len(text.split()) <= MAX_WORDS and not text.endswith("?")


def _foreign(language: str | None) -> str | None:
    return None if language in ("en", None) else language


def _translated_sentences(article: StoredArticle, translation: Translation) -> list[SummarySentence]:
    """English sentences, each citing its original; a sentence of a paragraph whose language no
    backend covered comes back as it was, and is marked with that language."""
    languages = {p.index: p.language or article.language for p in article.paragraphs if p.kind == "body"}
    found = []
    for segment in translation.segments:
        if segment.paragraph not in languages or not _usable(text := translation.text[segment.start:segment.end].strip()):
            continue
        language = _foreign(languages[segment.paragraph])
        untranslated = language is not None and text == article.text[segment.original_start:segment.original_end].strip()
        found.append(SummarySentence(article.id, segment.original_start, segment.original_end, text,
                                     None if untranslated else translation.backend, language if untranslated else None))
    return found


def body_sentences(article: StoredArticle, translation: Translation | None = None) -> list[SummarySentence]:
    """Sentences of body paragraphs; headings, captions (a credit line) and fragments are left out."""
    if translation is not None:
        return _translated_sentences(article, translation)
    found = []
    for paragraph in article.paragraphs:
        if paragraph.kind != "body":
            continue
        chunk = article.text[paragraph.start:paragraph.end]
        if re.search(r"(?:/|\b)(?:Getty Images|AFP|Reuters|AP Photo|EPA)\b", chunk) and len(chunk.split()) < 60:
            continue  # a photo caption with its credit
        language = _foreign(paragraph.language or article.language)
        for start, end in sentence_spans(article.text, paragraph.start, paragraph.end):
            if _usable(text := article.text[start:end]):
                found.append(SummarySentence(article.id, start, end, text, language=language))
    return found


def readable_first(sentences: list[SummarySentence], enough: int) -> list[SummarySentence]:
    """The sentences in English (their own or translated), and the untranslated ones only where
    fewer than `enough` are: the English encoder that ranks them cannot read the others, and a
    summary in English says more to its reader than one in four languages."""
    english = [s for s in sentences if s.in_english]
    return english if len(english) >= enough else english + [s for s in sentences if not s.in_english]


def summarize(articles: list[StoredArticle], size: int = 5, translations: dict[int, Translation] | None = None) -> list[SummarySentence]:
    """Maximal marginal relevance over sentence embeddings: near the centre, far from what is chosen."""
    translations = translations or {}
    sentences = readable_first([s for a in articles for s in body_sentences(a, translations.get(a.id))], size)
    if not sentences:
        return []
    vectors = embeddings.ENGLISH.encode([s.text for s in sentences])
    centre = vectors.mean(axis=0)
    centre /= np.linalg.norm(centre) + 1e-9
    relevance = vectors @ centre
    chosen: list[int] = []
    while len(chosen) < min(size, len(sentences)):
        redundancy = (vectors @ vectors[chosen].T).max(axis=1) if chosen else np.zeros(len(sentences))
        value = settings().summaries.relevance_weight * relevance - (1 - settings().summaries.relevance_weight) * redundancy
        value[chosen] = -np.inf
        value[redundancy > settings().summaries.duplicate] = -np.inf
        best = int(np.argmax(value))
        if not np.isfinite(value[best]):
            break
        chosen.append(best)
    # In reading order: by article date, then place in the article.
    order = {a.id: (a.published or "9999", a.id) for a in articles}
    return sorted((sentences[i] for i in chosen), key=lambda s: (order[s.article_id], s.start))


def lead(article: StoredArticle, translation: Translation | None = None, size: int = 5) -> list[SummarySentence]:
    """The article's first sentences, each said once: a news report puts what matters first."""
    chosen: dict[str, SummarySentence] = {}
    for sentence in readable_first(body_sentences(article, translation), size):
        chosen.setdefault(sentence.text.casefold(), sentence)
        if len(chosen) == size:
            break
    return sorted(chosen.values(), key=lambda s: s.start)


def story_summary(articles: list[StoredArticle], translations: dict[int, Translation]) -> list[SummarySentence]:
    """One article's lead, or several articles' sentences chosen by `summarize`. A summary of a
    lone report needs no model, and most stories of a fresh store have one article: encoding
    every sentence of each was most of the update's time in summaries."""
    if len(articles) == 1:
        return lead(articles[0], translations.get(articles[0].id))
    return summarize(articles, translations=translations)

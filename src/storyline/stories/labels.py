"""Topic sections of a story, labelled KeyBERT-style: noun phrases from the text, ranked by
closeness to what they describe and by how many sentences use them, kept apart from each other."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from spacy.tokens import Doc, Span

from storyline.analysis import embeddings
from storyline.analysis.document import ParsedText
from storyline.analysis.statements import load_pipeline
from storyline.memo import Memo
from storyline.records import StorySection, SummarySentence
from storyline.settings import settings

_PARSED: Memo[frozenset[str]] = Memo(20_000)  # sentence -> its phrases
MIN_SECTION_SENTENCES = 4  # fewer make no sections


def phrases(doc: Doc | Span) -> frozenset[str]:
    """Noun phrases of one to three content words: 'NATO membership', 'territorial concessions'."""
    found = set()
    for chunk in doc.noun_chunks:
        words = [t.text for t in chunk if t.pos_ not in ("DET", "PRON") and not t.is_stop and not t.is_punct]
        if 1 <= len(words) <= 3 and not re.fullmatch(r"[\d\W]+", " ".join(words)):
            found.add(" ".join(words))
    return frozenset(found)


def text_phrases(texts: list[str]) -> list[frozenset[str]]:
    """The phrases of texts no stored parse holds, parsed here; a story page rebuilt after a
    write parses only its new sentences."""
    return _PARSED.through(texts, lambda new: [phrases(doc) for doc in load_pipeline().pipe(new)])


def sentence_phrases(parsed: dict[int, ParsedText], sentences: list[SummarySentence]) -> list[frozenset[str]]:
    """Phrases of summary sentences read off their articles' stored parses; a translated sentence
    (its offsets are the original's) or one no parse holds is parsed from its text."""
    spans = []
    for sentence in sentences:
        source = parsed.get(sentence.article_id)
        usable = source is not None and source.source == "original" and not sentence.translated_by
        spans.append(source.span(sentence.start, sentence.end) if usable else None)
    fallback = iter(text_phrases([s.text for s, span in zip(sentences, spans, strict=True) if span is None]))
    return [phrases(span) if span is not None else next(fallback) for span in spans]


def keyphrases(found: list[frozenset[str]], centre: np.ndarray, documents: list[str], count: int = 3) -> list[str]:
    """Phrases (`found` in the texts that describe something) near the centre, used by several
    of the `documents`, longer ones preferred, none repeating another's words or meaning."""
    lowered = [d.casefold() for d in documents]
    least = 2 if len(documents) >= 3 else 1
    # A phrase fewer documents use can never be chosen, so it is not encoded (most are used once);
    # nor is a second casing of one ("Tuft cells", "tuft cells"): the uncased model reads them alike,
    # and the first in sorted order stands for both.
    used: dict[str, tuple[str, int]] = {}
    for phrase in sorted(set().union(*found)):
        if phrase.casefold() not in used and (uses := sum(phrase.casefold() in d for d in lowered)) >= least:
            used[phrase.casefold()] = (phrase, uses)
    if not used:
        return []
    candidates, spread = [phrase for phrase, _uses in used.values()], np.array([uses for _phrase, uses in used.values()])
    vectors = embeddings.ENGLISH.encode(candidates)
    value = (vectors @ centre) * (1 + 0.5 * np.log(spread))
    value *= np.array([1 + 0.25 * (len(c.split()) - 1) for c in candidates])
    chosen: list[int] = []
    for index in np.argsort(-value):
        if value[index] <= 0:
            break
        words = set(candidates[index].casefold().split())
        if any(words & set(candidates[c].casefold().split()) for c in chosen):
            continue
        if chosen and float((vectors[chosen] @ vectors[index]).max()) > settings().summaries.same_meaning:
            continue
        chosen.append(int(index))
        if len(chosen) == count:
            break
    return [candidates[i] for i in chosen]


def _names_something(phrase: str) -> bool:
    """A phrase fit to head a section: several words ("draft documents") or a name ("Witkoff");
    a lone common word ("step", "strong") says nothing of what the sentences are about."""
    return " " in phrase or phrase[:1].isupper()


def sections(sentences: list[SummarySentence], limit: int = 4,
             phrases_of: Callable[[list[SummarySentence]], list[frozenset[str]]] | None = None) -> list[StorySection]:
    """Group a story's sentences into a few topic sections, each labelled by its keyphrases
    (`phrases_of` reads them from the stored parses; without it, the sentences are parsed)."""
    if len(sentences) < MIN_SECTION_SENTENCES:
        return []
    vectors = embeddings.ENGLISH.encode([s.text for s in sentences])
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=settings().summaries.section_distance, metric="cosine",
                                     linkage="average").fit_predict(vectors)
    groups = sorted({int(label) for label in labels}, key=lambda g: -(labels == g).sum())[:limit]
    result = []
    for group in groups:
        members = [i for i, label in enumerate(labels) if label == group]
        if len(members) < 2:
            continue
        centre = vectors[members].mean(axis=0)
        centre /= np.linalg.norm(centre) + 1e-9
        chosen = [sentences[i] for i in members]
        found = [frozenset(filter(_names_something, f)) for f in (phrases_of(chosen) if phrases_of else text_phrases([s.text for s in chosen]))]
        label = " · ".join(keyphrases(found, centre, [s.text for s in chosen], count=2))
        best = sorted(members, key=lambda i: -float(vectors[i] @ centre))[:3]
        result.append(StorySection(label, tuple(sentences[i] for i in sorted(best))))
    return result

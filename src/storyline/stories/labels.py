"""Story labels and topic sections, KeyBERT-style: candidate phrases from the text, ranked by
closeness to what they describe and kept apart from each other."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import CountVectorizer

from storyline.analysis import embeddings
from storyline.stories.summaries import SummarySentence

SECTION_DISTANCE = 0.75  # cosine distance under which sentences share a section


@dataclass(frozen=True)
class Section:
    label: str
    sentences: tuple[SummarySentence, ...]


def keyphrases(texts: list[str], centre: np.ndarray, count: int = 3) -> list[str]:
    """Phrases of one or two words from `texts`, nearest the centre, none repeating another's words."""
    if not any(t.strip() for t in texts):
        return []
    try:
        vectorizer = CountVectorizer(ngram_range=(1, 2), stop_words="english", token_pattern=r"(?u)\b[\w'’-]{3,}\b")
        vectorizer.fit(texts)
    except ValueError:
        return []
    candidates = [c for c in vectorizer.get_feature_names_out() if not re.fullmatch(r"[\d\W]+", c)]
    if not candidates:
        return []
    vectors = embeddings.encode(candidates)
    order = np.argsort(-(vectors @ centre))
    chosen: list[str] = []
    for index in order:
        phrase = candidates[index]
        words = set(phrase.casefold().split())
        if any(words & set(c.casefold().split()) for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == count:
            break
    return chosen


def sections(sentences: list[SummarySentence], limit: int = 4) -> list[Section]:
    """Group a story's sentences into a few topic sections, each labelled by its keyphrases."""
    if len(sentences) < 4:
        return []
    vectors = embeddings.encode([s.text for s in sentences])
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=SECTION_DISTANCE, metric="cosine",
                                     linkage="average").fit_predict(vectors)
    groups = sorted({int(label) for label in labels}, key=lambda g: -(labels == g).sum())[:limit]
    result = []
    for group in groups:
        members = [i for i, label in enumerate(labels) if label == group]
        if len(members) < 2:
            continue
        centre = vectors[members].mean(axis=0)
        centre /= np.linalg.norm(centre) + 1e-9
        label = " · ".join(keyphrases([sentences[i].text for i in members], centre, count=2))
        best = sorted(members, key=lambda i: -float(vectors[i] @ centre))[:3]
        result.append(Section(label, tuple(sentences[i] for i in sorted(best))))
    return result

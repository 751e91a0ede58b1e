"""Semantic search: articles ranked by the cosine of their stored vector to the query's, in the
multilingual space, so an English query finds Ukrainian or Spanish articles too. A hit under the
cosine fitted on NeuS train (`search-calibration.json`, `python -m bench.search calibrate`) is
no hit: multilingual-e5 puts even unrelated texts near 0.8, so a ranking alone always "finds"."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from storyline.analysis import embeddings
from storyline.records import ArticleFilters, SearchHit
from storyline.store import Store

CALIBRATION = Path(__file__).with_name("search-calibration.json")


@lru_cache(maxsize=1)
def threshold() -> float:
    return float(json.loads(CALIBRATION.read_text(encoding="utf-8"))["threshold"])


def _matching_sentence(text: str, query: str) -> str:
    """The article's sentence sharing most of the query's words (the first where none does)."""
    from storyline.analysis.sentences import split_sentences

    words = set(re.findall(r"\w{3,}", query.casefold()))
    sentences = split_sentences(text[:4000]) or [text[:300]]
    return max(sentences, key=lambda s: len(words & set(re.findall(r"\w{3,}", s.casefold()))))[:300]


def semantic_search(store: Store, query: str, limit: int = 20, filters: ArticleFilters = ArticleFilters()) -> list[SearchHit]:
    ids, vectors = store.article_vectors(filters)
    if not ids:
        return []
    scores = vectors @ embeddings.MULTILINGUAL.encode([query], query=True)[0]
    cut = threshold()
    ranked = sorted(((i, score) for i, score in zip(ids, scores.tolist(), strict=True) if score >= cut), key=lambda pair: -pair[1])[:limit]
    if not ranked:
        return []
    articles = {a.id: a for a in store.articles(ArticleFilters(ids=tuple(i for i, _score in ranked)), with_text=True, limit=len(ranked))}
    return [SearchHit("article", i, i, _matching_sentence(articles[i].text, query), round(score, 4), None).described(articles[i])
            for i, score in ranked]

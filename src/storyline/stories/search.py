"""Semantic search: articles ranked by the cosine of their stored vector to the query's, in the
multilingual space, so an English query finds Ukrainian or Spanish articles too."""

from __future__ import annotations

from storyline.analysis import embeddings
from storyline.records import SearchHit
from storyline.store import Store


def semantic_search(store: Store, query: str, limit: int = 20) -> list[SearchHit]:
    ids, vectors = store.article_vectors()
    if not ids:
        return []
    scores = vectors @ embeddings.MULTILINGUAL.encode([query], query=True)[0]
    ranked = sorted(zip(ids, scores.tolist(), strict=True), key=lambda pair: -pair[1])[:limit]
    return [SearchHit("article", i, i, store.article(i).title or "", round(score, 4), None) for i, score in ranked]

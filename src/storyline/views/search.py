"""Search, by words (the store's full-text index) or by meaning (article vectors, any language)."""

from __future__ import annotations

from storyline.records import SearchHit
from storyline.store import Store


def search_view(store: Store, query: str, semantic: bool = False, limit: int = 20) -> list[SearchHit]:
    if not query.strip():
        return []
    if semantic:
        from storyline.stories.search import semantic_search

        return semantic_search(store, query, limit)
    return store.search_text(query, limit)

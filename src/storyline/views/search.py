"""Search, by words (the store's full-text index) or by meaning (article vectors, any language)."""

from __future__ import annotations

from dataclasses import replace

from storyline.records import ArticleFilters, SearchHit
from storyline.store import Store


def search_view(store: Store, query: str, semantic: bool = False, limit: int = 20) -> list[SearchHit]:
    if not query.strip():
        return []
    if semantic:
        from storyline.stories.search import semantic_search

        return semantic_search(store, query, limit)
    hits = store.search_text(query, limit)
    articles = {a.id: a for a in store.articles(ArticleFilters(ids=tuple({h.article_id for h in hits})), limit=len(hits))} if hits else {}
    return [replace(h, title=a.title, outlet=a.outlet, published=a.published) if (a := articles.get(h.article_id)) else h for h in hits]

"""Search, by words (the store's full-text index) or by meaning (article vectors, any language)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from storyline.records import ArticleFilters, SearchHit
from storyline.store import Store


def search_view(store: Store, query: str, semantic: bool = False, limit: int = 20,
                filters: ArticleFilters = ArticleFilters()) -> list[SearchHit]:
    """Hits in the articles that match `filters`, each with its article's title, outlet, date,
    country and language."""
    if not query.strip():
        return []
    if semantic:
        from storyline.stories.search import semantic_search

        return semantic_search(store, query, limit, filters)
    hits = store.search_text(query, limit, filters)
    articles = {a.id: a for a in store.articles(ArticleFilters(ids=tuple({h.article_id for h in hits})), limit=len(hits))} if hits else {}
    return [h.described(a) if (a := articles.get(h.article_id)) else h for h in hits]


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]  # the page shown
    facets: dict[str, list[tuple[str, int]]]  # country, outlet, language (commonest first), year (latest first) -> values among the first FACET_HITS hits
    counted: int  # hits the facets count
    offset: int  # hits before this page
    capped: bool  # whether the search stopped at the hits it read, so that there may be more than `counted`

    @property
    def more(self) -> bool:
        """Whether a next page has hits."""
        return self.counted > self.offset + len(self.hits)


FACET_HITS = 200
FACET_VALUES = 12  # values shown per facet, the commonest


def search_page(store: Store, query: str, semantic: bool = False, limit: int = 20,
                filters: ArticleFilters = ArticleFilters(), offset: int = 0) -> SearchPage:
    """The `limit` hits after the first `offset`, and facets over the first FACET_HITS (over the
    hits read, for a search by meaning, which reads each hit's text to find its sentence): what
    narrowing by country, outlet, language or year would keep."""
    wanted = offset + limit + 1  # one past the page, to know whether another follows
    read = wanted if semantic else max(wanted, FACET_HITS)
    found = search_view(store, query, semantic, read, filters)
    facets = {name: Counter(value for h in found if (value := getattr(h, name))).most_common(FACET_VALUES) for name in ("country", "outlet", "language")}
    years = Counter(h.published[:4] for h in found if h.published and h.published[:4].isdigit())
    facets["year"] = sorted(years.items(), reverse=True)[:FACET_VALUES]  # the latest first
    return SearchPage(found[offset:offset + limit], facets, len(found), offset, len(found) >= read)

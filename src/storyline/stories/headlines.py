"""Headlines for stories and events: the title of the article nearest the group's centre, in
English where the article is English or its translation carries the title, and otherwise in
its own language with that language named, so a reader knows what was left untranslated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storyline.records import StoredArticle
from storyline.settings import settings


@dataclass(frozen=True)
class Headline:
    text: str
    article_id: int
    language: str | None = None  # the language the text stays in when no translation covers it; None for English


def english_title(article: StoredArticle, translated_title: str | None) -> Headline | None:
    """The article's title as an English reader gets it: its own, its translation, or its
    original marked with its language."""
    if not article.title:
        return None
    if article.language in ("en", None):
        return Headline(article.title, article.id)
    if translated_title:
        return Headline(translated_title, article.id)
    return Headline(article.title, article.id, article.language)


def _informative(article: StoredArticle, title: Headline) -> bool:
    """A title that says what happened: a few words, and not the outlet's own name (pages
    that title themselves "Daily Legal News")."""
    words = title.text.split()
    return len(words) >= settings().stories.headline_min_words and title.text.casefold() not in (article.outlet or "").casefold()


def headline(articles: Sequence[StoredArticle], translated_titles: Mapping[int, str],
             vectors: Mapping[int, np.ndarray]) -> Headline | None:
    """The best-placed title: informative first, then readable in English, then nearest the
    centre of the articles' vectors (an article without a vector counts as farthest)."""
    stacked = [vectors[a.id] for a in articles if a.id in vectors]
    centre = np.mean(stacked, axis=0) if stacked else None
    candidates = []
    for article in articles:
        title = english_title(article, translated_titles.get(article.id))
        if title is None:
            continue
        closeness = float(vectors[article.id] @ centre) if centre is not None and article.id in vectors else -np.inf
        candidates.append(((_informative(article, title), title.language is None, closeness), title))
    return max(candidates, key=lambda c: c[0])[1] if candidates else None

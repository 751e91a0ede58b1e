"""The list of stories and one story: summary with citations, sections, events, takes, who is quoted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.records import (
    ArticleFilters,
    StoredArticle,
    StoredParse,
    StoredStatement,
    StoryOverview,
    StorySection,
    SummarySentence,
    Translation,
)
from storyline.store import Store
from storyline.stories import DIGEST_RECIPE

if TYPE_CHECKING:
    import numpy as np

    from storyline.stories.headlines import Headline
    from storyline.stories.takes import Take


@dataclass(frozen=True)
class StoryCard:
    story: StoryOverview
    articles: list[StoredArticle]  # without text: what a list shows

    @property
    def coverage(self) -> list[tuple[str | None, int]]:
        return _by_country(self.articles)


@dataclass(frozen=True)
class StoriesView:
    cards: list[StoryCard]
    total: int  # before paging
    countries: list[tuple[str, int]]  # every country with how many stories it covered
    outlets: list[str]
    languages: list[str]


def stories_view(store: Store, filters: ArticleFilters = ArticleFilters(), limit: int | None = None, offset: int = 0) -> StoriesView:
    found = store.stories(filters, limit, offset)
    members = {a.id: a for a in store.articles(ArticleFilters(ids=tuple(i for s in found for i in s.articles)))}
    outlets, languages = store.facets()
    return StoriesView([StoryCard(s, [members[i] for i in s.articles if i in members]) for s in found], store.story_count(filters),
                       sorted(store.story_countries().items()), outlets, languages)


@dataclass(frozen=True)
class Event:
    id: int
    headline: Headline | None
    articles: list[StoredArticle]

    @property
    def date(self) -> str | None:
        return min((a.published[:10] for a in self.articles if a.published), default=None)

    @property
    def last_date(self) -> str | None:
        return max((a.published[:10] for a in self.articles if a.published), default=None)


@dataclass(frozen=True)
class Coverage:
    """A story's coverage at a glance: who covered it, and what only one country's outlets report."""

    countries: list[tuple[str | None, int]]  # articles by country, most first, unknown (None) last
    outlets: list[str]
    state_affiliated: list[str]  # the outlets among them marked state-affiliated
    only_in: list[tuple[str, tuple[str, ...]]]  # (country, speakers no other country's outlets quote), with 2+ countries


def _by_country(articles: list[StoredArticle]) -> list[tuple[str | None, int]]:
    """Articles by country, most first; None for outlets of no known country (last)."""
    return sorted(Counter(a.country for a in articles).items(), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or ""))


@dataclass(frozen=True)
class StoryView:
    story: StoryOverview
    articles: list[StoredArticle]  # in story order, with their text
    translations: dict[int, Translation]
    statements: list[StoredStatement]
    summary: list[SummarySentence]  # each citing its article and offsets
    event_of: dict[int, int]  # article id -> event id
    takes: list[Take]  # by country and outlet
    parses: dict[int, StoredParse]  # the articles' stored parses, read only where there is no digest
    vectors: dict[int, np.ndarray]  # the articles' stored vectors, by article id
    digested_sections: tuple[StorySection, ...] | None  # from the story's stored digest; None where it has none

    def sections(self) -> list[StorySection]:
        """Topic sections of the story's sentences: the stored digest's, or, where the digests stage
        has not run since the story changed, computed here from the stored parses (for the views
        that show them; the API's story does not)."""
        if self.digested_sections is not None:
            return list(self.digested_sections)
        from storyline.stories.digests import story_sections

        return story_sections(self.articles, self.translations, self.parses)

    @property
    def by_id(self) -> dict[int, StoredArticle]:
        return {a.id: a for a in self.articles}

    def source_sentence(self, article_id: int, start: int, end: int) -> str:
        """The sentence a summary sentence cites, as the outlet printed it (in its own language)."""
        source = self.by_id.get(article_id)
        return source.text[start:end] if source else ""

    def events(self) -> list[Event]:
        """The story's articles grouped by event, each under its headline, earliest event first."""
        from storyline.stories.headlines import headline

        grouped: dict[int, list[StoredArticle]] = {}
        for article in self.articles:
            grouped.setdefault(self.event_of.get(article.id, 0), []).append(article)
        titles = {i: t.title for i, t in self.translations.items() if t.title}
        events = [Event(event_id, headline(group, titles, self.vectors), group) for event_id, group in grouped.items()]
        return sorted(events, key=lambda event: min(a.published or "9999" for a in event.articles))

    def coverage(self) -> Coverage:
        from storyline.stories.takes import quoted_only_by

        country_of = {a.id: a.country for a in self.articles}
        quoted: dict[str, set[str]] = {}
        for statement in self.statements:
            if statement.actor_id is not None and (country := country_of.get(statement.article_id)):
                quoted.setdefault(country, set()).add(statement.speaker)
        only_in = quoted_only_by(quoted) if len(quoted) > 1 else {}
        outlets = sorted({a.outlet or a.outlet_domain for a in self.articles if a.outlet or a.outlet_domain})
        state = sorted({a.outlet or a.outlet_domain for a in self.articles if a.outlet_state_affiliated and (a.outlet or a.outlet_domain)})
        return Coverage(_by_country(self.articles), outlets, state, [(c, tuple(sorted(only))) for c, only in sorted(only_in.items()) if only])

    def speakers(self) -> list[tuple[tuple[int, str], int]]:
        """(actor id, name) of everyone quoted, with how often, most quoted first; unnamed sources are no one to list."""
        return Counter((s.actor_id, s.speaker) for s in self.statements if s.actor_id is not None).most_common()


def story_view(store: Store, story_id: int) -> StoryView | None:
    """One story, with the summary and sections its stored digest holds; a story changed since the
    digests stage last ran has its summary computed here (and its sections when a view asks)."""
    from storyline.stories.takes import takes

    story = store.story(story_id)
    if story is None:
        return None
    articles = [store.article(i) for i in story.articles]
    translations = store.translations(list(story.articles))
    said = store.statements(article_ids=story.articles)
    digest = store.story_digest(story_id, DIGEST_RECIPE)
    if digest is None:
        from storyline.analysis import ANALYSIS_VERSION
        from storyline.stories.summaries import story_summary

        summary, parses = story_summary(articles, translations), store.parses(story.articles, ANALYSIS_VERSION)
    else:
        summary, parses = list(digest.summary), {}
    return StoryView(story, articles, translations, said, summary, store.event_of_articles(story.articles), takes(articles, said),
                     parses, store.article_vectors_of(story.articles), digest.sections if digest else None)

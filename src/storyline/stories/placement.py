"""Placing one article: its vectors, the event and story line it joins, and story labels."""

from __future__ import annotations

import numpy as np

from storyline.analysis import ANALYSIS_VERSION, embeddings
from storyline.analysis.document import ParsedText
from storyline.records import (
    Representation,
    StoredArticle,
    StoredParse,
    StoryCluster,
    Translation,
)
from storyline.settings import settings
from storyline.store import Store
from storyline.stories.clustering import EVENT, STORY, Calibration, best_match
from storyline.stories.labels import keyphrases, phrases, text_phrases


def lead_text(article: StoredArticle, translation: Translation | None = None) -> str:
    """Title and lead: what the article is about, before the background paragraphs. From the
    English translation where there is one: it matches English coverage better than the
    original does across the language gap."""
    if translation is not None:
        return f"{article.title or ''}. {translation.text}"[:settings().stories.lead_characters]
    body = " ".join(article.text[p.start:p.end] for p in article.paragraphs if p.kind == "body")
    return f"{article.title or ''}. {body}"[:settings().stories.lead_characters]


def represent(article: StoredArticle, translation: Translation | None) -> Representation:
    lead = lead_text(article, translation)
    english = translation is not None or article.language in ("en", None)
    return Representation(embeddings.MULTILINGUAL.encode([lead])[0], embeddings.ENGLISH.encode([lead])[0] if english else None,
                          frozenset({"en" if english else article.language}))


class Storyteller:
    def __init__(self, store: Store, calibration: Calibration | None = None):
        self.store = store
        self.calibration = calibration or Calibration.calibrated()

    def place(self, article: StoredArticle, item: Representation) -> tuple[bool, bool]:
        """Put one article into an event and story line; (new event?, new story?)."""
        when = article.published[:10] if article.published else None
        actors = self.store.actor_ids_of_article(article.id)
        event, similarity = best_match(item, when, actors, self.store.events_near(when, EVENT.reach, settings().stories.candidates), EVENT, self.calibration)
        new_event = event is None
        if new_event:
            event = StoryCluster.empty(len(item.multilingual))
        event.add(item, when, actors)
        if event.story_id is not None:
            story = self.store.story_cluster(event.story_id)
        else:
            story, _ = best_match(event.representation(), when, actors, self.store.stories_near(when, STORY.reach, settings().stories.candidates),
                                  STORY, self.calibration)
        new_story = story is None
        if new_story:
            story = StoryCluster.empty(len(item.multilingual))
        story.add(item, when, actors)
        self.store.place_article(article.id, event, story, similarity)
        return new_event, new_story

    def label(self, article_ids: tuple[int, ...]) -> str:
        articles = [self.store.article(i) for i in article_ids]
        translations = self.store.translations(list(article_ids))
        leads = [lead_text(a, translations.get(a.id)) for a in articles]
        vectors = embeddings.ENGLISH.encode(leads)
        centre = vectors.mean(axis=0)
        documents = [f"{a.title or ''} {a.text}" for a in articles]
        stored = self.store.parses(article_ids, ANALYSIS_VERSION)
        found = [p for a, lead in zip(articles, leads, strict=True) for p in self._label_phrases(a, lead, stored.get(a.id))]
        return " · ".join(keyphrases(found, centre / (np.linalg.norm(centre) + 1e-9), documents))

    @staticmethod
    def _label_phrases(article: StoredArticle, lead: str, stored: StoredParse | None) -> list[frozenset[str]]:
        """Phrases of the title and of the lead's first characters, from the article's stored parse
        (parsed here only when there is none: an article in a language without a translation)."""
        shown = lead[:settings().summaries.label_lead_characters]
        parsed = ParsedText.from_stored(stored) if stored is not None else None
        if parsed is None or (parsed.title is None) == bool(article.title):
            return text_phrases([article.title or "", shown])
        starts = {p.start for p in article.paragraphs if p.kind == "body"} if parsed.source == "original" else None
        spans = parsed.leading(len(shown) - len(article.title or "") - 2, starts)
        title = phrases(parsed.title) if parsed.title is not None else frozenset()
        return [title, frozenset().union(*(phrases(span) for span in spans))]

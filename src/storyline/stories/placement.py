"""Placing one article: its vectors, and the event and story line it joins."""

from __future__ import annotations

import numpy as np

from storyline.analysis import embeddings
from storyline.records import Representation, StoredArticle, StoryCluster, Translation
from storyline.settings import settings
from storyline.store import Store
from storyline.stories.clustering import EVENT, STORY, Calibration, best_match


def lead_text(article: StoredArticle, translation: Translation | None = None) -> str:
    """Title and lead: what the article is about, before the background paragraphs. From the
    English translation where there is one: it matches English coverage better than the
    original does across the language gap."""
    if translation is not None:
        return f"{translation.title or article.title or ''}. {translation.text}"[:settings().stories.lead_characters]
    body = " ".join(article.text[p.start:p.end] for p in article.paragraphs if p.kind == "body")
    return f"{article.title or ''}. {body}"[:settings().stories.lead_characters]


def english_lead(article: StoredArticle, translation: Translation | None) -> str | None:
    """The lead the English model reads: an English article's or a translation's; None for others."""
    return lead_text(article, translation) if translation is not None or article.language in ("en", None) else None


def represent(articles: list[tuple[StoredArticle, Translation | None, np.ndarray | None]]) -> list[Representation]:
    """Articles' leads in both spaces, each space's leads encoded side by side (a lone text runs on
    one core); the third of each triple is the article's stored multilingual vector, where it has
    one (the multilingual encoder is the slow one)."""
    leads = [english_lead(article, translation) for article, translation, _stored in articles]
    english = iter(embeddings.ENGLISH.encode([lead for lead in leads if lead is not None]))
    multilingual = iter(embeddings.MULTILINGUAL.encode([lead_text(article, translation)
                                                        for article, translation, stored in articles if stored is None]))
    return [Representation(next(multilingual) if stored is None else stored, next(english) if lead is not None else None,
                           frozenset({"en" if lead is not None else article.language}))
            for (article, _translation, stored), lead in zip(articles, leads, strict=True)]


def multilingual_vector(article: StoredArticle, translation: Translation | None) -> np.ndarray:
    """The article's lead in the space shared by every language: the one stored, and the cost."""
    return embeddings.MULTILINGUAL.encode([lead_text(article, translation)])[0]


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

"""The stories job: each analysed article not yet in a story is embedded and placed, one at a time."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from storyline.analysis import embeddings
from storyline.records import StoredArticle, StoryCluster
from storyline.store import Store
from storyline.stories.clustering import EVENT, STORY, Thresholds, best_match
from storyline.stories.labels import keyphrases

CANDIDATES = 200  # events or stories an article is compared with, at most
LEAD_CHARACTERS = 1000


@dataclass
class StoriesReport:
    articles: int = 0
    new_events: int = 0
    new_stories: int = 0
    seconds: float = 0.0


def lead_text(article: StoredArticle) -> str:
    """Title and lead: what the article is about, before the background paragraphs."""
    body = " ".join(article.text[p.start:p.end] for p in article.paragraphs if p.kind == "body")
    return f"{article.title or ''}. {body}"[:LEAD_CHARACTERS]


class Storyteller:
    def __init__(self, store: Store, thresholds: Thresholds | None = None):
        self.store = store
        self.thresholds = thresholds or Thresholds.calibrated()

    def place(self, article: StoredArticle, vector: np.ndarray) -> tuple[bool, bool]:
        """Put one article into an event and story line; (new event?, new story?)."""
        when = article.published[:10] if article.published else None
        actors = self.store.actor_ids_of_article(article.id)
        event, similarity = best_match(vector, when, actors, self.store.events_near(when, EVENT.reach, CANDIDATES),
                                       self.thresholds.event, EVENT)
        new_event = event is None
        if new_event:
            event = StoryCluster(None, np.zeros_like(vector), 0)
        event.add(vector, when, actors)
        if event.story_id is not None:
            story = self.store.story_cluster(event.story_id)
        else:
            story, _ = best_match(event.centroid, when, actors, self.store.stories_near(when, STORY.reach, CANDIDATES),
                                  self.thresholds.story, STORY)
        new_story = story is None
        if new_story:
            story = StoryCluster(None, np.zeros_like(vector), 0)
        story.add(vector, when, actors)
        self.store.place_article(article.id, event, story, similarity)
        return new_event, new_story

    def run(self, on_total: Callable[[int], None] = lambda n: None, on_article: Callable[[int], None] = lambda i: None) -> StoriesReport:
        started = time.perf_counter()
        report = StoriesReport()
        ids = self.store.article_ids_to_cluster()
        on_total(len(ids))
        for article_id in ids:
            article = self.store.article(article_id)
            [vector] = embeddings.encode([lead_text(article)])
            self.store.save_article_vector(article_id, embeddings.EMBEDDING_MODEL, vector)
            new_event, new_story = self.place(article, vector)
            report.articles += 1
            report.new_events += new_event
            report.new_stories += new_story
            on_article(article_id)
        placed = set(ids)
        for story in self.store.stories():
            if story.label == "" or placed.intersection(story.articles):
                self.store.set_story_label(story.id, self.label(story.articles))
        report.seconds = time.perf_counter() - started
        return report

    def label(self, article_ids: tuple[int, ...]) -> str:
        articles = [self.store.article(i) for i in article_ids]
        leads = [lead_text(a) for a in articles]
        vectors = embeddings.encode(leads)
        centre = vectors.mean(axis=0)
        documents = [f"{a.title or ''} {a.text}" for a in articles]
        return " · ".join(keyphrases([a.title or "" for a in articles] + [lead[:400] for lead in leads],
                                     centre / (np.linalg.norm(centre) + 1e-9), documents))

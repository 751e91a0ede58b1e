"""Stories: each analysed article not yet in a story is embedded and placed, one at a time; the
story lines that changed get their headline again."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.jobs.contract import Job, StageReport
from storyline.store import Store


def embed_and_keep(store: Store, article_id: int) -> bool:
    """One article's multilingual vector, most of the time placing it takes, computed by any queue
    worker and kept for the placement (the one writer). False when one is kept already."""
    from storyline.analysis import embeddings
    from storyline.stories.placement import multilingual_vector

    article = store.article(article_id)
    if article is None or store.article_vectors_of([article_id]):
        return False
    store.save_article_vector(article_id, embeddings.MULTILINGUAL.name, multilingual_vector(article, store.translation(article_id)))
    return True


class StoriesJob(Job):
    name = "stories"
    title = "Stories"
    batch_size = 8  # articles a process() call places, their leads encoded side by side first

    def __init__(self, store: Store):
        from storyline.stories.placement import Storyteller

        super().__init__(store)
        self.teller = Storyteller(store)

    def prepare(self) -> None:
        from storyline.analysis import embeddings

        if self.store.story_encoder() not in (None, embeddings.MULTILINGUAL.name):
            self.store.clear_stories()  # vectors from another model do not compare with this one's

    def pending(self) -> Sequence[int]:
        return self.store.article_ids_to_cluster()

    def process(self, batch: Sequence[int], report: StageReport) -> None:
        from storyline.analysis import embeddings
        from storyline.stories.placement import represent

        stored = self.store.article_vectors_of(batch)  # kept when stories are placed afresh
        found = [(self.store.article(article_id), self.store.translation(article_id), stored.get(article_id)) for article_id in batch]
        # Articles are placed one after another, their leads read side by side first.
        for article_id, (article, _translation, _stored), item in zip(batch, found, represent(found), strict=True):
            if article_id not in stored:
                self.store.save_article_vector(article_id, embeddings.MULTILINGUAL.name, item.multilingual)
            new_event, new_story = self.teller.place(article, item)
            report.counts["articles"] += 1
            report.counts["new_events"] += new_event
            report.counts["new_stories"] += new_story
            self.done.add(article_id)  # placed: a retry of this batch leaves it out

    def finish(self, report: StageReport) -> None:
        from storyline.records import ArticleFilters
        from storyline.stories.headlines import headline

        for story in self.store.stories_to_label(self.done):
            articles = self.store.articles(ArticleFilters(ids=story.articles))
            chosen = headline(articles, self.store.translated_titles(story.articles), self.store.article_vectors_of(story.articles))
            self.store.set_story_label(story.id, chosen.text if chosen else "", chosen.language if chosen else None)

    def describe(self, report: StageReport) -> None:
        if report.counts["articles"]:
            report.summary.append(f"Placed {report.counts['articles']} article(s) in stories: {report.counts['new_events']} new "
                                  f"event(s), {report.counts['new_stories']} new story line(s), in {report.seconds:.1f} s.")

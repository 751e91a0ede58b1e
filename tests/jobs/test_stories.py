"""The stories stage places articles one after another, a batch at a time (their leads encoded
side by side first): a batch that fails is tried again an article at a time, and the articles
placed before the failure stay placed, once."""

from __future__ import annotations

from storyline.analysis import embeddings
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.store import Store
from storyline.stories.placement import Storyteller
from tests.conftest import SEEDS


def test_an_article_whose_placement_fails_costs_only_itself(tmp_path, monkeypatch):
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=["statements"])  # an article is placed once read: its speakers weigh in
        ids = sorted(a.id for a in store.articles())
        broken = ids[2]  # the batch holds all five seeds: some are placed before it fails
        place = Storyteller.place

        def failing(self, article, item):
            if article.id == broken:
                raise RuntimeError("this article cannot be placed")
            return place(self, article, item)

        monkeypatch.setattr(Storyteller, "place", failing)
        [report] = update(store, only=["stories"])
        assert [key for key, _reason in report.failures] == [f"article {broken}"]
        assert report.counts["articles"] == len(ids) - 1
        assert sorted(i for story in store.stories() for i in story.articles) == [i for i in ids if i != broken]


def test_a_batchs_multilingual_leads_are_encoded_side_by_side_once(tmp_path, monkeypatch):
    """A lone text runs on one core; the batch's leads go to the encoder together, so they run one
    a core, once each."""
    encode = embeddings.MULTILINGUAL._load()
    asked: list[int] = []
    counted = embeddings.Encoder(embeddings.MULTILINGUAL.name, embeddings.DIMENSIONS,
                                 lambda: lambda texts, query: asked.append(len(texts)) or encode(texts, query))
    monkeypatch.setattr(embeddings, "MULTILINGUAL", counted)
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=["statements"])
        [report] = update(store, only=["stories"])
        assert report.counts["articles"] == 5
        assert asked == [5]
        assert len(store.article_vectors()[0]) == 5

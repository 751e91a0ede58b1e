"""Stories on the seeds: events, one story line, cited summaries, takes and search, built incrementally."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from bench.data import eval_data_dir
from bench.stories import b_cubed
from storyline.jobs.contract import UpdateOptions
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.records import ArticleFilters, Representation, StoryCluster
from storyline.store import Store
from storyline.stories.clustering import EVENT, Calibration, best_match, cluster_offline
from storyline.stories.summaries import body_sentences, summarize
from storyline.stories.takes import takes
from storyline.views.stories import story_view
from tests.conftest import SEEDS, world_page


@pytest.fixture(scope="module")
def storied(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("stories") / "seeds.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=("statements", "stories"))
        names = {Path(a.origin).name[:3]: a.id for a in store.articles()}
        yield store, names


def test_seed_events_differ_and_one_story_line_links_them_all(storied):
    store, ids = storied
    events = store.event_of_articles()
    assert events[ids["002"]] != events[ids["003"]], "December 2025 Berlin talks and February 2022 remarks are different events"
    assert events[ids["002"]] != events[ids["001"]]
    [story] = store.stories()
    assert set(story.articles) == set(ids.values())
    assert story.first_date == "2022-02-14" and story.last_date == "2025-12-14"


def test_a_story_and_its_events_are_headed_by_their_most_central_titles(storied):
    """A label a reader takes in at a glance is a headline, not keywords: the title of an
    article near the middle of the story, in English here since every seed is."""
    store, _ids = storied
    [story] = store.stories()
    articles = {a.id: a for a in store.articles(ArticleFilters(ids=story.articles))}
    by_title = {a.title: a for a in articles.values()}
    assert story.label in by_title and story.label_language is None
    vectors = store.article_vectors_of(story.articles)
    centre = np.mean(list(vectors.values()), axis=0)
    closeness = sorted((float(v @ centre) for v in vectors.values()), reverse=True)
    assert float(vectors[by_title[story.label].id] @ centre) >= closeness[len(closeness) // 2]
    events = story_view(store, story.id).events()
    assert len(events) == len(set(store.event_of_articles(story.articles).values())) >= 2
    assert all(e.headline.text in {a.title for a in e.articles} and e.headline.language is None for e in events)
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_sections_group_cited_sentences_under_phrases_they_use(storied):
    store, _ids = storied
    [story] = store.stories()
    view = story_view(store, story.id)
    found = view.sections()
    assert len(found) >= 2
    for section in found:
        assert len(section.sentences) >= 2
        assert all(view.by_id[s.article_id].text[s.start:s.end] == s.text for s in section.sentences)
        for phrase in filter(None, section.label.split(" · ")):
            # A name or a phrase of several words, that the section's sentences use: never a lone common word.
            assert " " in phrase or phrase[0].isupper(), section.label
            assert any(phrase.casefold() in s.text.casefold() for s in section.sentences), section.label


def test_a_story_in_a_language_nothing_translates_says_so(tmp_path):
    """A Ukrainian page (the Media Cloud sample) with no Ukrainian backend installed: its title
    heads the story marked as Ukrainian, and its summary sentences are marked too."""
    _url, page = world_page("zaxid.net")
    (tmp_path / "zaxid.html").write_bytes(page)
    with Store(tmp_path / "uk.db") as store:
        Ingestor(store).run([str(tmp_path / "zaxid.html")])
        update(store, only=("translate", "statements", "stories"))
        [story] = store.stories()
        [article] = store.articles()
        assert (story.label, story.label_language) == (article.title, "uk")
        summary = story_view(store, story.id).summary
        assert summary and all(s.language == "uk" and s.translated_by is None for s in summary)


def test_summary_sentences_are_cited_body_sentences(storied, gold):
    store, _ids = storied
    [story] = store.stories()
    articles = [store.article(i) for i in story.articles]
    summary = summarize(articles)
    assert len(summary) == 5
    boilerplate = {line for a in gold["articles"].values() for line in a.get("boilerplate_lines", [])}
    by_id = {a.id: a for a in articles}
    for sentence in summary:
        article = by_id[sentence.article_id]
        assert article.text[sentence.start:sentence.end] == sentence.text
        assert any(p.kind == "body" and p.start <= sentence.start and sentence.end <= p.end for p in article.paragraphs)
        assert sentence.text not in boilerplate
    assert len({s.text for s in summary}) == len(summary)
    assert len({s.article_id for s in summary}) >= 3, "a story summary draws on several outlets"


def test_photo_captions_are_not_summary_material(storied):
    store, ids = storied
    newsweek = store.article(ids["003"])
    assert not any("Getty Images" in s.text or "TOBIAS SCHWARZ" in s.text for s in body_sentences(newsweek))


def test_takes_mark_state_outlets_and_what_only_they_carry(storied):
    store, _ids = storied
    [story] = store.stories()
    articles = [store.article(i) for i in story.articles]
    found = {t.outlet: t for t in takes(articles, [s for s in store.statements() if s.article_id in story.articles])}
    fars = found["Fars News Agency"]
    assert fars.country == "IR" and fars.state_affiliated
    assert "Anders Fogh Rasmussen" in fars.only_here and "Dmitry Peskov" in fars.left_out
    assert "Dmitry Peskov" in found["Al Jazeera"].speakers


def test_full_text_search_over_articles_and_statements(storied):
    store, ids = storied
    hits = store.search_text("Perebeinis")
    assert {h.kind for h in hits} == {"article", "statement"}
    assert {h.article_id for h in hits} == {ids["000"]}
    # Diacritics and case do not matter; a redone analysis leaves no stale statement in the index.
    before = len(store.search_text("zelenskyy"))
    update(store, UpdateOptions(redo=True), only=("statements",))
    assert len(store.search_text("ZELENSKYY")) == before


def test_adding_an_article_places_it_without_reclustering(storied):
    store, _ids = storied
    before = store.event_of_articles()
    page = eval_data_dir() / "extraction-scrapinghub" / "html" / "098bb3e96c0acdf36efdcde45fb9cca3f8c82c7cb2071b76097a1b96155f1eb2.html.gz"
    assert gzip.open(page).read()
    Ingestor(store).run([str(page)])
    report = update(store, only=("statements", "stories"))[-1]
    assert report.counts["articles"] == 1 and report.counts["new_stories"] == 1, "an unrelated page starts its own story"
    after = store.event_of_articles()
    assert {k: after[k] for k in before} == before
    assert update(store, only=("stories",))[0].counts["articles"] == 0


def _unit_rows(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_online_clustering_and_b_cubed():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16))
    vectors = _unit_rows(np.vstack([c + 0.05 * rng.normal(size=16) for c in centres for _ in range(4)]))
    gold = [i // 4 for i in range(12)]
    calibration = Calibration({"event": 0.9, "story": 0.9}, {"event": 0.9, "story": 0.9})
    items = [Representation(v, v, frozenset({"en"})) for v in vectors]
    assert b_cubed(cluster_offline(items, calibration), gold).f1 == 1.0
    lumped = b_cubed([0] * 12, gold)
    assert lumped.recall == 1.0 and lumped.precision == pytest.approx(1 / 3)


def test_english_pairs_use_the_english_space_and_other_languages_the_multilingual_one_with_an_offset():
    rng = np.random.default_rng(1)
    english_event, multilingual_event, elsewhere = _unit_rows(rng.normal(size=(3, 16)))
    cluster = StoryCluster.empty(16)
    cluster.add(Representation(multilingual_event, english_event, frozenset({"en"})), None, set())
    calibration = Calibration({"event": 0.8, "story": 0.8}, {"event": 0.8, "story": 0.8}, crosslingual_offset=0.0)
    # English text is judged in the English space, whatever the multilingual vector says.
    assert best_match(Representation(elsewhere, english_event, frozenset({"en"})), None, set(), [cluster], EVENT, calibration)[0] is cluster
    assert best_match(Representation(multilingual_event, elsewhere, frozenset({"en"})), None, set(), [cluster], EVENT, calibration)[0] is None
    # Ukrainian text has no English vector: the multilingual space decides, and a cross-language
    # pair, which scores lower than the same pair in one language, gets the calibrated offset.
    near = _unit_rows((multilingual_event + 1.5 * elsewhere)[None, :])[0]
    ukrainian = Representation(near, None, frozenset({"uk"}))
    cosine = float(near @ cluster.centroid)
    assert 0.5 < cosine < 0.8
    assert best_match(ukrainian, None, set(), [cluster], EVENT, calibration)[0] is None
    lifted = Calibration(calibration.english, calibration.multilingual, crosslingual_offset=0.85 - cosine)
    assert best_match(ukrainian, None, set(), [cluster], EVENT, lifted)[0] is cluster
    same_language = StoryCluster.empty(16)
    same_language.add(Representation(multilingual_event, None, frozenset({"uk"})), None, set())
    assert best_match(ukrainian, None, set(), [same_language], EVENT, lifted)[0] is None, "no offset within one language"

"""Story digests: a story's summary and sections are computed by the update when its articles
change, and its page then encodes nothing, yet shows what it would compute itself."""

from __future__ import annotations

import shutil

from storyline.analysis import ANALYSIS_VERSION, embeddings
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.store import Store
from storyline.stories import DIGEST_RECIPE
from storyline.stories.digests import story_sections
from storyline.stories.summaries import story_summary
from storyline.views.stories import story_view
from tests.conftest import SEEDS


def _computed_here(store: Store, story_id: int):
    """The summary and sections as a page computes them where no digest holds them."""
    story = store.story(story_id)
    articles = [store.article(i) for i in story.articles]
    translations = store.translations(list(story.articles))
    return story_summary(articles, translations), story_sections(articles, translations,
                                                                          store.parses(story.articles, ANALYSIS_VERSION))


def test_a_story_page_reads_its_digest_and_an_article_joining_makes_it_stale(tmp_path, monkeypatch):
    seeds = sorted(SEEDS.glob("*.txt"))
    first = tmp_path / "first"
    first.mkdir()
    for path in seeds[:-1]:
        shutil.copy(path, first)
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(first)])
        update(store)
        assert store.stories_to_digest(DIGEST_RECIPE) == []
        [story] = store.stories()
        summary, sections = _computed_here(store, story.id)
        assert summary and sections

        def refuse(*_args, **_kwargs):
            raise AssertionError("a story page with a fresh digest encodes nothing")

        with monkeypatch.context() as patched:
            patched.setattr(type(embeddings.ENGLISH), "encode", refuse)  # either encoder
            view = story_view(store, story.id)
            assert view.summary == summary and view.sections() == sections

        Ingestor(store).run([str(seeds[-1])])
        update(store, only=("statements", "stories"))
        [story] = store.stories()
        assert len(story.articles) == len(seeds), "the last seed joins the story"
        assert [i for i, _inputs in store.stories_to_digest(DIGEST_RECIPE)] == [story.id]
        assert store.story_digest(story.id, DIGEST_RECIPE) is None, "a digest of four articles is not shown for five"
        summary, sections = _computed_here(store, story.id)
        view = story_view(store, story.id)
        assert view.summary == summary and view.sections() == sections, "computed on the page until the update runs"

        update(store, only=("digests",))
        assert store.stories_to_digest(DIGEST_RECIPE) == []
        digest = store.story_digest(story.id, DIGEST_RECIPE)
        assert list(digest.summary) == summary and list(digest.sections) == sections


def test_a_lone_report_is_summarised_by_its_lead_without_a_model(tmp_path, monkeypatch):
    """Most stories of a fresh store have one article: its digest costs no encoding."""
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], lone)
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(lone)])
        update(store, only=("statements", "stories"))
        [story] = store.stories()
        [article] = [store.article(i) for i in story.articles]

        def refuse(*_args, **_kwargs):
            raise AssertionError("a lone report's digest encodes nothing")

        with monkeypatch.context() as patched:
            patched.setattr(type(embeddings.ENGLISH), "encode", refuse)
            update(store, only=("digests",))
        digest = store.story_digest(story.id, DIGEST_RECIPE)
        first = next(sentence for p in article.paragraphs if p.kind == "body"
                     for sentence in (s.strip() for s in article.text[p.start:p.end].split(". ")) if 8 <= len(sentence.split()) <= 60)
        assert len(digest.summary) == 5 and digest.sections == ()
        assert [s.start for s in digest.summary] == sorted(s.start for s in digest.summary)
        assert digest.summary[0].text.rstrip(".") == first.rstrip("."), "the summary opens with the report's first sentence"
        assert len({s.text.casefold() for s in digest.summary}) == 5
        assert all(article.text[s.start:s.end] == s.text for s in digest.summary)
        assert store.story_digest(story.id, DIGEST_RECIPE - 1) is None, "a digest another recipe made is not shown"
        assert [i for i, _inputs in store.stories_to_digest(DIGEST_RECIPE + 1)] == [story.id], "and is made again"

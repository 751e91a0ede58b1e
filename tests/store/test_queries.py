"""Reads with filters, pages and counts in SQL give what filtering the whole table would."""

import pytest

from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.records import ArticleFilters
from storyline.store import Store
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def placed(tmp_path_factory) -> Store:
    with Store(tmp_path_factory.mktemp("queries") / "seeds.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=("statements", "stories"))
        yield store


def test_article_pages_and_counts_match_the_whole_list(placed):
    everything = placed.articles()
    assert placed.article_count() == len(everything) == 5
    assert [a.id for a in placed.articles(limit=2, offset=1)] == [a.id for a in everything[1:3]]
    for article in everything:
        if article.country:
            chosen = ArticleFilters(country=article.country.lower())
            expected = [a.id for a in everything if a.country == article.country]
            assert [a.id for a in placed.articles(chosen)] == expected and placed.article_count(chosen) == len(expected)
    assert placed.articles(ArticleFilters(since="2025-01-01")) == [a for a in everything if (a.published or "") >= "2025-01-01"]
    for article in (a for a in everything if a.published):
        day = article.published[:10]
        assert article in placed.articles(ArticleFilters(since=day, until=day)), "a day's range holds that day, at any hour"


def test_story_filters_keep_exactly_the_stories_that_match(placed):
    everything = placed.stories()
    countries = {c for s in everything for c in s.countries}
    assert countries, "the seeds' stories have countries"
    for country in countries | {"ZZ"}:
        chosen = placed.stories(ArticleFilters(country=country))
        assert [s.id for s in chosen] == [s.id for s in everything if country in s.countries]
        assert placed.story_count(ArticleFilters(country=country)) == len(chosen)
    speaker = placed.statements()[0].speaker
    quoted = placed.stories(ArticleFilters(actor=speaker.split()[-1]))
    assert quoted and all(set(s.articles) & {st.article_id for st in placed.statements() if st.speaker == speaker} for s in quoted)
    assert placed.stories(ArticleFilters(since="2999-01-01")) == []
    for story in (s for s in everything if s.first_date):
        assert story in placed.stories(ArticleFilters(until=story.first_date[:10])), "the day a story starts is in a range to that day"
    assert placed.story(everything[0].id) == everything[0] and placed.story(10**6) is None


def test_statements_of_some_articles_only(placed):
    first = placed.articles()[0].id
    assert placed.statements(article_ids=[first]) == [s for s in placed.statements() if s.article_id == first]
    assert placed.statement_count(article_ids=[first]) == len(placed.statements(article_ids=[first]))


def test_a_typed_name_finds_its_actors_by_any_spelling(placed):
    names = {a.id: a.name for a in placed.actors()}
    zelenskyy = [i for i, n in names.items() if n == "Volodymyr Zelenskyy"]
    assert zelenskyy and set(zelenskyy) <= set(placed.actor_ids_named("Zelensky"))
    assert set(zelenskyy) <= set(placed.actor_ids_named("Зеленський")), "across scripts"
    kulebas = {n for i, n in names.items() if i in placed.actor_ids_named("Kuleba")}
    assert {"Dmytro Kuleba", "Oleksii Kuleba"} <= kulebas
    assert {names[i] for i in placed.actor_ids_named("Dmytro Kuleba")} == {"Dmytro Kuleba"}
    assert placed.actor_ids_named("Nobody Atall") == []

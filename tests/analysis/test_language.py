"""Language per article and per paragraph, on real pages."""

from __future__ import annotations

from dataclasses import replace

from storyline.analysis.language import identify_languages
from storyline.ingest.article import build_article
from storyline.records import GivenMetadata, RawDocument, StoredArticle
from storyline.settings import settings
from tests.conftest import world_page


def _article(host: str):
    url, data = world_page(host)
    return build_article(RawDocument(origin=url, data=data, kind_hint="html", given=GivenMetadata(url=url)), max_bytes=settings().ingest.max_bytes)


def test_each_paragraph_of_a_mixed_page_gets_its_own_language(seed_articles):
    """An aggregator's page: the Ukrainian original above the English report (two real texts)."""
    ukrainian, english = _article("zaxid.net"), seed_articles["003_b7ca6e5cc61d3e62.txt"]
    text = ukrainian.text + "\n\n" + english.text
    shift = len(ukrainian.text) + 2
    paragraphs = (*ukrainian.paragraphs, *(replace(p, index=p.index + 100, start=p.start + shift, end=p.end + shift)
                                           for p in english.paragraphs))
    guess, tagged = identify_languages(text, paragraphs)
    first = {p.language for p in tagged[:len(ukrainian.paragraphs)]} - {None}
    second = {p.language for p in tagged[len(ukrainian.paragraphs):]} - {None}
    assert first == {"uk"} and second == {"en"}
    assert guess.code == "en"  # the English report is the longer part
    alone, _ = identify_languages(english.text, english.paragraphs)
    assert guess.confidence < alone.confidence  # half in another language is not a confident guess
    stored = StoredArticle(id=1, origin="x", url=None, title=None, text=text, paragraphs=tagged, outlet=None, outlet_domain=None,
                           outlet_state_affiliated=False, outlet_evidence=None, country=None, language=guess.code,
                           language_confidence=guess.confidence, published=None, published_confidence=0.0, published_method="",
                           published_evidence="", author=None, word_count=0, raw_kind="text", ingested_at=None)
    assert stored.languages() == ("en", "uk")


def test_paragraphs_too_short_to_judge_have_no_language_of_their_own():
    article = _article("aif.ru")  # section headings such as «Аресты и высылки»
    guess, tagged = identify_languages(article.text, article.paragraphs)
    assert guess.code == "ru"
    short = [p for p in tagged if sum(ch.isalpha() for ch in article.text[p.start:p.end]) < 40]
    assert short and all(p.language is None for p in short)
    assert all(p.language == "ru" for p in tagged if p not in short)


def test_an_empty_paragraph_list_falls_back_to_the_whole_text():
    article = _article("tvn24.pl")
    guess, tagged = identify_languages(article.text, ())
    assert guess.code == "pl" and tagged == ()

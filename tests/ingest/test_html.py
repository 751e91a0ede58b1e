"""Pages that are no news article are refused with the reason, on real pages from the Media Cloud
sample; articles that also name a list or an event in their metadata are kept."""

from __future__ import annotations

import pytest

from storyline.ingest.article import build_article
from storyline.ingest.errors import IngestError
from storyline.records import GivenMetadata, RawDocument
from tests.conftest import world_page


def _build(host: str):
    url, page = world_page(host)
    return build_article(RawDocument(origin=url, data=page, kind_hint="html", given=GivenMetadata(url=url)), max_bytes=10_000_000)


@pytest.mark.parametrize("host,reason", [("oshiete.goo.ne.jp", "question-and-answer page"), ("96fm.ie", "front page"),
                                         ("hypixel.net", "letters of text|no article text"), ("feedproxy.google.com/~r/NoticiaAlDia", "index of articles")])
def test_a_page_that_is_no_article_is_refused_with_its_reason(host, reason):
    with pytest.raises(IngestError, match=reason):
        _build(host)


@pytest.mark.parametrize("host", ["lexpress.fr", "kiow.com", "ltn.com.tw", "money.udn.com"])
def test_articles_naming_a_list_or_an_event_or_written_without_spaces_are_kept(host):
    """L'Express names an ItemList beside its NewsArticle, KIOW an Event only; the Chinese reports
    have few "words" but hundreds of letters."""
    assert _build(host).text

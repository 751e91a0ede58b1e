"""Publication dates and languages on htmldate's Media Cloud 2020 world-news sample, through the
whole ingest path.

The data set labels dates only. Its language labels (`labels/dates-mediacloud-languages.json`)
are ours: each page's `<html lang>` where it agrees with the text, and a reading of the text
where the attribute is missing or is a template's default (seven Spanish, Gujarati, Romanian,
Portuguese, French and Bosnian pages declare "en").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import htmldate

from bench.data import eval_data_dir
from storyline.analysis.language import identify_languages
from storyline.ingest.article import build_article
from storyline.ingest.decoding import decode_bytes
from storyline.ingest.errors import IngestError
from storyline.records import Article, GivenMetadata, RawDocument
from storyline.settings import settings

DATASET = "dates-mediacloud"
REFERENCE = {"htmldate extensive (published, 1,000 pages)": 0.903, "newspaper4k / news-please (published)": 0.68}
LANGUAGES = Path(__file__).with_name("labels") / "dates-mediacloud-languages.json"
# Ours: which of the pages are news articles at all (six are not: a forum thread, two front pages,
# a Q&A question, a bot wall, a registry entry), each with why.
ARTICLES = Path(__file__).with_name("labels") / "dates-mediacloud-articles.json"


@dataclass(frozen=True)
class DatesResult:
    pages: int
    storyline_accuracy: float
    storyline_unknown: int
    htmldate_accuracy: float
    language_pages: int
    language_accuracy: float
    mixed_pages: int
    article_pages: int  # pages our labels call news articles
    article_accuracy: float  # day accuracy on those (a non-article refused has no date to be right about)


@dataclass(frozen=True)
class Page:
    url: str
    data: bytes
    date: str
    language: str | None
    article: bool = True
    file: str = ""  # its name in the data set's html/ folder


def load_pages(limit: int | None = None) -> list[Page]:
    root = eval_data_dir() / DATASET
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    languages = json.loads(LANGUAGES.read_text(encoding="utf-8"))
    articles = json.loads(ARTICLES.read_text(encoding="utf-8"))
    return [
        Page(url, (root / "html" / item["file"]).read_bytes(), item["date"], languages.get(item["file"], {}).get("language"),
             articles[item["file"]]["article"], item["file"])
        for url, item in sorted(labels.items(), key=lambda kv: kv[1]["file"])[:limit]
    ]


@lru_cache(maxsize=512)
def ingested(url: str, data: bytes) -> Article | IngestError:
    """A page through the whole ingest path with its URL given, or why ingest refused it: the
    dates, identity, article and story evaluations read the same pages, and build each once."""
    try:
        return build_article(RawDocument(origin=url, data=data, kind_hint="html", given=GivenMetadata(url=url)),
                             max_bytes=settings().ingest.max_bytes)
    except IngestError as error:
        return error


def _ours(page: Page) -> tuple[str | None, str | None, int]:
    """(day, language, languages on the page) as ingest finds them."""
    article = ingested(page.url, page.data)
    if isinstance(article, IngestError):
        return None, None, 0
    language, paragraphs = identify_languages(article.text, article.paragraphs)
    iso = article.published.iso
    mixed = len({p.language for p in paragraphs if p.language and p.end - p.start >= 200})
    return (iso[:10] if iso else None), language.code, mixed


@dataclass(frozen=True)
class IdentityResult:
    """Pages ingested with no URL given: how often their own address stands in for it."""

    pages: int
    own_address: int  # a canonical link or og:url was found
    same_url: int  # ... and it is the address the data set lists (scheme, www. and a trailing slash aside)
    same_site: int  # ... or at least on the same host
    country_given: int  # pages with a country when the listed URL is given
    country_agrees: int  # ... whose country without the URL is the same
    country_without: int  # pages with any country at all without the URL


def _host_path(url: str | None) -> tuple[str, str]:
    parts = urlsplit(url or "")
    return (parts.hostname or "").removeprefix("www."), parts.path.rstrip("/")


def identity(limit: int | None = None) -> IdentityResult:
    counts = dict.fromkeys(("own_address", "same_url", "same_site", "country_given", "country_agrees", "country_without"), 0)
    pages = load_pages(limit)
    for page in pages:
        given = ingested(page.url, page.data)
        if isinstance(given, IngestError):
            continue
        try:
            alone = build_article(RawDocument(origin=page.url, data=page.data, kind_hint="html"), max_bytes=settings().ingest.max_bytes)
        except IngestError:
            continue
        counts["own_address"] += alone.url is not None
        counts["same_url"] += alone.url is not None and _host_path(alone.url) == _host_path(page.url)
        counts["same_site"] += alone.url is not None and _host_path(alone.url)[0] == _host_path(page.url)[0]
        counts["country_given"] += given.country is not None
        counts["country_agrees"] += given.country is not None and alone.country == given.country
        counts["country_without"] += alone.country is not None
    return IdentityResult(pages=len(pages), **counts)


def _htmldate_alone(url: str, data: bytes) -> str | None:
    html, _ = decode_bytes(data)
    return htmldate.find_date(html, url=url, extensive_search=True, original_date=True)


def evaluate(limit: int | None = None) -> DatesResult:
    pages = load_pages(limit)
    ours = [_ours(page) for page in pages]
    alone = [_htmldate_alone(page.url, page.data) for page in pages]
    labelled = [(found[1], page.language) for found, page in zip(ours, pages, strict=True) if page.language and page.article]
    articles = [(found[0], page.date) for found, page in zip(ours, pages, strict=True) if page.article]
    return DatesResult(
        pages=len(pages),
        storyline_accuracy=sum(found[0] == page.date for found, page in zip(ours, pages, strict=True)) / len(pages),
        storyline_unknown=sum(found[0] is None for found in ours),
        htmldate_accuracy=sum(a == page.date for a, page in zip(alone, pages, strict=True)) / len(pages),
        language_pages=len(labelled),
        language_accuracy=sum(found == gold for found, gold in labelled) / max(1, len(labelled)),
        mixed_pages=sum(found[2] > 1 for found in ours),
        article_pages=len(articles),
        article_accuracy=sum(found == gold for found, gold in articles) / max(1, len(articles)),
    )


@dataclass(frozen=True)
class ArticleCheck:
    """Pages refused as no news article, against our labels, and on ScrapingHub's 181 articles."""

    non_articles: int
    non_articles_refused: int
    articles: int
    articles_refused: list[str]
    scrapinghub: int
    scrapinghub_refused: list[str]


def _refusal(url: str, data: bytes) -> str | None:
    found = ingested(url, data)
    if isinstance(found, IngestError) and str(found).startswith(("not an article", "no article text")):
        return str(found)
    return None


def article_check(limit: int | None = None) -> ArticleCheck:
    from bench.extraction import load_pages as scrapinghub_pages

    pages = load_pages(limit)
    refused = {page.url: _refusal(page.url, page.data) for page in pages}
    scrapinghub = scrapinghub_pages(limit)
    wrongly = [f"{url}: {reason}" for url, html, _body in scrapinghub if (reason := _refusal(url, html.encode("utf-8")))]
    return ArticleCheck(
        non_articles=sum(not page.article for page in pages),
        non_articles_refused=sum(not page.article and refused[page.url] is not None for page in pages),
        articles=sum(page.article for page in pages),
        articles_refused=[f"{page.url}: {refused[page.url]}" for page in pages if page.article and refused[page.url]],
        scrapinghub=len(scrapinghub),
        scrapinghub_refused=wrongly,
    )

"""HTML pages to article text with trafilatura, its own fallbacks included.

Trafilatura already removes navigation and comments and falls back to
readability and jusText when its own extraction comes back thin. What it keeps
is passed through the plain-text cleaner's in-body pass, which removes what
slips through on news pages: repeated paragraphs, ad markers, captions.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import trafilatura
from lxml.etree import ParserError

from storyline.ingest.errors import IngestError
from storyline.ingest.metadata import safe_url
from storyline.ingest.textclean import clean_body
from storyline.records import ExtractedText
from storyline.settings import settings

# schema.org types a page gives itself that say "this is an article", and ones that say it is not.
_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "blogposting",
                  "liveblogposting", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "report", "techarticle"}
_NOT_ARTICLE_TYPES = {"qapage": "a question-and-answer page", "question": "a question-and-answer page",
                      "collectionpage": "an index of articles", "searchresultspage": "a page of search results",
                      "profilepage": "a profile page", "product": "a product page", "itemlist": "a list page",
                      "discussionforumposting": "a forum thread", "socialmediaposting": "a social media timeline"}
_LD_TYPE = re.compile(r'"@type"\s*:\s*(?:"([^"]{1,60})"|\[([^\]]{1,300})\])')
_LD_BLOCK = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)


def not_an_article(html: str, page_url: str | None, text: str) -> str | None:
    """Why a page with text on it is still no news article, or None: it names itself as another kind
    of page (schema.org JSON-LD, where no article type is named beside it), it is a site's front
    page, or it holds too few letters to be a report."""
    types = {t.strip().strip('"').lower() for block in _LD_BLOCK.findall(html[:2_000_000]) for match in _LD_TYPE.findall(block)
             for t in (match[0] or match[1]).split(",")}
    if not types & _ARTICLE_TYPES and (kinds := sorted(_NOT_ARTICLE_TYPES[t] for t in types & _NOT_ARTICLE_TYPES.keys())):
        return f"not an article: the page says it is {kinds[0]} (schema.org type in its JSON-LD)"
    if page_url and not urlsplit(page_url).path.strip("/") and not urlsplit(page_url).query:
        return f"not an article: {page_url} is the site's front page"
    letters = sum(ch.isalpha() for ch in text)
    if letters < (least := settings().ingest.min_article_letters):
        return f"not an article: {letters} letters of text, fewer than a report holds ({least})"
    return None


_ADDRESS_TAG = re.compile(r"<(?:link|meta)\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def stated_address(html: str) -> str | None:
    """The canonical link or og:url wherever the markup put it: a stray element can end the head
    early for the parser, and trafilatura looks in the head only. A relative one is resolved
    against the host the page's other og: and twitter: addresses name."""
    tags = [{name.lower(): unescape(double or single) for name, double, single in _ATTRIBUTE.findall(tag)}
            for tag in _ADDRESS_TAG.findall(html[:1_000_000])]
    stated = (next((t["href"] for t in tags if t.get("rel", "").lower() == "canonical" and t.get("href")), None)
              or next((t["content"] for t in tags if t.get("property", "").lower() == "og:url" and t.get("content")), None))
    if not stated or "://" in stated:
        return stated
    if stated.startswith("//"):
        return f"https:{stated}"
    named = (urlsplit(t.get("content", "")) for t in tags if (t.get("property") or t.get("name") or "").lower().startswith(("og:", "twitter:")))
    base = next((f"{parts.scheme}://{parts.netloc}" for parts in named if parts.scheme in ("http", "https") and parts.netloc), None)
    return f"{base}/{stated.lstrip('/')}" if base and stated.startswith("/") else None


def _baseline_text(html: str) -> str:
    """Trafilatura's last-resort extractor: article and paragraph elements, or the whole body's text."""
    _tree, text, _length = trafilatura.baseline(html)
    return text.strip()


def extract_html(html: str, url: str | None = None, known_boilerplate: frozenset[str] = frozenset()) -> ExtractedText:
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # Trafilatura's own date is not used (dates.py weighs htmldate's answers with other evidence):
            # its extensive search, dateparser over every locale, was most of a foreign page's extraction.
            date_extraction_params={"extensive_search": False},
        )
    except (ParserError, ValueError) as exc:
        raise IngestError(f"malformed HTML: {exc}") from exc
    text = document.text if document is not None and (document.text or "").strip() else _baseline_text(html)
    if not text:
        raise IngestError("no article text found in the HTML (the page may be an index, a login wall or a script-only app)")
    cleaned = clean_body(text, known_boilerplate)
    if not cleaned.text:
        raise IngestError("no article text found in the HTML once boilerplate was removed")
    return ExtractedText(
        text=cleaned.text,
        paragraphs=cleaned.paragraphs,
        title=document.title if document else None,
        author=document.author if document else None,
        site_name=document.sitename if document else None,
        url=safe_url((document.url if document else None) or stated_address(html)),
        removed=cleaned.removed,
    )


def own_address(url: str | None) -> str | None:
    """The address a page gives itself (trafilatura reads the canonical link and og:url): only an
    absolute http(s) URL below the site's root, since a page that names the home page as its
    canonical address is misconfigured, not a home page."""
    address = safe_url(url)
    return address if address and urlsplit(address).path.strip("/") else None

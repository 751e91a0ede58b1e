"""HTML pages to article text with trafilatura, its own fallbacks included.

Trafilatura already removes navigation and comments and falls back to
readability and jusText when its own extraction comes back thin. What it keeps
is passed through the plain-text cleaner's in-body pass, which removes what
slips through on news pages: repeated paragraphs, ad markers, captions.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import trafilatura
from lxml.etree import ParserError

from storyline.ingest.errors import IngestError
from storyline.ingest.metadata import safe_url
from storyline.ingest.textclean import clean_body
from storyline.records import ExtractedText


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
        url=own_address(document.url) if document else None,
        removed=cleaned.removed,
    )


def own_address(url: str | None) -> str | None:
    """The address a page gives itself (trafilatura reads the canonical link and og:url): only an
    absolute http(s) URL below the site's root, since a page that names the home page as its
    canonical address is misconfigured, not a home page."""
    address = safe_url(url)
    return address if address and urlsplit(address).path.strip("/") else None

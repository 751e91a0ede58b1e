"""One raw document to one clean ``Article``: decode, extract, then date, outlet and country."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from storyline.ingest.dates import resolve_published
from storyline.ingest.decoding import check_size, decode_bytes, maybe_gunzip
from storyline.ingest.errors import IngestError
from storyline.ingest.fingerprint import (
    content_hash,
    minhash_of,
    signature_bytes,
    text_hash,
)
from storyline.ingest.html import extract_html, not_an_article, own_address
from storyline.ingest.outlets import (
    country_from_domain,
    host_of,
    resolve_outlet,
    title_without_site,
)
from storyline.ingest.textclean import clean_text, line_fingerprint, word_count
from storyline.records import (
    Article,
    ExtractedText,
    LanguageGuess,
    RawDocument,
    RawKind,
)
from storyline.settings import settings

BoilerplateLookup = Callable[[str], frozenset[str]]


def boilerplate_key(doc: RawDocument) -> str:
    """Which articles share furniture: same site, else same named outlet, else same folder."""
    if host := host_of(doc.given.url):
        return f"site:{host}"
    if doc.given.outlet:
        return f"outlet:{doc.given.outlet.casefold()}"
    return f"folder:{doc.origin.rsplit('/', 1)[0] if '/' in doc.origin else '.'}"


def _sniff_kind(text: str, content_type: str | None) -> RawKind:
    kind = (content_type or "").lower()
    if "html" in kind:
        return "html"
    if "text/plain" in kind:
        return "text"
    head = text[:2048].lstrip().lower()
    return "html" if head.startswith(("<!doctype html", "<html", "<head", "<body", "<div", "<article", "<p")) else "text"


def extract(doc: RawDocument, max_bytes: int, known_boilerplate: BoilerplateLookup) -> tuple[str, RawKind, ExtractedText]:
    data = maybe_gunzip(doc.data, max_bytes)
    check_size(data, max_bytes)
    body, _how = decode_bytes(data, doc.content_type)
    kind = doc.kind_hint or _sniff_kind(body, doc.content_type)
    furniture = known_boilerplate(boilerplate_key(doc))
    extracted = extract_html(body, doc.given.url, furniture) if kind == "html" else clean_text(body, furniture)
    longest = max((p.end - p.start for p in extracted.paragraphs), default=0)
    if longest > (limit := settings().ingest.max_paragraph_characters):
        raise IngestError(f"a paragraph of {longest:,} characters: no prose runs that long without a break (limit {limit:,})")
    if len(extracted.text.split()) < settings().ingest.min_article_words and not any(p.kind == "body" for p in extracted.paragraphs):
        raise IngestError("no article text: nothing in the input reads as prose (is it an index page, a table or a stub?)")
    if kind == "html" and (reason := not_an_article(body, doc.given.url or extracted.url, extracted.text)):
        raise IngestError(reason)
    return body, kind, extracted


def _short_line_fingerprints(extracted: ExtractedText) -> frozenset[str]:
    paragraphs = (extracted.text[p.start:p.end] for p in extracted.paragraphs)
    lines = (*extracted.header_lines, *extracted.footer_lines, *(r.text for r in extracted.removed), *paragraphs)
    return frozenset(line_fingerprint(line) for line in lines if line.strip() and word_count(line) <= settings().ingest.furniture_line_max_words)


def build_article(
    doc: RawDocument,
    *,
    max_bytes: int,
    known_boilerplate: BoilerplateLookup = lambda key: frozenset(),
    reference: date | None = None,
) -> Article:
    raw_text, kind, extracted = extract(doc, max_bytes, known_boilerplate)
    given = doc.given
    # The page's own address stands in for one the input did not give: outlet, country and date read it.
    url = given.url or own_address(extracted.url)
    first_paragraph = extracted.text[: extracted.paragraphs[0].end] if extracted.paragraphs else ""
    outlet = resolve_outlet(
        url=url,
        given_name=given.outlet,
        site_name=extracted.site_name,
        header_lines=extracted.header_lines,
        footer_lines=extracted.footer_lines,
        first_paragraph=first_paragraph,
    )
    country = given.country or (outlet.outlet.country if outlet else None) or country_from_domain(url)
    published = resolve_published(
        header_lines=extracted.header_lines,
        footer_lines=extracted.footer_lines,
        body_text=extracted.text,
        given=given.published,
        given_source=given.published_source or "given",
        html=raw_text if kind == "html" else None,
        url=url,
        reference=(doc.fetched_at.date() if doc.fetched_at else reference),
        country=country,
    )
    return Article(
        origin=doc.origin,
        raw_hash=content_hash(doc.data),
        text_hash=text_hash(extracted.text),
        raw_kind=kind,
        raw_text=raw_text,
        text=extracted.text,
        paragraphs=extracted.paragraphs,
        title=(given.title or title_without_site(extracted.title, (outlet.outlet.name if outlet else None, extracted.site_name, host_of(url)))
               or "").strip() or None,
        url=url,
        author=extracted.author,
        outlet=outlet,
        country=country,
        language=LanguageGuess(code=given.language, confidence=1.0 if given.language else 0.0),
        published=published,
        removed=extracted.removed,
        minhash=signature_bytes(minhash_of(extracted.text)),
        line_fingerprints=_short_line_fingerprints(extracted),
    )

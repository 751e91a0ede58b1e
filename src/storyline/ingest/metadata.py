"""Metadata a caller gives (flags, sidecars, JSONL fields, the API, feed entries), checked once
before any work is done: each field within its length, in its form, and text that is text."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from functools import lru_cache
from urllib.parse import urlsplit

from storyline.ingest.errors import IngestError
from storyline.records import GivenMetadata
from storyline.settings import settings

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*", re.I)
_CONTROLS = re.compile("[\x00-\x1f\x7f]")


def as_text(value: str) -> str:
    """A string that can be stored and shown: the bytes of a file name that are not UTF-8 (which
    Python keeps as escapes) and lone surrogates (which JSON allows) become U+FFFD."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    """ISO 3166 two-letter codes (and the few regions CLDR names, EU among them)."""
    from babel import Locale

    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


def safe_url(url: str | None) -> str | None:
    """The URL when it is an http(s) address with a host, else None: the only kind rendered as a link."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def checked(given: GivenMetadata) -> GivenMetadata:
    limits = settings().ingest
    values: dict[str, str | None] = {}
    for item in fields(GivenMetadata):
        value = getattr(given, item.name)
        if value is None:
            continue
        limit = limits.max_url_characters if item.name == "url" else limits.max_field_characters
        if item.name == "published":
            limit = limits.max_date_characters
        if len(value) > limit:
            raise IngestError(f"{item.name}: {len(value):,} characters, over the limit of {limit:,}")
        values[item.name] = " ".join(_CONTROLS.sub(" ", as_text(value)).split()) or None
    if (url := values.get("url")) and safe_url(url) is None:
        raise IngestError(f"url: {url[:80]!r} is not an http(s) address")
    if country := values.get("country"):
        if country.upper() not in _country_codes():
            raise IngestError(f"country: {country[:40]!r} is not an ISO 3166 two-letter code (UA, US, FR, ...)")
        values["country"] = country.upper()
    if language := values.get("language"):
        if not _LANGUAGE.fullmatch(language):
            raise IngestError(f"language: {language[:40]!r} is not a language code (en, uk, pt-BR, ...)")
        values["language"] = re.split(r"[-_]", language)[0].lower()
    return replace(given, **values)

"""Which outlet published an article, from its URL, its page metadata or its own text.

The bundled table (``data/outlets.csv``) maps domains to outlet name, country,
language and a state-affiliated flag. Text evidence is read only where
publishers put it: a line under the headline that is exactly an outlet's
name, a footer such as "publisher Fars news agency" or "Source: Reuters", or a
wire dateline "KYIV, Oct 22 (Reuters) -". An outlet merely cited in the body
("According to RT") is a source, not the publisher, and is not taken.
"""

from __future__ import annotations

import csv
import html
import re
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from storyline.ingest.textclean import normalise_line
from storyline.records import Outlet, OutletMatch

_FOOTER_CLAIM = re.compile(
    r"^\s*(?:publisher|published by|source|sources|via|copyright|\(c\)|©)\s*[:\-–]?\s*(?:\d{4}\s*)?(?P<name>[^|•]{2,80}?)\s*[.|]?\s*$",
    re.I,
)
_WIRE_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'\-]{1,40}?(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*\((?P<name>[A-Z][\w .&]{1,30})\)\s*[-–—]")
# Country-code domains that are sold as generic names, and so say nothing about where an outlet is.
_GENERIC_CCTLDS = {"io", "tv", "co", "me", "ai", "fm", "ly", "am", "cc", "ws", "to", "gg", "is", "it", "la", "im", "news"}
_CCTLD_TO_ISO = {"uk": "GB"}
_MIN_NAME_LENGTH = 2
_MAX_NAME_LENGTH = 60  # longer "site names" are page titles or slogans that leaked into the metadata
_COPYRIGHT = re.compile(r"(?:copyright|\(c\)|©|all rights reserved|todos los derechos reservados|\b(?:19|20)\d\d\b(?:\s*[-–,]\s*(?:19|20)?\d\d\b)*)[,.]?",
                        re.I)
_PHONE = re.compile(r"(?:\btel\b|\bphone\b|\+\d)|\d[\d .()-]{7,}\d", re.I)
_SEPARATOR = re.compile(r"\s+[|｜•·–—-]\s+|[|｜]")
_MIN_SITE_KEY = 4  # letters a site name needs before one starting or ending the other counts as the same


@cache
def outlet_table() -> dict[str, Outlet]:
    """Domain -> outlet, read once from the bundled CSV."""
    table: dict[str, Outlet] = {}
    with resources.files("storyline.data").joinpath("outlets.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table[row["domain"]] = Outlet(
                name=row["name"],
                domain=row["domain"],
                country=row["country"] or None,
                language=row["language"] or None,
                state_affiliated=row["state_affiliated"] == "1",
            )
    return table


@cache
def _names() -> dict[str, Outlet]:
    """Normalised outlet name or alias -> outlet (the first domain listed for a name wins)."""
    names: dict[str, Outlet] = {}
    with resources.files("storyline.data").joinpath("outlets.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            outlet = outlet_table()[row["domain"]]
            for name in [row["name"], *filter(None, row["aliases"].split(";"))]:
                key = normalise_line(name)
                if len(key) >= _MIN_NAME_LENGTH:
                    names.setdefault(key, outlet)
    return names


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host or None


def by_domain(url: str | None) -> Outlet | None:
    host = host_of(url)
    while host and "." in host:
        if host in outlet_table():
            return outlet_table()[host]
        host = host.split(".", 1)[1]
    return None


def by_name(name: str) -> Outlet | None:
    return _names().get(normalise_line(name).strip(" .:;,"))


def country_from_domain(url: str | None) -> str | None:
    host = host_of(url)
    if not host:
        return None
    tld = host.rsplit(".", 1)[-1]
    if len(tld) != 2 or tld in _GENERIC_CCTLDS:
        return None
    return _CCTLD_TO_ISO.get(tld, tld.upper())


def plain_name(name: str | None) -> str | None:
    """A site's name as metadata gives it, or None when it is no name: copyright marks and years
    dropped ("(c) 2016 aryanews.com" is aryanews.com), a URL, a phone number or a page title refused;
    of "Long Slogan | Outlet", the last part."""
    if not name:
        return None
    text = " ".join(_COPYRIGHT.sub(" ", html.unescape(html.unescape(name))).split()).strip(" -–—|,.:;")  # pages escape twice
    if "://" in text or text.startswith("www.") and "/" in text or _PHONE.search(text):
        return None
    if len(text) > _MAX_NAME_LENGTH:
        parts = [part.strip() for part in _SEPARATOR.split(text) if part.strip()]
        text = parts[-1] if len(parts) > 1 and len(parts[-1]) <= _MAX_NAME_LENGTH // 2 else ""
    return text if _MIN_NAME_LENGTH <= len(text) <= _MAX_NAME_LENGTH else None


def _squashed(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _names_site(part: str, keys: set[str]) -> bool:
    """A title part that is the site's name: equal to one of its names, or one starting or
    ending the other where the shorter is long enough not to be a word ("Times of India" and
    "The Times of India", "Novinky.cz" and "Novinky")."""
    part = _squashed(part)
    return any(part == key or min(len(part), len(key)) >= _MIN_SITE_KEY and (
        part.startswith(key) or part.endswith(key) or key.startswith(part) or key.endswith(part)) for key in keys)


def title_without_site(title: str | None, names: tuple[str | None, ...]) -> str | None:
    """A page title without the site's name that pages put before or after it ("… | Malay
    Mail", "Outlet - …"); `names` are the outlet's name, the page's site name and its host. A
    part that is not one of them ("… - Wilder", the person quoted) stays."""
    if not title:
        return title
    keys = {key for name in names if name for key in (_squashed(name), _squashed(name.split(".")[0])) if len(key) >= _MIN_NAME_LENGTH + 1}
    parts = _SEPARATOR.split(title)
    if len(parts) < 2 or not keys:
        return title
    if _names_site(parts[-1], keys):
        return title[:title.rindex(parts[-1])].rstrip(" |｜•·–—-") or title
    if _names_site(parts[0], keys):
        return title[len(parts[0]):].lstrip(" |｜•·–—-") or title
    return title


def _claim_in_lines(lines: tuple[str, ...], where: str) -> OutletMatch | None:
    for line in lines:
        if (outlet := by_name(line)) is not None:
            return OutletMatch(outlet, f"{where} line '{line.strip()}' names the outlet")
        if (claim := _FOOTER_CLAIM.match(line)) and (outlet := by_name(claim["name"])) is not None:
            return OutletMatch(outlet, f"{where} line '{line.strip()[:80]}'")
    return None


def resolve_outlet(
    *,
    url: str | None = None,
    given_name: str | None = None,
    site_name: str | None = None,
    header_lines: tuple[str, ...] = (),
    footer_lines: tuple[str, ...] = (),
    first_paragraph: str = "",
) -> OutletMatch | None:
    """The publishing outlet and the evidence for it, most trusted evidence first."""
    site_name = plain_name(site_name)
    if given_name:
        known = by_name(given_name)
        return OutletMatch(known or Outlet(name=given_name.strip()), f"given: '{given_name.strip()}'")
    if (outlet := by_domain(url)) is not None:
        return OutletMatch(outlet, f"domain {host_of(url)} in the outlet table")
    if site_name and (outlet := by_name(site_name)) is not None:
        return OutletMatch(outlet, f"page metadata site name '{site_name}'")
    for lines, where in ((header_lines, "header"), (footer_lines, "footer")):
        if match := _claim_in_lines(lines, where):
            return match
    if (wire := _WIRE_DATELINE.match(first_paragraph)) and (outlet := by_name(wire["name"])) is not None:
        return OutletMatch(outlet, f"wire dateline '({wire['name']})'")
    if site_name:
        return OutletMatch(Outlet(name=site_name, domain=host_of(url), country=country_from_domain(url)), f"page metadata site name '{site_name}'")
    if host := host_of(url):
        return OutletMatch(Outlet(name=host, domain=host, country=country_from_domain(url)), f"unlisted domain {host}")
    return None

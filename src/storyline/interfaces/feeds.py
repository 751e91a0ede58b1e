"""Atom feeds for a story, an actor and a proposition, for readers that poll rather than listen.

Entries carry the same stable keys as webhook alerts (article and offsets, both ends of a
shift), so a feed reader never sees an old entry come back as new after re-analysis; an
entry's `updated` is when its article landed in the store, the moment it became news here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator

from storyline.alerts.outbox import shift_alert, statement_alert
from storyline.provenance import sentence_link
from storyline.records import PositionPoint, Shift, StoredArticle, StoredStatement
from storyline.settings import settings

TAG = "tag:storyline.invalid,2026:"  # tag URIs (RFC 4151) name entries without claiming a domain


@dataclass(frozen=True)
class FeedEntry:
    key: str
    title: str
    path: str
    updated: datetime
    summary: str
    author: str | None = None


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def article_entry(article: StoredArticle) -> FeedEntry:
    where = " · ".join(filter(None, [article.outlet, article.country, article.published]))
    return FeedEntry(f"article:{article.id}", f"{article.outlet or 'Unknown outlet'}: {article.title or '(untitled)'}",
                     f"/articles/{article.id}", article.ingested_at, where)


def statement_entry(statement: StoredStatement, landed: datetime) -> FeedEntry:
    said = f"{statement.speaker}{', ' + statement.role if statement.role else ''} ({statement.date or 'undated'}, " \
           f"{statement.outlet or 'unknown outlet'}): {statement.text}"
    return FeedEntry(statement_alert(statement).key, f"{statement.speaker}: {_clip(statement.text)}",
                     sentence_link(statement), landed, said, statement.speaker)


def stance_entry(point: PositionPoint, proposition: str, landed: datetime) -> FeedEntry:
    st = point.statement
    return FeedEntry(f"stance:{point.proposition_id}:{statement_alert(st).key}", f"{st.speaker} – {point.stance}: {_clip(proposition, 80)}",
                     sentence_link(st), landed,
                     f"{st.speaker} ({st.date or 'undated'}, {st.outlet or 'unknown outlet'}) {point.stance}s “{proposition}”: {st.text}",
                     st.speaker)


def shift_entry(shift: Shift, landed: datetime) -> FeedEntry:
    before, after = shift.before, shift.after
    summary = (f"{shift.kind}: {shift.actor} {before.stance} ({before.statement.date or 'undated'}) → {after.stance} "
               f"({after.statement.date or 'undated'}). {shift.reason} Before: {before.statement.text} After: {after.statement.text}")
    return FeedEntry(shift_alert(shift).key, f"{shift.kind.capitalize()}: {shift.actor}, {before.stance} → {after.stance}",
                     sentence_link(after.statement), landed, summary, shift.actor)


def shift_landed(shift: Shift, landed: dict[int, datetime]) -> datetime:
    return max(landed[shift.before.statement.article_id], landed[shift.after.statement.article_id])


def _xml_text(text: str) -> str:
    """Text without the characters XML 1.0 forbids (C0 controls but tab and line breaks, lone
    surrogates, U+FFFE and U+FFFF): one form feed in an article must not break its feed."""
    return _NOT_XML.sub("", text)


def atom(key: str, title: str, base_url: str, page: str, feed_path: str, entries: list[FeedEntry]) -> bytes:
    """The feed as Atom XML, newest entries first; every link absolute under `base_url`."""
    base_url = base_url.rstrip("/")
    newest = sorted(entries, key=lambda e: (_utc(e.updated), e.key), reverse=True)[:settings().alerts.feed_entries]
    feed = FeedGenerator()
    feed.id(TAG + key)
    feed.title(_xml_text(title))
    feed.author({"name": "Storyline"})
    feed.link(href=base_url + page, rel="alternate", type="text/html")
    feed.link(href=base_url + feed_path, rel="self", type="application/atom+xml")
    feed.updated(_utc(newest[0].updated) if newest else datetime(1970, 1, 1, tzinfo=timezone.utc))
    for entry in reversed(newest):  # feedgen prepends
        item = feed.add_entry()
        item.id(TAG + entry.key)
        item.title(_xml_text(entry.title))
        item.link(href=base_url + entry.path, rel="alternate", type="text/html")
        item.updated(_utc(entry.updated))
        item.summary(_xml_text(entry.summary))
        if entry.author:
            item.author({"name": _xml_text(entry.author)})
    return feed.atom_str(pretty=True)

"""The outbox: what the store holds now, turned into alerts keyed by what they are about, once."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import asdict

from storyline.alerts.guard import check_target
from storyline.provenance import sentence_link, shift_dict
from storyline.records import Alert, Shift, StoredStatement
from storyline.store import Store

KINDS = ("statement", "shift")
SUBJECTS = ("story", "actor", "proposition")  # what one webhook may follow, as "story:ID" and so on


def _said_about(statement: StoredStatement, story_of: Mapping[int, int] | None) -> set[str]:
    story = (story_of or {}).get(statement.article_id)
    return {*([f"actor:{statement.actor_id}"] if statement.actor_id is not None else []),
            *([f"story:{story}"] if story is not None else [])}


def statement_key(article_id: int, start: int, end: int, text: str) -> str:
    """A statement's alert key: its sentence and a digest of its words, so one sentence may hold
    several statements, and a re-analysis that finds the same words keys them the same whoever the
    actor is named by then (migration 0018 computes the same from stored alerts)."""
    return f"statement:{article_id}:{start}:{end}:{hashlib.sha1(text.encode()).hexdigest()[:10]}"


def statement_alert(statement: StoredStatement, story_of: Mapping[int, int] | None = None) -> Alert:
    return Alert(statement_key(statement.article_id, statement.start, statement.end, statement.text), "statement",
                 {"event": "statement", "statement": asdict(statement),
                  "source": sentence_link(statement)}, frozenset(_said_about(statement, story_of)))


def shift_alert(shift: Shift, story_of: Mapping[int, int] | None = None) -> Alert:
    ends = [f"{p.statement.article_id}:{p.statement.start}" for p in (shift.before, shift.after)]
    about = {f"proposition:{shift.proposition_id}"}.union(*(_said_about(p.statement, story_of) for p in (shift.before, shift.after)))
    return Alert(f"shift:{shift.kind}:{shift.proposition_id}:{shift.actor}:{ends[0]}:{ends[1]}", "shift",
                 {"event": "shift", "shift": shift_dict(shift),
                  "sources": [sentence_link(p.statement) for p in (shift.before, shift.after)]}, frozenset(about))


def checked_subject(store: Store, about: str) -> str:
    """"story:ID", "actor:ID" or "proposition:ID" naming something in the store, or ValueError saying why not."""
    found = re.fullmatch(r"(\w+):(\d{1,18})", about.strip())
    if not found or found[1] not in SUBJECTS:
        raise ValueError(f"follow one of {', '.join(s + ':ID' for s in SUBJECTS)}; not {about!r}")
    kind, subject_id = found[1], int(found[2])
    if {"story": store.story, "actor": store.actor, "proposition": store.proposition}[kind](subject_id) is None:
        raise ValueError(f"there is no {kind} {subject_id}")
    return f"{kind}:{subject_id}"


def record_alerts(store: Store) -> int:
    """Record what is new since the last call; returns how many alerts were new."""
    from storyline.positions.queries import shifts

    # Statements only grow past the watermark (re-analysis writes new ids; their keys repeat the
    # old ones and the store drops those); shifts are recomputed, so they are checked by key.
    new_statements = store.statements(after_id=store.alerted_statements_through())
    known_shifts = store.alert_keys("shift")
    found_shifts = shifts(store)
    story_of = store.story_of_articles([s.article_id for s in new_statements] +
                                       [p.statement.article_id for s in found_shifts for p in (s.before, s.after)])
    alerts = [statement_alert(s, story_of) for s in new_statements]
    alerts += [a for a in (shift_alert(s, story_of) for s in found_shifts) if a.key not in known_shifts]
    return store.record_alerts(alerts, statements_through=max((s.id for s in new_statements), default=None))


def register_webhook(store: Store, url: str, kinds: tuple[str, ...] = KINDS, secret: str | None = None,
                     allow_private: bool = False, about: str | None = None) -> int:
    """Add a webhook that hears about what happens from now on (not the store's past): about
    everything, or only about one story, actor or proposition."""
    unknown = set(kinds) - set(KINDS)
    if not kinds or unknown:
        raise ValueError(f"alert kinds are {', '.join(KINDS)}; not {', '.join(sorted(unknown)) or 'none'}")
    subject = checked_subject(store, about) if about else None
    check_target(url, allow_private)
    record_alerts(store)  # what the store already holds is history, not news to this webhook
    return store.add_webhook(url, tuple(kinds), secret, allow_private, subject)

"""The outbox: what the store holds now, turned into alerts keyed by what they are about, once."""

from __future__ import annotations

from dataclasses import asdict

from storyline.alerts.guard import check_target
from storyline.provenance import sentence_link, shift_dict
from storyline.records import Alert, Shift, StoredStatement
from storyline.store import Store

KINDS = ("statement", "shift")


def statement_alert(statement: StoredStatement) -> Alert:
    return Alert(f"statement:{statement.article_id}:{statement.start}:{statement.end}", "statement",
                 {"event": "statement", "statement": asdict(statement),
                  "source": sentence_link(statement)})


def shift_alert(shift: Shift) -> Alert:
    ends = [f"{p.statement.article_id}:{p.statement.start}" for p in (shift.before, shift.after)]
    return Alert(f"shift:{shift.kind}:{shift.proposition_id}:{shift.actor}:{ends[0]}:{ends[1]}", "shift",
                 {"event": "shift", "shift": shift_dict(shift),
                  "sources": [sentence_link(p.statement) for p in (shift.before, shift.after)]})


def record_alerts(store: Store) -> int:
    """Record what is new since the last call; returns how many alerts were new."""
    from storyline.positions.queries import shifts

    # Statements only grow past the watermark (re-analysis writes new ids; their keys repeat the
    # old ones and the store drops those); shifts are recomputed, so they are checked by key.
    new_statements = store.statements(after_id=store.alerted_statements_through())
    alerts = [statement_alert(s) for s in new_statements]
    known_shifts = store.alert_keys("shift")
    alerts += [a for a in map(shift_alert, shifts(store)) if a.key not in known_shifts]
    return store.record_alerts(alerts, statements_through=max((s.id for s in new_statements), default=None))


def register_webhook(store: Store, url: str, kinds: tuple[str, ...] = KINDS, secret: str | None = None,
                     allow_private: bool = False) -> int:
    """Add a webhook that hears about what happens from now on (not the store's past)."""
    unknown = set(kinds) - set(KINDS)
    if not kinds or unknown:
        raise ValueError(f"alert kinds are {', '.join(KINDS)}; not {', '.join(sorted(unknown)) or 'none'}")
    check_target(url, allow_private)
    record_alerts(store)  # what the store already holds is history, not news to this webhook
    return store.add_webhook(url, tuple(kinds), secret, allow_private)

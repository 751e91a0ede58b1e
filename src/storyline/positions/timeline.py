"""Position timelines, and the shifts, walk-backs and contradictions they show.

Points are ordered by the statement's own date, not the article's; a statement the text places
before its day's events ("Hours earlier, he had told ...") sorts before that day's others.
Only points with a full calendar date take part in shifts: an undated claim has no "before".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from itertools import combinations, groupby

from storyline.analysis.sentences import split_sentences
from storyline.lang.en import CLARIFICATION_WORDS, REPORTED_CHANGE_WORDS
from storyline.lang.places import place_named_in
from storyline.records import PositionPoint, Shift
from storyline.settings import settings

CLARIFICATION = re.compile(CLARIFICATION_WORDS, re.I)
REPORTED_CHANGE = re.compile(REPORTED_CHANGE_WORDS, re.I)


def sortable(point: PositionPoint) -> tuple:
    statement = point.statement
    return (statement.date or "9999", 0 if statement.date_kind == "earlier" else 1, statement.article_id, statement.start)


def full_date(point: PositionPoint) -> date | None:
    try:
        return date.fromisoformat(point.statement.date or "")
    except ValueError:
        return None


def side_of(roles: str) -> str | None:
    """Whom a role speaks for: the country or organisation it names ("deputy head of Ukraine's
    Foreign Ministry", "Kremlin spokesman"), by the places table."""
    place = place_named_in(roles)
    return place.name if place else None


def _sentence_matching(text: str, pattern: re.Pattern) -> str | None:
    return next((sentence for sentence in split_sentences(text) if pattern.search(sentence)), None)


def believed(a: PositionPoint, b: PositionPoint) -> bool:
    """Whether a move between two stances is more likely real than a misreading: it needs both to be
    right, and each stance's calibrated confidence is the chance that it is."""
    return a.confidence * b.confidence >= settings().timeline.shift_belief


def _outlets_disagree(a: PositionPoint, b: PositionPoint) -> bool:
    """Two outlets giving one actor opposite stances on what may be the same remarks: the same day,
    or a few days apart when a date is only the article's (a report may trail the remarks)."""
    sa, sb = a.statement, b.statement
    if sa.actor_id != sb.actor_id or not (sa.outlet and sb.outlet) or sa.outlet == sb.outlet:
        return False
    if {a.stance, b.stance} != {"support", "oppose"} or "earlier" in (sa.date_kind, sb.date_kind):
        return False
    days = abs((full_date(b) - full_date(a)).days)
    return days == 0 or (days <= settings().timeline.outlet_days and "article" in (sa.date_kind, sb.date_kind))


def moments(points: list[PositionPoint]) -> list[PositionPoint]:
    """One point per moment (a day, and whether the text places it earlier than that day's
    events), in order: the stance that moment's statements take by most confidence, shown by its
    most confident statement. A moment split evenly between stances takes no position. A reader
    that errs on one sentence of several then does not move an actor back and forth in a day."""
    found = []
    for _moment, group in groupby(sorted((p for p in points if full_date(p)), key=sortable), key=lambda p: sortable(p)[:2]):
        group = list(group)
        weight = Counter()
        for p in group:
            weight[p.stance] += p.confidence
        ranked = weight.most_common()
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < settings().timeline.moment_margin:
            continue
        found.append(max((p for p in group if p.stance == ranked[0][0]), key=lambda p: p.confidence))
    return found


def actor_shifts(points: list[PositionPoint], article_text: Callable[[int], str]) -> list[Shift]:
    """Shifts and walk-backs of one actor on one proposition, between the stances of successive moments."""
    shifts = []
    runs = [list(run) for _stance, run in groupby(moments(points), key=lambda p: p.stance)]
    for before_run, after_run in zip(runs, runs[1:], strict=False):
        before, after = before_run[-1], after_run[0]
        if _outlets_disagree(before, after) or not believed(before, after):
            continue  # two readings of what may be one moment, or a move resting on a likely misreading
        text = article_text(after.statement.article_id)
        days = (full_date(after) - full_date(before)).days
        clarified = _sentence_matching(text, CLARIFICATION) if days <= settings().timeline.walk_back_days else None
        kind = "walk-back" if clarified else "shift"
        reason = f"{before.stance} -> {after.stance} in {days} day(s)" + (f"; the text says: {clarified}" if clarified else "")
        shifts.append(Shift(kind, after.proposition_id, after.statement.speaker, before, after, reason,
                            _sentence_matching(text, REPORTED_CHANGE)))
    return shifts


def contradictions(points: list[PositionPoint], sides: dict[int, str | None]) -> list[Shift]:
    """Outlets that report one actor's stance differently, and one side's actors who disagree."""
    found = []
    dated = [p for p in points if full_date(p) and p.stance in ("support", "oppose")]
    for a, b in combinations(sorted(dated, key=sortable), 2):
        if a.stance == b.stance or not believed(a, b):
            continue
        days = abs((full_date(b) - full_date(a)).days)
        sa, sb = a.statement, b.statement
        if _outlets_disagree(a, b):
            found.append(Shift("contradiction", a.proposition_id, sa.speaker, a, b,
                               f"{sa.outlet} reports {a.stance}, {sb.outlet} reports {b.stance} within {days} day(s)"))
        elif sa.actor_id != sb.actor_id and days <= settings().timeline.same_side_days and sides.get(sa.actor_id) and sides.get(sa.actor_id) == sides.get(sb.actor_id):
            found.append(Shift("contradiction", a.proposition_id, f"{sa.speaker} / {sb.speaker}", a, b,
                               f"both speak for {sides[sa.actor_id]}: {sa.speaker} {a.stance}, {sb.speaker} {b.stance} within {days} day(s)"))
    return found


def _actor_key(point: PositionPoint) -> tuple[int, int]:
    return point.proposition_id, point.statement.actor_id


def _proposition_key(point: PositionPoint) -> int:
    return point.proposition_id


def detect(points: list[PositionPoint], article_text: Callable[[int], str], sides: dict[int, str | None]) -> list[Shift]:
    """All shifts, walk-backs and contradictions in the points, in date order of their later end."""
    found = []
    for _key, group in groupby(sorted(points, key=_actor_key), key=_actor_key):
        found.extend(actor_shifts(list(group), article_text))
    for _id, group in groupby(sorted(points, key=_proposition_key), key=_proposition_key):
        found.extend(contradictions(list(group), sides))
    return sorted(found, key=lambda s: sortable(s.after))

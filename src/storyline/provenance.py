"""Provenance: where each statement, stance and shift came from, in the one shape every view uses.

Chart points, feed entries, alerts, exports and the API all link a claim to the sentence it came
from through these functions, so the link and the fields a reader checks are written once.
"""

from __future__ import annotations

from storyline.records import PositionPoint, PropositionReading, Shift, StoredStatement


def sentence_link(statement: StoredStatement) -> str:
    """The page that shows a statement's sentence highlighted: the provenance every chart point,
    feed entry and alert points to."""
    return f"/articles/{statement.article_id}#s{statement.start}"


def position_dict(point: PositionPoint) -> dict:
    """A stance with the provenance a reader checks it by: statement, sentence, article, offsets."""
    st = point.statement
    return {"proposition_id": point.proposition_id, "actor": st.speaker, "actor_id": st.actor_id, "stance": point.stance,
            "confidence": point.confidence, "decided_by": [w for w in (point.anchor, *point.cues) if w], "date": st.date, "date_kind": st.date_kind,
            "statement_id": st.id, "statement": st.text, "sentence": st.sentence, "article_id": st.article_id,
            "start": st.start, "end": st.end, "outlet": st.outlet, "country": st.country}


def reading_dict(reading: PropositionReading) -> dict:
    """What a proposition read and judged, with the nearest statements that took no side and their sources."""
    return {"considered": reading.considered, "judged": reading.judged, "stances": reading.stances,
            "nearest_unsided": [{"statement_id": st.id, "actor": st.speaker, "statement": st.text, "sentence": st.sentence,
                                 "article_id": st.article_id, "start": st.start, "end": st.end, "similarity": similarity,
                                 "no_side": neutral} for st, similarity, neutral in reading.nearest_unsided]}


def shift_dict(shift: Shift) -> dict:
    return {"kind": shift.kind, "proposition_id": shift.proposition_id, "actor": shift.actor, "reason": shift.reason,
            "reported": shift.reported, "before": position_dict(shift.before), "after": position_dict(shift.after)}

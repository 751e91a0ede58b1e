"""Shift and contradiction rules over position points built from the seeds' own statements."""

from __future__ import annotations

from dataclasses import replace

from storyline.positions.timeline import contradictions, detect, side_of
from storyline.records import PositionPoint, StoredStatement

# Seed 002 (Al Jazeera, 2025-12-14) and seed 001 (2024-10-22), as the store holds them.
DROP = StoredStatement(
    id=1, article_id=3, actor_id=7, speaker="Volodymyr Zelenskyy", role="President", kind="indirect",
    text="that Kyiv is prepared to drop its long-held ambition of joining NATO in exchange for Western security guarantees",
    sentence="Ukraine’s President Volodymyr Zelenskyy has indicated that Kyiv is prepared to drop its long-held ambition of joining NATO "
             "in exchange for Western security guarantees.",
    start=0, end=150, cue="indicate", via="subject", date="2025-12-14", date_kind="article", outlet="Al Jazeera", country="QA",
    article_title="Ukraine ready to drop NATO membership ambition amid peace talks",
)
BEST = replace(DROP, id=2, article_id=2, text="The best thing is NATO.", sentence="“The best thing is NATO.”", date="2024-10-22",
               outlet="Ukrinform", country="UA")


def point(statement: StoredStatement, stance: str) -> PositionPoint:
    return PositionPoint(2, stance, 0.9, "NATO", (), statement)


def test_a_move_across_dated_statements_is_a_shift_even_across_outlets():
    [shift] = detect([point(DROP, "oppose"), point(BEST, "support")], lambda _id: "", {})
    assert shift.kind == "shift" and (shift.before.stance, shift.after.stance) == ("support", "oppose")
    assert shift.before.statement.outlet != shift.after.statement.outlet


def test_two_readings_on_one_day_with_no_order_are_no_shift():
    same_day = replace(BEST, id=3, date="2025-12-14", article_id=3, start=400, outlet="Al Jazeera")
    assert detect([point(DROP, "oppose"), point(same_day, "support")], lambda _id: "", {}) == []


def test_a_quick_move_the_text_calls_a_clarification_is_a_walk_back():
    earlier = replace(BEST, id=4, date="2025-12-14", date_kind="earlier")
    later = replace(DROP, date="2025-12-15")
    text = "Zelenskyy on Monday walked back earlier remarks."
    [shift] = detect([point(earlier, "support"), point(later, "oppose")], lambda _id: text, {})
    assert shift.kind == "walk-back" and "walked back" in shift.reason


def test_outlets_reporting_one_actor_differently_contradict():
    other_outlet = replace(DROP, id=5, article_id=9, outlet="Fars News Agency", country="IR", date="2025-12-15")
    [found] = detect([point(DROP, "oppose"), point(other_outlet, "support")], lambda _id: "", {})
    assert found.kind == "contradiction" and "Al Jazeera" in found.reason and "Fars News Agency" in found.reason


def test_one_sides_actors_who_disagree_contradict():
    kuleba = replace(DROP, id=6, actor_id=8, speaker="Oleksii Kuleba", date="2025-12-20")
    sides = {7: side_of("President of Ukraine"), 8: side_of("Deputy Prime Minister of Ukraine")}
    [found] = contradictions([point(DROP, "oppose"), point(kuleba, "support")], sides)
    assert "Ukraine" in found.reason
    sides[8] = side_of("Kremlin spokesman")
    assert sides[8] == "Russia" and contradictions([point(DROP, "oppose"), point(kuleba, "support")], sides) == []


def test_a_move_resting_on_a_likely_misreading_is_not_claimed():
    """Two stances read at 0.6 are both right about a third of the time: neither a shift nor a contradiction."""
    unsure = [replace(point(BEST, "support"), confidence=0.6), replace(point(DROP, "oppose"), confidence=0.6)]
    assert detect(unsure, lambda _id: "", {}) == []
    kuleba = replace(DROP, id=6, actor_id=8, speaker="Oleksii Kuleba", date="2025-12-20")
    sides = {7: side_of("President of Ukraine"), 8: side_of("Deputy Prime Minister of Ukraine")}
    assert contradictions([unsure[1], replace(point(kuleba, "support"), confidence=0.6)], sides) == []
    sure = [replace(unsure[0], confidence=0.75), replace(unsure[1], confidence=0.7)]
    [shift] = detect(sure, lambda _id: "", {})
    assert (shift.before.stance, shift.after.stance) == ("support", "oppose")

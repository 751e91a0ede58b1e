"""Positions on the seeds against gold.json: every stance and shift a careful reader finds, and no other shift."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from storyline.jobs.statements import ANALYSIS_VERSION
from storyline.jobs.update import update
from storyline.lang.names import same_person
from storyline.pipeline import Ingestor
from storyline.positions.queries import find_proposition, shifts, timeline
from storyline.records import UNNAMED, Statement
from storyline.store import Store
from tests.conftest import SEEDS

GOLD = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def positioned(tmp_path_factory, gold):
    """Seeds ingested, analysed, and judged on the answer key's two propositions."""
    with Store(tmp_path_factory.mktemp("positions") / "seeds.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=("statements",))
        ids = {key: store.add_proposition(text) for key, text in gold["propositions"].items()}
        update(store, only=("stances", "shifts"))
        yield store, ids


# What the trained reader still misreads on the seeds, kept as strict expected failures: each is a
# gap the next model must close (README, "Propositions"), and one that starts passing fails here
# until its mark is removed. No rule is written for these sentences: that would fit the seeds.
MISREAD = {
    ("003", "Vladimir Putin", "ukraine_in_nato"): "'would be a trigger for war' read as support (0.85)",
    ("004", "Anders Fogh Rasmussen", "land_for_nato"): "'membership … in exchange for renouncing claims on territories' read as oppose (0.52)",
}


def _gold_stances():
    for name, article in GOLD["articles"].items():
        for expected in article.get("stances") or []:
            misread = MISREAD.get((name[:3], expected["speaker"], expected["proposition"]))
            marks = [pytest.mark.xfail(strict=True, reason=misread)] if misread else []
            yield pytest.param(name, expected, id=f"{name[:3]}-{expected['speaker']}-{expected['proposition']}", marks=marks)


def _date_fits(point, expected: str | None) -> bool:
    """The statement's date as the text gives it. Two limits are asserted as what they are:
    an undated article's "On October 1" keeps its day without a year (--10-01), and remarks the
    text places "earlier" than a dated walk-back are dated before that day."""
    st = point.statement
    if expected is None:
        return True
    if st.date == expected:
        return True
    if st.date and st.date.startswith("--"):
        return expected.endswith(st.date[1:])
    if st.date_kind == "earlier" and st.date:
        return date.fromisoformat(expected) < date.fromisoformat(st.date) <= date.fromisoformat(expected) + timedelta(days=1)
    return False


@pytest.mark.parametrize(("article", "expected"), list(_gold_stances()))
def test_every_gold_stance_is_found(positioned, article, expected):
    store, ids = positioned
    points = [p for p in timeline(store, ids[expected["proposition"]])
              if same_person(p.statement.speaker, expected["speaker"]) and Path(store.article(p.statement.article_id).origin).name == article]
    assert points, f"no stance of {expected['speaker']} in {article}"
    fitting = [p for p in points if p.stance == expected["stance"] and _date_fits(p, expected.get("date"))]
    assert fitting, [(p.stance, p.statement.date, p.statement.text) for p in points]
    # Provenance: the stance's statement sits in its article at the offsets it gives.
    evidence = fitting[0].statement
    assert store.article(evidence.article_id).text[evidence.start:evidence.end] == evidence.sentence


def test_the_gold_shifts_and_no_others(positioned, gold):
    store, ids = positioned
    found = [s for s in shifts(store) if s.kind in ("shift", "walk-back")]
    expected = [shift for article in gold["articles"].values() for shift in article.get("shifts") or []]
    assert len(found) == len(expected), [(s.kind, s.actor, s.reason) for s in found]
    for shift in expected:
        match = [s for s in found if same_person(s.actor, shift["speaker"]) and s.proposition_id == ids[shift["proposition"]]]
        assert match, shift
        assert (match[0].before.stance, match[0].after.stance) == (shift["from"], shift["to"])
        assert match[0].after.statement.date == shift["between"][1]
        assert match[0].kind == shift.get("kind", "shift")


def test_zelenskyy_shift_crosses_outlets_and_the_press_names_it(positioned, gold):
    store, ids = positioned
    [shift] = [s for s in shifts(store, ids["ukraine_in_nato"]) if same_person(s.actor, "Volodymyr Zelenskyy")]
    assert shift.before.statement.article_id != shift.after.statement.article_id
    assert shift.after.statement.outlet == "Al Jazeera" and shift.before.statement.outlet != "Al Jazeera"
    assert shift.reported and "The shift would mark a significant change" in shift.reported


@pytest.mark.xfail(strict=True, reason="'From the very beginning, Ukraine's desire was to join NATO; … Some partners … did not "
                                       "support this direction' reads as oppose (0.81), more surely than his offer (0.76), so it is cited")
def test_zelenskyy_shift_cites_his_offer_to_drop_the_nato_goal(positioned):
    store, ids = positioned
    [shift] = [s for s in shifts(store, ids["ukraine_in_nato"]) if same_person(s.actor, "Volodymyr Zelenskyy")]
    assert "drop its long-held ambition" in shift.after.statement.text


def test_prystaiko_walk_back_cites_the_clarification(positioned):
    store, ids = positioned
    [walk_back] = [s for s in shifts(store, ids["ukraine_in_nato"]) if s.kind == "walk-back"]
    assert same_person(walk_back.actor, "Vadym Prystaiko")
    assert "walked back" in walk_back.reason
    assert "integral" in walk_back.after.statement.text


def test_timelines_follow_statement_dates_not_article_order(positioned):
    store, ids = positioned
    dated = [p.statement.date for p in timeline(store, ids["ukraine_in_nato"]) if p.statement.date and not p.statement.date.startswith("--")]
    assert dated == sorted(dated)


def test_a_second_run_judges_nothing_again(positioned):
    store, _ids = positioned
    before = {p.id: p.stances for p in store.propositions()}
    report = update(store, only=("stances",))[0]
    assert report.counts["pairs"] == 0
    assert {p.id: p.stances for p in store.propositions()} == before


def test_propositions_are_found_by_id_or_words(positioned):
    store, ids = positioned
    assert find_proposition(store, str(ids["land_for_nato"])).id == ids["land_for_nato"]
    assert find_proposition(store, "give up territory").id == ids["land_for_nato"]
    assert find_proposition(store, "Ukraine should") is None  # both match: ambiguous


def test_the_system_proposes_the_seeds_recurring_question(positioned):
    """Statements from several seeds about trading territory for membership become one proposal."""
    from storyline.positions.proposals import suggest

    store, _ids = positioned
    proposals = suggest(store.statements())
    assert proposals, "nothing proposed"
    text, statements, articles = proposals[0]
    assert articles >= 3 and statements >= 3
    assert "NATO membership" in text and "territor" in text and "although" not in text


def test_proposals_do_not_depend_on_the_order_articles_arrived_in(positioned):
    from storyline.positions.proposals import suggest

    store, _ids = positioned
    statements = store.statements()
    reordered = sorted(statements, key=lambda s: (-s.article_id, s.start))
    assert suggest(reordered) == suggest(statements)


def test_reanalysed_statements_are_judged_again(positioned):
    """Re-analysing the newest article frees the highest statement ids, which SQLite hands to its
    new statements: the propositions must judge them again rather than take them as seen."""
    store, ids = positioned
    newest = max(store.statements(), key=lambda s: s.id).article_id
    before = sorted((p.statement.speaker, p.stance, p.statement.text) for p in timeline(store, ids["land_for_nato"]))
    again = [(Statement(s.kind, s.text, s.start, s.end, s.speaker, "person" if s.actor_id else UNNAMED, s.role, s.cue, s.via, s.date,
                        s.date_kind), s.actor_id)
             for s in store.statements() if s.article_id == newest]
    store.save_statements(newest, again, ANALYSIS_VERSION, store.parses([newest], ANALYSIS_VERSION)[newest])
    update(store, only=("stances", "shifts"))
    assert sorted((p.statement.speaker, p.stance, p.statement.text) for p in timeline(store, ids["land_for_nato"])) == before

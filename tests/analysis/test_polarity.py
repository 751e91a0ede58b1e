"""Which way a statement leans on a proposition, on sentences from the seeds and their outlets' style."""

from __future__ import annotations

import pytest

from storyline.analysis.polarity import lean, opens_with_anaphor, parse_claim
from storyline.analysis.statements import load_pipeline

LAND_FOR_NATO = "Ukraine should give up territory in exchange for NATO membership."
UKRAINE_IN_NATO = "Ukraine should pursue / be granted NATO membership."


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def claims(nlp):
    return {"land": parse_claim(nlp, LAND_FOR_NATO), "nato": parse_claim(nlp, UKRAINE_IN_NATO)}


def stance(nlp, claims, which: str, text: str, direct: bool = False) -> str | None:
    found = lean(nlp(text), claims[which], direct=direct)
    return found.stance if found else None


def test_claims_are_parsed_into_direction_object_and_trade(claims):
    assert claims["land"].direction == -1 and "territory" in claims["land"].objects
    assert claims["land"].in_exchange_for == "NATO membership"
    assert claims["nato"].direction == 1 and claims["nato"].in_exchange_for is None


@pytest.mark.parametrize("text", [
    "that Ukraine does not intend to trade land for security guarantees or alliance membership",  # seed 000
    "We aren't discussing possibility of obtaining NATO membership in exchange for occupied territories",  # seed 001's headline
    "Our principles are very clear and strong. Any concession on independence, territorial integrity and sovereignty is not acceptable.",  # 004
    "there have been no credible offers from Western partners, NATO members, or any alliance bloc that would require Ukraine "
    "to relinquish territory in exchange for entry into the alliance.",  # 000: a negation the parser attaches far away
])
def test_refusals_oppose_land_for_membership(nlp, claims, text):
    assert stance(nlp, claims, "land", text) == "oppose"


def test_a_proposal_to_trade_supports_it(nlp, claims):
    # Seed 004: Rasmussen's proposal, as the position noun's "to" clause gives it.
    text = "to receive membership of the alliance in exchange for renouncing claims on Russian-controlled territories"
    assert stance(nlp, claims, "land", text) == "support"


def test_dropping_the_ambition_opposes_membership(nlp, claims):
    text = "that Kyiv is prepared to drop its long-held ambition of joining NATO in exchange for Western security guarantees"
    assert stance(nlp, claims, "nato", text) == "oppose"
    # Giving up NATO is not giving up land: no stance on the land-for-membership trade.
    assert stance(nlp, claims, "land", text) is None


@pytest.mark.parametrize("text", [
    "Ukraine was prepared to be \"flexible\" over its goal to join NATO",  # seed 003
    "that the country might contemplate withdrawing its objective of joining the Atlantic military alliance",  # seed 003
    "If Russia guarantees our security, we could drop our bid to join NATO.",  # a conditional
])
def test_hedged_and_conditional_statements_are_mixed(nlp, claims, text):
    assert stance(nlp, claims, "nato", text) == "mixed"


def test_judgements_of_the_goal_itself(nlp, claims):
    assert stance(nlp, claims, "nato", "NATO membership remains integral for Ukraine") == "support"
    assert stance(nlp, claims, "nato", "Ukraine joining NATO would be a trigger for war") == "oppose"


def test_negation_scope_stays_on_its_own_predicate(nlp, claims):
    # "not a member" states a fact; it judges nothing about joining.
    text = ("We are not a member of NATO right now and to avoid war we are ready for many concessions "
            "and that is what we are doing in our conversations with Russia,")
    assert stance(nlp, claims, "nato", text) is None
    # A negated trade refuses the trade, not membership itself.
    text = "Ukraine is not discussing the possibility of gaining NATO membership in exchange for relinquishing territories"
    assert stance(nlp, claims, "land", text) == "oppose"
    assert stance(nlp, claims, "nato", text) is None


def test_someone_elses_view_is_not_the_speakers(nlp, claims):
    # Seed 001: the "may" belongs to the partners' ideas, and does not make Zelenskyy's refusal mixed.
    text = ("Ukraine is not discussing the possibility of gaining NATO membership in exchange for relinquishing territories "
            "currently under Russian occupation, although some partner countries may have such ideas")
    assert stance(nlp, claims, "land", text) == "oppose"
    # Seed 002: what Russia demands, reported by Zelenskyy, is Russia's position.
    assert stance(nlp, claims, "land", "while noting that Russia continues to demand a Ukrainian withdrawal from parts of Donetsk") is None


def test_a_quotation_about_the_past_is_not_a_stance_now(nlp, claims):
    text = "From the very beginning, Ukraine’s desire was to join NATO; these are real security guarantees."
    assert stance(nlp, claims, "nato", text, direct=True) is None


def test_anaphoric_openings_point_back(nlp):
    assert opens_with_anaphor(nlp("Naturally, this issue is one of the cornerstones, and it is subject to special discussion,"))
    assert not opens_with_anaphor(nlp("NATO membership remains integral for Ukraine"))

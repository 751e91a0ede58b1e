"""The trained stance reader's decision around the model: hedges, anaphora, and what an off-topic proposition finds."""

from __future__ import annotations

import shutil

import pytest

from bench.data import eval_data_dir, into_spanish
from bench.stance import PERSPECTRUM_DEV, read_pairs
from storyline.analysis import embeddings
from storyline.analysis.actors import speaks_for_no_one
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.positions.scoring import PositionScorer, hedges_in, opens_with_anaphor
from storyline.records import StoredStatement
from storyline.store import Store
from tests.conftest import SEEDS


# Sentences from PolNeAR dev (2016 US election news).
@pytest.mark.parametrize(("text", "hedges"), [
    ("If it worked against Mitt Romney, it might just work against Donald Trump.", ["might"]),
    ("veterans who suffer from PTSD might not be as strong as those who don't", ["might"]),
    ("A global climate accord could not simply be a compact among developed economies", []),
    ("Trump, and that her proposals did not purport to cover every loophole", []),
])
def test_epistemic_hedges_but_not_negated_ability(text, hedges):
    assert hedges_in(text) == hedges


@pytest.mark.parametrize(("text", "anaphoric"), [
    ("This is in their heads.", True),
    ("Therefore, it might be in your benefit to stop generalizing.", True),
    ("A global climate accord could not simply be a compact among developed economies", False),
])
def test_statements_that_point_back(text, anaphoric):
    assert opens_with_anaphor(text) is anaphoric


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The seeds analysed."""
    with Store(tmp_path_factory.mktemp("scoring") / "seeds.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=("statements",))
        yield store


@pytest.fixture(scope="module")
def whaling(analysed):
    """A proposition about another story, judged on the seeds."""
    proposition = analysed.add_proposition("Commercial whaling should be banned worldwide.")
    update(analysed, only=("stances",))
    return analysed.proposition_reading(proposition)


def test_a_proposition_about_another_story_says_what_it_read(analysed, whaling):
    assert whaling.considered == len([s for s in analysed.statements() if s.actor_id is not None]), "a stance is an actor's"
    assert whaling.judged <= whaling.considered // 10, "retrieval hands the reader only statements near the proposition"


# Since the attribution tagger (issue 17) finds Erdogan's warning, the reader misreads it: its
# neutral class is weak where the words share a domain (the sea). No rule is written for it.
@pytest.mark.xfail(strict=True, reason="Erdogan's 'the Black Sea should not become an area of confrontation' reads as "
                                       "oppose (0.47, side threshold 0.44) to a whaling ban")
def test_a_proposition_about_another_story_takes_no_stance(whaling):
    assert whaling.stances == 0


def test_every_statement_with_a_speaker_keeps_its_vector_for_later_propositions(analysed):
    store = analysed
    store.add_proposition("Ukraine should hold elections during the war.")
    update(store, only=("stances",))
    spoken = [s for s in store.statements() if s.actor_id is not None and not speaks_for_no_one(s.speaker)]
    assert len(store.statement_vectors([s.id for s in spoken], embeddings.ENGLISH.name)) == len(spoken)


@pytest.mark.skipif(not shutil.which("apertium"), reason="Debian's apertium is not installed (make install does it)")
def test_statements_no_translator_reads_are_judged_across_languages_in_their_own_words():
    """Perspectrum dev statements put into Spanish and left untranslated, as a Russian or
    Ukrainian statement is where no translator serves the language."""
    rows = read_pairs(eval_data_dir() / PERSPECTRUM_DEV, limit=60)
    spanish = into_spanish([r["statement"] for r in rows])
    statements = [StoredStatement(i + 1, 1, 1, "Una portavoz", None, "quote", text, text, 0, len(text), "dijo", "quote",
                                  None, "unknown", None, None, None, language="es")
                  for i, text in enumerate(spanish)]
    scorer = PositionScorer(store=None)
    right = wrong = 0
    for claim in sorted({r["claim"] for r in rows}):
        mine = [s for s, r in zip(statements, rows, strict=True) if r["claim"] == claim]
        gold = {s.id: r["stance"] for s, r in zip(statements, rows, strict=True) if r["claim"] == claim}
        for judged in scorer.judge(claim, mine).stances:
            text = statements[judged.statement_id - 1].text
            assert "read across languages: no translation" in judged.cues
            assert judged.anchor and judged.anchor in text, "the deciding words are the statement's own"
            right += judged.stance == gold[judged.statement_id]
            wrong += judged.stance != gold[judged.statement_id]
    assert right + wrong >= 20, "most statements near their claim take a side"
    assert right > wrong, (right, wrong)  # a weak reader, but not a coin; its floor: tests/bench

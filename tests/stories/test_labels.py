"""Section labels: keyphrases chosen among the phrases several sentences use, and only those read
by the encoder."""

from __future__ import annotations

import numpy as np

from storyline.analysis import embeddings
from storyline.analysis.sentences import split_sentences
from storyline.stories.labels import keyphrases, text_phrases
from tests.conftest import SEEDS


def test_only_phrases_that_could_head_a_section_are_encoded(monkeypatch):
    """A phrase one sentence uses can never be chosen among three or more sentences, and a second
    casing of a phrase reads the same to the uncased model: neither is encoded."""
    text = (SEEDS / "002_49451109cdc68bcb.txt").read_text(encoding="utf-8")
    documents = [s for s in split_sentences(text) if len(s.split()) >= 8][:12]
    found = text_phrases(documents)
    centre = embeddings.ENGLISH.encode(documents).mean(axis=0)
    centre /= np.linalg.norm(centre)
    encode = embeddings.ENGLISH._load()
    asked: list[str] = []
    counted = embeddings.Encoder("MiniLM, counted", embeddings.DIMENSIONS,
                                 lambda: lambda texts, query: asked.extend(texts) or encode(texts, query))
    monkeypatch.setattr(embeddings, "ENGLISH", counted)

    chosen = keyphrases(found, centre, documents, count=3)

    lowered = [d.casefold() for d in documents]
    every = set().union(*found)
    assert len(asked) < len(every) / 2  # most phrases are used by one sentence only
    assert all(sum(p.casefold() in d for d in lowered) >= 2 for p in asked)
    assert len({p.casefold() for p in asked}) == len(asked)
    assert chosen and set(chosen) <= set(asked)

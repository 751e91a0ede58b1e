"""The packaged encoders: unit vectors, and texts encoded lately are not encoded again."""

from __future__ import annotations

import numpy as np

from storyline.analysis import embeddings
from tests.conftest import SEEDS


def test_vectors_are_unit_length_and_a_repeat_is_not_encoded_again():
    sentences = [p for p in (SEEDS / "002_49451109cdc68bcb.txt").read_text(encoding="utf-8").split("\n\n") if len(p) > 80][:4]
    model = embeddings.ENGLISH._load()
    asked: list[list[str]] = []
    encoder = embeddings.Encoder("MiniLM, counted", embeddings.DIMENSIONS, lambda: lambda texts, query: asked.append(texts) or model(texts, query))
    first = encoder.encode(sentences[:2])
    assert np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)
    mixed = encoder.encode([sentences[2], sentences[0], sentences[2], sentences[1], sentences[3]])
    assert asked == [sentences[:2], [sentences[2], sentences[3]]]  # only the new ones, each once
    assert np.allclose(mixed[1], first[0]) and np.allclose(mixed[3], first[1]) and np.allclose(mixed[0], mixed[2])
    assert float(mixed[0] @ mixed[4]) < 0.99
    assert np.allclose(mixed, embeddings.ENGLISH.encode([sentences[2], sentences[0], sentences[2], sentences[1], sentences[3]]), atol=1e-5)

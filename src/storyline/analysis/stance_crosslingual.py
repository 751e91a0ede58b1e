"""The stance reader for statements with no English to read (no translator for their language).

A three-way logistic regression over frozen multilingual-e5 vectors of the proposition and the
statement, [u, v, u*v, |u-v|], trained on Perspectrum train in English: e5 puts a statement
near its translation, so a head fit on English pairs reads a Russian or Ukrainian statement
against an English proposition. It reads worse than the cross-encoder through a translation
(`python -m bench.stance crosslingual` measures both on Perspectrum dev put into Spanish), so
it is used only where no translation exists. Weights and card: `make train-stance`.
"""

from __future__ import annotations

import json
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from storyline.analysis import embeddings
from storyline.analysis.stance_model import (
    LABELS,
    MODEL_DIR,
    StanceProbabilities,
    probabilities_of,
)

WEIGHTS_FILE = MODEL_DIR / "stance-crosslingual.npz"
CARD_FILE = MODEL_DIR / "stance-crosslingual.json"
ENCODER = embeddings.MULTILINGUAL_ENGINE  # the vectors it was fit on; refit on the int8 graph's, it lost dev F1


def pair_features(propositions: np.ndarray, statements: np.ndarray) -> np.ndarray:
    """What the head reads of each pair of unit vectors: both, their product and their distance."""
    return np.hstack([propositions, statements, propositions * statements, np.abs(propositions - statements)])


class CrossLingualReader:
    """Batches of (proposition, statement in any language) through the head."""

    def __init__(self, weights_file: Path = WEIGHTS_FILE, card_file: Path = CARD_FILE):
        if not weights_file.exists():
            raise FileNotFoundError(f"no cross-language stance head at {weights_file}; train one with `make train-stance`")
        self.weights_file = weights_file
        self.card = json.loads(card_file.read_text()) if card_file.exists() else {}

    @cached_property
    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        with np.load(self.weights_file) as saved:
            order = [list(saved["labels"]).index(label) for label in LABELS]
            return saved["coef"][order], saved["intercept"][order]

    def probabilities(self, pairs: list[tuple[str, str]]) -> list[StanceProbabilities]:
        if not pairs:
            return []
        # Passage vectors for both sides, as the head was trained (bench/stance_training.py).
        features = pair_features(ENCODER.encode([p for p, _s in pairs]), ENCODER.encode([s for _p, s in pairs]))
        coef, intercept = self._weights
        return probabilities_of((features @ coef.T + intercept) / float(self.card.get("temperature", 1.0)))

    @property
    def retrieval(self) -> float:
        """e5 cosine a statement needs to its proposition to be judged, fit as the card says."""
        return float(self.card.get("retrieval", 0.0))

    @property
    def side(self) -> float:
        """Probability of a side at which the head takes it: its own, fit as the card says."""
        return float(self.card.get("side", 0.5))


@lru_cache(maxsize=1)
def default_crosslingual_reader() -> CrossLingualReader:
    return CrossLingualReader()

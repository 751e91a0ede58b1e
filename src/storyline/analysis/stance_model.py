"""The trained stance reader: (proposition, statement) -> support / oppose / neutral.

A MiniLM cross-encoder fine-tuned on Perspectrum (see `bench/stance_training.py` and the model
card beside the weights), run through onnxruntime with int8 weights: no torch at run time.
Probabilities are temperature-scaled on Perspectrum dev's three-way log-loss (the card's
`temperature`); `bench.stance` reports how well the side's probability is calibrated (its ECE).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from storyline.analysis.runtime import onnx_session, run_alone
from storyline.memo import Memo
from storyline.settings import settings

LABELS = ("support", "oppose", "neutral")
MAX_TOKENS = 128
MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = MODEL_DIR / "stance-minilm-int8.onnx"
TOKENIZER_FILE = MODEL_DIR / "stance-tokenizer.json"
CARD_FILE = MODEL_DIR / "stance-minilm.json"


@dataclass(frozen=True)
class StanceProbabilities:
    support: float
    oppose: float
    neutral: float

    @property
    def label(self) -> str:
        return max(LABELS, key=lambda label: getattr(self, label))

    @property
    def confidence(self) -> float:
        return getattr(self, self.label)


class StanceReader:
    """Batches of (proposition, statement) pairs through the ONNX graph."""

    def __init__(self, model_file: Path = MODEL_FILE, tokenizer_file: Path = TOKENIZER_FILE, card_file: Path = CARD_FILE):
        for path in (model_file, tokenizer_file):
            if not path.exists():
                raise FileNotFoundError(f"no stance model at {path}; train one with `make train-stance`")
        self.model_file = model_file
        self.tokenizer_file = tokenizer_file
        self.card = json.loads(card_file.read_text()) if card_file.exists() else {}
        self.temperature = float(self.card.get("temperature", 1.0))
        self._memo: Memo[np.ndarray] = Memo(settings().stances.pairs_remembered)

    @property
    def side(self) -> float:
        """Probability of a side at which the reader takes it, fit on dev as the card says."""
        return float(self.card.get("side", 0.5))

    @cached_property
    def _session(self):
        return onnx_session(self.model_file)

    @cached_property
    def _tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.tokenizer_file))
        tokenizer.enable_truncation(MAX_TOKENS, strategy="only_second")
        tokenizer.no_padding()
        return tokenizer

    def logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Each distinct pair read once: wire copies, repeated paragraphs and an occlusion's
        variants often repeat a statement word for word, and a pair reads the same alone."""
        if not pairs:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        return np.vstack(self._memo.through(pairs, self._read))

    def _read(self, pairs: list[tuple[str, str]]) -> list[np.ndarray]:
        return run_alone(self._session, "logits", self._tokenizer.encode_batch(pairs))

    def probabilities(self, pairs: list[tuple[str, str]]) -> list[StanceProbabilities]:
        return probabilities_of(self.logits(pairs) / self.temperature)


def probabilities_of(logits: np.ndarray) -> list[StanceProbabilities]:
    """Softmax of each row of logits in LABELS order."""
    if not len(logits):
        return []
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return [StanceProbabilities(*(float(x) for x in row)) for row in p]


@lru_cache(maxsize=1)
def default_reader() -> StanceReader:
    return StanceReader()

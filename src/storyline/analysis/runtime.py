"""Where the shipped ONNX models run: onnxruntime on the CPU, one thread per core (up to four),
so that reading a statement or embedding a sentence needs no torch."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np


def onnx_session(model_file: Path):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, min(os.cpu_count() or 1, 4))  # more threads than cores only adds contention
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


def run_alone(session, output: str, encodings: Iterable) -> Iterator[np.ndarray]:
    """Each tokenized text through the graph on its own, its `output` for that one text. The int8
    graphs quantise activations with scales taken from the whole batch, so in a batch a text's
    result would depend on its neighbours (up to 0.6 in a stance logit): a text must read the same
    in any run, on any worker. Alone it also carries no padding; on 2 cores that reads long texts
    as fast as batches do and short ones about a quarter slower."""
    for encoded in encodings:
        feed = {name: np.array([values], dtype=np.int64) for name, values in
                (("input_ids", encoded.ids), ("attention_mask", encoded.attention_mask), ("token_type_ids", encoded.type_ids))}
        yield session.run([output], feed)[0][0]

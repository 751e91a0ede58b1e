"""Where the shipped ONNX models run: onnxruntime on the CPU, so that reading a statement or
embedding a sentence needs no torch. Texts run side by side, one thread each, up to one per core
(at most four)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")


def _cores() -> int:
    return max(1, min(os.cpu_count() or 1, 4))  # more threads than cores only adds contention


def onnx_session(model_file: Path):
    """One thread inside each run: runs go side by side instead (see run_alone)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=1)
def _side_by_side(process: int) -> ThreadPoolExecutor:
    """The pool of this process: a forked child has none of its parent's threads, so it makes its own."""
    return ThreadPoolExecutor(_cores(), thread_name_prefix=f"onnx-{process}")


def side_by_side(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`function` over the items on this process's pool, one thread per core, results in order.
    onnxruntime lets go of the interpreter while it runs, so single-threaded runs side by side
    keep the cores busy: on 2 cores 1.7 times the texts a second of one run on two threads, whose
    work on one short text is too small to share."""
    items = list(items)
    if len(items) < 2:
        return [function(item) for item in items]
    return list(_side_by_side(os.getpid()).map(function, items))


def run_alone(session, output: str, encodings: Iterable) -> list[np.ndarray]:
    """Each tokenized text through the graph on its own, its `output` for that one text, in order.
    The int8 graphs quantise activations with scales taken from the whole batch, so in a batch a
    text's result would depend on its neighbours (up to 0.6 in a stance logit): a text must read
    the same in any run, on any worker. Alone it also carries no padding."""
    feeds = [{name: np.array([values], dtype=np.int64) for name, values in
              (("input_ids", encoded.ids), ("attention_mask", encoded.attention_mask), ("token_type_ids", encoded.type_ids))}
             for encoded in encodings]
    return side_by_side(lambda feed: session.run([output], feed)[0][0], feeds)

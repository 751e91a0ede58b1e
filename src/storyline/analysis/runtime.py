"""Where the shipped ONNX models run: onnxruntime on the CPU, one thread per core (up to four),
so that reading a statement or embedding a sentence needs no torch."""

from __future__ import annotations

import os
from pathlib import Path


def onnx_session(model_file: Path):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, min(os.cpu_count() or 1, 4))  # more threads than cores only adds contention
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])

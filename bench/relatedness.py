"""FNC-1 relatedness (the rule reader's confidence): train the shipped classifier and score it
with the competition's own scorer.

    python -m bench.relatedness train      # make train-relatedness: src/storyline/analysis/models/relatedness.{skops,json}
    python -m bench.relatedness evaluate   # scores the shipped model on the held-out bodies

The split is by article body, as the competition's was: a held-out body is never seen in
training, under any headline. Body ids are shuffled with a fixed seed, so the split is the
same on every machine.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import random
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.data import REPO, eval_data_dir
from bench.scoring import class_f1, expected_calibration_error
from storyline.analysis import embeddings
from storyline.analysis.relatedness import (
    LABELS,
    MODEL_FILE,
    StanceModel,
    body_sentences,
    pair_features,
)

DATASET = "FNC-1 (train split, held-out bodies)"
REFERENCE = {"2017 winner (SOLAT)": 82.02, "RoBERTa fine-tuned (Dulhanty 2019)": 90.0}
HELD_OUT_SHARE = 0.2
SPLIT_SEED = 20170601
CACHE = REPO / "bench" / "out" / "fnc-vectors"
# Rare classes weigh (share of the class)^-power: 0 ignores rarity, 1 balances the classes fully.
CLASS_WEIGHT_POWER = 0.5


@dataclass
class Pair:
    headline: str
    body_id: str
    stance: str


@dataclass
class StanceScores:
    pairs: int
    fnc_score: float  # percent of the best possible, as scorer.py's TEST / MAX
    macro_f1: float
    class_f1: dict[str, float]
    accuracy: float
    seconds_per_10k: float
    related_ece: float  # calibration of P(related), the confidence positions report: expected calibration error, 10 bins


def _folder() -> Path:
    return eval_data_dir() / "stance-fnc1"


def official_scorer():
    """The competition's scorer.py, imported from the data folder rather than copied."""
    spec = importlib.util.spec_from_file_location("fnc_scorer", _folder() / "scorer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load() -> tuple[dict[str, str], list[Pair]]:
    csv.field_size_limit(sys.maxsize)
    with open(_folder() / "train_bodies.csv", encoding="utf-8") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with open(_folder() / "train_stances.csv", encoding="utf-8") as handle:
        pairs = [Pair(row["Headline"], row.get("Body ID") or row["Body_ID"], row["Stance"]) for row in csv.DictReader(handle)]
    return bodies, pairs


def split(pairs: list[Pair]) -> tuple[list[Pair], list[Pair]]:
    body_ids = sorted({p.body_id for p in pairs}, key=int)
    random.Random(SPLIT_SEED).shuffle(body_ids)
    held_out = set(body_ids[: int(len(body_ids) * HELD_OUT_SHARE)])
    return [p for p in pairs if p.body_id not in held_out], [p for p in pairs if p.body_id in held_out]


def _vectors(texts: list[str]) -> np.ndarray:
    """Embeddings, cached on disk by content: training re-runs should not re-encode 40k sentences."""
    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = embeddings.ENGLISH.encode(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def features(bodies: dict[str, str], pairs: list[Pair]) -> np.ndarray:
    """Feature rows of the pairs, cached on disk by the pairs and the feature code's source."""
    import inspect

    from storyline.analysis import relatedness

    key = "\x00".join(f"{p.headline}\x01{p.body_id}" for p in pairs) + inspect.getsource(relatedness)
    path = CACHE / f"features-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    rows = _features(bodies, pairs)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, rows)
    return rows


def _features(bodies: dict[str, str], pairs: list[Pair]) -> np.ndarray:
    sentences_of_body = {b: body_sentences(bodies[b]) or [bodies[b]] for b in sorted({p.body_id for p in pairs}, key=int)}
    flat = [s for sentences in sentences_of_body.values() for s in sentences]
    flat_vectors = _vectors(flat)
    body_vectors, cursor = {}, 0
    for body_id, sentences in sentences_of_body.items():
        body_vectors[body_id] = flat_vectors[cursor:cursor + len(sentences)]
        cursor += len(sentences)
    headlines = sorted({p.headline for p in pairs})
    headline_vectors = dict(zip(headlines, _vectors(headlines), strict=True))
    return np.vstack([pair_features(p.headline, headline_vectors[p.headline], sentences_of_body[p.body_id], body_vectors[p.body_id])
                      for p in pairs])


def official_score(rows: list[tuple[str, str, str]], predicted: list[str]) -> float:
    """The competition's weighted score of (headline, body id, stance) rows, as a percent of the best possible."""
    scorer = official_scorer()
    gold = [{"Headline": h, "Body ID": b, "Stance": s} for h, b, s in rows]
    test = [{"Headline": h, "Body ID": b, "Stance": p} for (h, b, _s), p in zip(rows, predicted, strict=True)]
    raw, _matrix = scorer.score_submission(gold, test)
    _null, best = scorer.score_defaults(gold)
    return 100 * raw / best


def score(pairs: list[Pair], predicted: list[str], seconds: float, related_ece: float = float("nan")) -> StanceScores:
    gold = [p.stance for p in pairs]
    f1 = {label: class_f1(gold, predicted, label) for label in LABELS}
    accuracy = sum(g == s for g, s in zip(gold, predicted, strict=True)) / max(1, len(pairs))
    return StanceScores(len(pairs), official_score([(p.headline, p.body_id, p.stance) for p in pairs], predicted),
                        sum(f1.values()) / len(LABELS), f1, accuracy, seconds / max(1, len(pairs)) * 10_000, related_ece)


def train(class_weight_power: float = CLASS_WEIGHT_POWER, model_file: Path = MODEL_FILE) -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from skops.io import dump

    bodies, pairs = load()
    training, held_out = split(pairs)
    started = time.perf_counter()
    x_train = features(bodies, training)
    y_train = np.array([p.stance for p in training])
    # Rare classes weigh more, gently: FNC's score rewards the related classes, macro-F1 the rare one.
    counts = {label: (y_train == label).sum() for label in LABELS}
    weights = np.array([(len(y_train) / (len(LABELS) * counts[y])) ** class_weight_power for y in y_train])
    classifier = HistGradientBoostingClassifier(max_iter=400, learning_rate=0.08, max_leaf_nodes=31, min_samples_leaf=30,
                                                l2_regularization=1.0, early_stopping=True, validation_fraction=0.1,
                                                n_iter_no_change=30, random_state=0)
    classifier.fit(x_train, y_train, sample_weight=weights)
    trained_seconds = time.perf_counter() - started
    model_file.parent.mkdir(parents=True, exist_ok=True)
    dump(classifier, model_file, compression=zipfile.ZIP_DEFLATED)
    scores = evaluate(StanceModel(classifier, {}), bodies, held_out)
    card = {
        "task": "stance of a text toward a claim, FNC-1 labels " + ", ".join(LABELS),
        "data": "FNC-1 train_bodies.csv + train_stances.csv (../shared/data/stance-fnc1)",
        "split": f"by body id, {HELD_OUT_SHARE:.0%} of bodies held out, random.Random({SPLIT_SEED}).shuffle",
        "training_pairs": len(training), "held_out_pairs": len(held_out),
        "encoder": embeddings.ENGLISH.name,
        "classifier": f"scikit-learn HistGradientBoostingClassifier, {classifier.n_iter_} iterations, "
                      f"class weights (share)^-{class_weight_power}",
        "training_seconds": round(trained_seconds, 1),
        "held_out": {"fnc_score": round(scores.fnc_score, 2), "macro_f1": round(scores.macro_f1, 4),
                     "class_f1": {k: round(v, 4) for k, v in scores.class_f1.items()}, "accuracy": round(scores.accuracy, 4)},
        "command": "make train-relatedness",
    }
    model_file.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    return card


def evaluate(model: StanceModel | None = None, bodies: dict[str, str] | None = None, pairs: list[Pair] | None = None,
             limit_bodies: int | None = None) -> StanceScores:
    """Scores on held-out bodies; `limit_bodies` takes the first few held-out bodies, for CI's floor."""
    model = model or StanceModel.load()
    if bodies is None or pairs is None:
        bodies, all_pairs = load()
        pairs = split(all_pairs)[1]
    if limit_bodies:
        keep = sorted({p.body_id for p in pairs}, key=int)[:limit_bodies]
        pairs = [p for p in pairs if p.body_id in set(keep)]
    started = time.perf_counter()
    rows = features(bodies, pairs)
    probabilities = model.classifier.predict_proba(rows)
    labels = [str(c) for c in model.classifier.classes_]
    predicted = [labels[i] for i in probabilities.argmax(axis=1)]
    related = 1.0 - probabilities[:, labels.index("unrelated")]
    ece = expected_calibration_error(related, np.array([p.stance != "unrelated" for p in pairs], dtype=float))
    return score(pairs, predicted, time.perf_counter() - started, ece)


if __name__ == "__main__":
    if sys.argv[1:] == ["train"]:
        print(json.dumps(train(), indent=2))
    else:
        result = evaluate()
        print(json.dumps(result.__dict__, indent=2))

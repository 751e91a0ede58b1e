"""FNC-1 (../shared/data/stance-fnc1): its pairs and the competition's own scorer, for the stance
and story-line evaluations."""

from __future__ import annotations

import csv
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.data import eval_data_dir


@dataclass
class Pair:
    headline: str
    body_id: str
    stance: str


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


def official_score(rows: list[tuple[str, str, str]], predicted: list[str]) -> float:
    """The competition's weighted score of (headline, body id, stance) rows, as a percent of the best possible."""
    scorer = official_scorer()
    gold = [{"Headline": h, "Body ID": b, "Stance": s} for h, b, s in rows]
    test = [{"Headline": h, "Body ID": b, "Stance": p} for (h, b, _s), p in zip(rows, predicted, strict=True)]
    raw, _matrix = scorer.score_submission(gold, test)
    _null, best = scorer.score_defaults(gold)
    return 100 * raw / best

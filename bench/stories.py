"""Story clustering: calibrate the two thresholds and score them with B-cubed precision, recall, F1.

    python -m bench.stories calibrate   # writes src/storyline/stories/calibration.json
    python -m bench.stories             # scores the calibrated thresholds on held-out data

Events: NeuS/AllSides, where each line holds three outlets' articles on one story (title and
lead); calibrated on train lines, scored on val lines. Story lines: FNC-1 bodies grouped by
the Emergent claim their related headlines make (bodies linked through a shared headline are
one claim), a looser, longer-running grouping; calibrated on one half of the claims, scored
on the other. Articles arrive in a fixed shuffled order, as a stream would bring them.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from bench.data import eval_data_dir
from bench.stance import load as load_fnc
from storyline.analysis import embeddings
from storyline.stories.clustering import CALIBRATION, cluster_offline

DATASET_EVENTS = "stories-neus (NeuS / AllSides)"
DATASET_STORIES = "FNC-1 bodies by Emergent claim"
REFERENCE = "Miranda et al. 2018, multilingual stream clustering: B-cubed F1 about 0.94 on their own corpus (different data)"
GRID = [round(0.30 + 0.025 * i, 3) for i in range(21)]
SEED = 2018


@dataclass
class BCubed:
    precision: float
    recall: float
    f1: float
    items: int
    clusters: int


def b_cubed(predicted: list[int], gold: list[int]) -> BCubed:
    by_predicted, by_gold = defaultdict(set), defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_predicted[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        shared = len(by_predicted[p] & by_gold[g])
        precision += shared / len(by_predicted[p])
        recall += shared / len(by_gold[g])
    n = max(1, len(gold))
    precision, recall = precision / n, recall / n
    return BCubed(precision, recall, 2 * precision * recall / max(1e-9, precision + recall), len(gold), len(by_predicted))


def neus(split: str, limit: int | None = None) -> tuple[list[str], list[int]]:
    texts, gold = [], []
    lines = (eval_data_dir() / "stories-neus" / f"{split}.source").read_text(encoding="utf-8").splitlines()[:limit]
    for story, line in enumerate(lines):
        for part in line.split("[SEP]"):
            title, _, body = part.partition("ARTICLE=>")
            text = f"{title.replace('TITLE=>', '').strip()} {body.strip()}"[:1000]
            if text.strip():
                texts.append(text)
                gold.append(story)
    return _shuffled(texts, gold)


def fnc_claims() -> tuple[list[str], list[int]]:
    bodies, pairs = load_fnc()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for pair in pairs:
        if pair.stance != "unrelated":
            parent[find("b" + pair.body_id)] = find("h" + pair.headline)
    groups: dict[str, list[str]] = defaultdict(list)
    for body_id in bodies:
        if "b" + body_id in parent:
            groups[find("b" + body_id)].append(body_id)
    texts, gold = [], []
    for claim, (_root, members) in enumerate(sorted(groups.items())):
        for body_id in members:
            texts.append(bodies[body_id][:1000])
            gold.append(claim)
    return _shuffled(texts, gold)


def _shuffled(texts: list[str], gold: list[int]) -> tuple[list[str], list[int]]:
    order = list(range(len(texts)))
    random.Random(SEED).shuffle(order)
    return [texts[i] for i in order], [gold[i] for i in order]


def _half(texts: list[str], gold: list[int], first: bool) -> tuple[np.ndarray, list[int]]:
    keep = [i for i, g in enumerate(gold) if (g % 2 == 0) == first]
    return embeddings.encode([texts[i] for i in keep]), [gold[i] for i in keep]


def _best_threshold(vectors: np.ndarray, gold: list[int]) -> tuple[float, BCubed]:
    scored = [(t, b_cubed(cluster_offline(vectors, t), gold)) for t in GRID]
    return max(scored, key=lambda pair: pair[1].f1)


def calibrate() -> dict:
    texts, gold = neus("train", limit=400)
    event_threshold, event_fit = _best_threshold(embeddings.encode(texts), gold)
    claims_texts, claims_gold = fnc_claims()
    story_threshold, story_fit = _best_threshold(*_half(claims_texts, claims_gold, first=True))
    record = {
        "event_threshold": event_threshold, "story_threshold": min(story_threshold, event_threshold),
        "event_calibration": {"data": "stories-neus train, first 400 lines", **event_fit.__dict__},
        "story_calibration": {"data": "FNC-1 bodies by Emergent claim, even-numbered claims", **story_fit.__dict__},
        "encoder": embeddings.EMBEDDING_MODEL, "command": "python -m bench.stories calibrate",
    }
    CALIBRATION.write_text(json.dumps(record, indent=2) + "\n")
    return record


def evaluate(limit: int | None = None) -> dict[str, BCubed]:
    """B-cubed scores of the calibrated thresholds on data they were not calibrated on."""
    record = json.loads(CALIBRATION.read_text())
    texts, gold = neus("val", limit=limit)
    events = b_cubed(cluster_offline(embeddings.encode(texts), record["event_threshold"]), gold)
    claim_texts, claim_gold = fnc_claims()
    if limit:
        keep = [i for i, g in enumerate(claim_gold) if g < limit // 2]
        claim_texts, claim_gold = [claim_texts[i] for i in keep], [claim_gold[i] for i in keep]
    vectors, halves_gold = _half(claim_texts, claim_gold, first=False)
    stories = b_cubed(cluster_offline(vectors, record["story_threshold"]), halves_gold)
    return {"events": events, "stories": stories}


if __name__ == "__main__":
    if sys.argv[1:] == ["calibrate"]:
        print(json.dumps(calibrate(), indent=2))
    else:
        print({k: v.__dict__ for k, v in evaluate().items()})


def placement_cost(sizes: tuple[int, ...] = (1_000, 10_000, 100_000), trials: int = 50) -> list[tuple[int, float]]:
    """Milliseconds to find and score one new article's candidate events and story lines, in
    stores holding `size` events and as many story lines spread over five years, for articles
    from the latest month (a stream brings today's news). The candidate sets are bounded by
    date and count, so the figure should stay flat as the store grows."""
    import tempfile
    import time
    from datetime import date, timedelta
    from pathlib import Path

    from sqlalchemy import insert

    from storyline.store import Store
    from storyline.store.models import EventRow, StoryRow
    from storyline.stories.clustering import EVENT, STORY, Thresholds, best_match
    from storyline.stories.job import CANDIDATES

    rng = np.random.default_rng(7)
    thresholds = Thresholds.calibrated()
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "cost.db") as store:
            start = date(2021, 1, 1)
            with store.engine.begin() as connection:  # bench scaffolding: bulk rows straight into the tables
                for chunk in range(0, size, 10_000):
                    n = min(10_000, size - chunk)
                    vectors = rng.normal(size=(n, 384)).astype(np.float32)
                    days = [(start + timedelta(days=int(d))).isoformat() for d in rng.integers(0, 5 * 365, n)]
                    connection.execute(insert(StoryRow), [{"id": chunk + i + 1, "label": "", "centroid": vectors[i].tobytes(), "size": 1,
                                                          "first_date": days[i], "last_date": days[i]} for i in range(n)])
                    connection.execute(insert(EventRow), [{"id": chunk + i + 1, "story_id": chunk + i + 1, "centroid": vectors[i].tobytes(),
                                                          "size": 1, "first_date": days[i], "last_date": days[i], "actors": "[]"}
                                                         for i in range(n)])
            timings = []
            for _ in range(trials):
                vector = rng.normal(size=384).astype(np.float32)
                vector /= np.linalg.norm(vector)
                when = (start + timedelta(days=int(rng.integers(5 * 365 - 30, 5 * 365)))).isoformat()
                began = time.perf_counter()
                best_match(vector, when, set(), store.events_near(when, EVENT.reach, CANDIDATES), thresholds.event, EVENT)
                best_match(vector, when, set(), store.stories_near(when, STORY.reach, CANDIDATES), thresholds.story, STORY)
                timings.append(time.perf_counter() - began)
            results.append((size, 1000 * float(np.median(timings))))
    return results


def clustering_speed(articles: int = 500) -> float:
    """Articles per second through embedding and online clustering, on NeuS article leads."""
    import time

    texts, _gold = neus("val")
    texts = texts[:articles]
    record = json.loads(CALIBRATION.read_text())
    began = time.perf_counter()
    cluster_offline(embeddings.encode(texts), record["event_threshold"])
    return len(texts) / (time.perf_counter() - began)

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
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.data import eval_data_dir, into_spanish
from bench.fnc import load as load_fnc
from storyline.analysis import embeddings
from storyline.records import Representation
from storyline.stories.clustering import (
    CALIBRATION,
    EVENT,
    STORY,
    Calibration,
    Level,
    cluster_offline,
)

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


def _half(texts: list[str], gold: list[int], first: bool) -> tuple[list[str], list[int]]:
    keep = [i for i, g in enumerate(gold) if (g % 2 == 0) == first]
    return [texts[i] for i in keep], [gold[i] for i in keep]


def represent(texts: list[str], languages: list[str] | None = None, english_model: bool = True) -> list[Representation]:
    """Texts as the clusterer sees articles: English ones in both spaces (unless `english_model`
    is off), others in the multilingual space only."""
    languages = languages or ["en"] * len(texts)
    multilingual = embeddings.MULTILINGUAL.encode(texts)
    english_rows = [i for i, language in enumerate(languages) if language == "en"] if english_model else []
    english = dict(zip(english_rows, embeddings.ENGLISH.encode([texts[i] for i in english_rows]), strict=True))
    return [Representation(multilingual[i], english.get(i), frozenset({language})) for i, language in enumerate(languages)]


def _pair_cosines(vectors: np.ndarray) -> np.ndarray:
    upper = np.triu_indices(len(vectors), 1)
    return (vectors @ vectors.T)[upper].astype(np.float64)


def similarity_scale(vectors: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """(slope, intercept) of the linear map that gives `vectors`' pair cosines the mean and
    spread of `reference`'s, the space the time and actor weights were chosen in."""
    ours, theirs = _pair_cosines(vectors), _pair_cosines(reference)
    slope = float(theirs.std() / ours.std())
    return slope, float(theirs.mean() - slope * ours.mean())


def _fit(items: list[Representation], gold: list[int], level: Level, space: str, base: Calibration,
         grid: list[float] = GRID) -> tuple[float, BCubed]:
    """The threshold of one space and level with the best B-cubed F1."""
    def with_threshold(value: float) -> Calibration:
        thresholds = {**getattr(base, space), level.name: value}
        return replace(base, **{space: thresholds})

    scored = [(value, b_cubed(cluster_offline(items, with_threshold(value), level), gold)) for value in grid]
    return max(scored, key=lambda pair: pair[1].f1)


def _half_spanish(texts: list[str]) -> tuple[list[str], list[str]] | None:
    translated = into_spanish(texts[1::2])
    if translated is None:
        return None
    return ([translated[i // 2] if i % 2 else text for i, text in enumerate(texts)],
            ["es" if i % 2 else "en" for i in range(len(texts))])


def calibrate() -> dict:
    """Thresholds for each space and level, the multilingual scale, and the cross-language offset."""
    texts, gold = neus("train", limit=400)
    claim_texts, claim_gold = _half(*fnc_claims(), first=True)
    slope, intercept = similarity_scale(embeddings.MULTILINGUAL.encode(texts), embeddings.ENGLISH.encode(texts))
    base = Calibration({"event": 0.0, "story": 0.0}, {"event": 0.0, "story": 0.0}, slope, intercept)
    record: dict = {"command": "python -m bench.stories calibrate"}
    for space, english_model, encoder in (("english", True, embeddings.ENGLISH), ("multilingual", False, embeddings.MULTILINGUAL)):
        event_threshold, event_fit = _fit(represent(texts, english_model=english_model), gold, EVENT, space, base)
        story_threshold, story_fit = _fit(represent(claim_texts, english_model=english_model), claim_gold, STORY, space, base)
        story_threshold = min(story_threshold, event_threshold)  # a story line is never stricter than an event
        base = replace(base, **{space: {"event": event_threshold, "story": story_threshold}})
        record[space] = {
            "encoder": encoder.name,
            "event": {"threshold": event_threshold, "data": "stories-neus train, first 400 lines", **event_fit.__dict__},
            "story": {"threshold": story_threshold, "data": "FNC-1 bodies by Emergent claim, even-numbered claims", **story_fit.__dict__},
        }
    record["multilingual"]["similarity_scale"] = {
        "slope": round(slope, 4), "intercept": round(intercept, 4),
        "fitted": f"pair cosines on the NeuS lines matched in mean and spread to {embeddings.ENGLISH.name}'s"}
    mixed = _half_spanish(neus("train", limit=200)[0])
    if mixed is None:
        raise SystemExit("calibrating the cross-language offset needs Apertium (make system-packages)")
    offset, offset_fit = _fit_offset(represent(*mixed), neus("train", limit=200)[1], base)
    record["crosslingual_offset"] = {"value": offset, "data": "stories-neus train, first 200 lines, every other article "
                                     "put into Spanish by Apertium", **offset_fit.__dict__}
    CALIBRATION.write_text(json.dumps(record, indent=2) + "\n")
    return record


def _fit_offset(items: list[Representation], gold: list[int], base: Calibration) -> tuple[float, BCubed]:
    scored = [(value, b_cubed(cluster_offline(items, replace(base, crosslingual_offset=value)), gold))
              for value in [round(0.025 * i, 3) for i in range(17)]]
    return max(scored, key=lambda pair: pair[1].f1)


def evaluate(limit: int | None = None) -> dict[str, BCubed | None]:
    """B-cubed scores of the calibration on data it was not fitted on: English events (NeuS val),
    story lines (the other half of the FNC-1 claims), and events where every other article is
    in Spanish (None without Apertium)."""
    calibration = Calibration.calibrated()
    texts, gold = neus("val", limit=limit)
    claim_texts, claim_gold = fnc_claims()
    if limit:
        keep = [i for i, g in enumerate(claim_gold) if g < limit // 2]
        claim_texts, claim_gold = [claim_texts[i] for i in keep], [claim_gold[i] for i in keep]
    claim_texts, claim_gold = _half(claim_texts, claim_gold, first=False)
    mixed = _half_spanish(texts)
    return {
        "events": b_cubed(cluster_offline(represent(texts), calibration), gold),
        "stories": b_cubed(cluster_offline(represent(claim_texts), calibration, STORY), claim_gold),
        "mixed": b_cubed(cluster_offline(represent(*mixed), calibration), gold) if mixed else None,
    }


def compare_encoders(limit: int | None = None) -> list[tuple[str, float, float | None, float]]:
    """(setup, event B-cubed F1 on English NeuS val, on its half-Spanish version, story-line
    B-cubed F1 on the held-out FNC-1 claims), each model with its own calibrated thresholds:
    the measurement behind comparing English with English in the English space."""
    calibration = Calibration.calibrated()
    texts, gold = neus("val", limit=limit)
    mixed = _half_spanish(texts)
    claim_texts, claim_gold = _half(*fnc_claims(), first=False)
    rows = []
    for name, english_model in (("multilingual model only", False), ("English model for English text", True)):
        english = b_cubed(cluster_offline(represent(texts, english_model=english_model), calibration), gold).f1
        spanish_mixed = (b_cubed(cluster_offline(represent(*mixed, english_model=english_model), calibration), gold).f1
                         if mixed else None)
        stories = b_cubed(cluster_offline(represent(claim_texts, english_model=english_model), calibration, STORY), claim_gold).f1
        rows.append((name, english, spanish_mixed, stories))
    return rows


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

    from storyline.settings import settings
    from storyline.store import Store
    from storyline.store.models import EventRow, StoryRow
    from storyline.stories.clustering import best_match

    rng = np.random.default_rng(7)
    calibration = Calibration.calibrated()
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "cost.db") as store:
            start = date(2021, 1, 1)
            with store.engine.begin() as connection:  # bench scaffolding: bulk rows straight into the tables
                for chunk in range(0, size, 10_000):
                    n = min(10_000, size - chunk)
                    vectors = rng.normal(size=(n, 384)).astype(np.float32)
                    english = rng.normal(size=(n, 384)).astype(np.float32)
                    days = [(start + timedelta(days=int(d))).isoformat() for d in rng.integers(0, 5 * 365, n)]
                    shared = [{"id": chunk + i + 1, "centroid": vectors[i].tobytes(), "english_centroid": english[i].tobytes(),
                               "english_size": 1, "languages": '["en"]', "size": 1, "first_date": days[i], "last_date": days[i]}
                              for i in range(n)]
                    connection.execute(insert(StoryRow), [{**row, "label": ""} for row in shared])
                    connection.execute(insert(EventRow), [{**row, "story_id": row["id"], "actors": "[]"} for row in shared])
            timings = []
            for _ in range(trials):
                vectors = rng.normal(size=(2, 384)).astype(np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                item = Representation(vectors[0], vectors[1], frozenset({"en"}))
                when = (start + timedelta(days=int(rng.integers(5 * 365 - 30, 5 * 365)))).isoformat()
                began = time.perf_counter()
                best_match(item, when, set(), store.events_near(when, EVENT.reach, settings().stories.candidates), EVENT, calibration)
                best_match(item, when, set(), store.stories_near(when, STORY.reach, settings().stories.candidates), STORY, calibration)
                timings.append(time.perf_counter() - began)
            results.append((size, 1000 * float(np.median(timings))))
    return results


def clustering_speed(articles: int = 500) -> float:
    """Articles per second through embedding (both models) and online clustering, on NeuS article leads."""
    import time

    from storyline.memo import forget_all

    texts, _gold = neus("val")
    texts = texts[:articles]
    calibration = Calibration.calibrated()
    forget_all()  # the quality runs encoded these texts already
    began = time.perf_counter()
    cluster_offline(represent(texts), calibration)
    return len(texts) / (time.perf_counter() - began)


WORLD_GROUPS = Path(__file__).with_name("labels") / "stories-mediacloud-groups.json"


@dataclass(frozen=True)
class WorldLines:
    """Story lines on real, mostly unrelated pages in many languages: how many pairs the
    clusterer put together, and how many of those our labels allow."""

    pages: int
    lines: int  # story lines with more than one page
    largest: int  # pages in the largest story line
    pairs: int  # page pairs put in one story line
    allowed: int  # of those, pairs our labels put in one group
    seeds_together: bool  # the five seed articles in one story line

    @property
    def precision(self) -> float:
        return self.allowed / self.pairs if self.pairs else 1.0


def world_lines(limit: int | None = None) -> WorldLines:
    """The Media Cloud world-news pages and the seeds, as ingest extracts them (title and lead,
    language by paragraph), clustered into story lines in arrival order as the stories stage
    does, without dates or quoted actors; scored against bench/labels/stories-mediacloud-groups.json.
    `limit` takes the first pages only (the seeds are always there)."""
    from bench.dates import ingested, load_pages
    from storyline.analysis.language import identify_languages
    from storyline.ingest.article import build_article
    from storyline.ingest.errors import IngestError
    from storyline.records import RawDocument
    from storyline.settings import settings

    groups: dict[str, set[str]] = defaultdict(set)
    for group, files in json.loads(WORLD_GROUPS.read_text(encoding="utf-8"))["groups"].items():
        for file in files:
            groups[file].add(group)
    built = [(p.file, ingested(p.url, p.data)) for p in load_pages(limit)]
    for path in sorted((Path(__file__).parents[1] / "examples" / "seeds").glob("*.txt")):
        built.append((path.name, build_article(RawDocument(origin=str(path), data=path.read_bytes(), kind_hint="text"),
                                               max_bytes=settings().ingest.max_bytes)))
    names, leads, languages = [], [], []
    for name, article in built:
        if isinstance(article, IngestError):
            continue  # a page ingest refuses is in no story
        language, _paragraphs = identify_languages(article.text, article.paragraphs)
        body = " ".join(article.text[p.start:p.end] for p in article.paragraphs if p.kind == "body")
        names.append(name)
        leads.append(f"{article.title or ''}. {body}"[:settings().stories.lead_characters])
        languages.append(language.code or "und")
    labels = cluster_offline(represent(leads, languages), Calibration.calibrated(), STORY)
    members: dict[int, list[str]] = defaultdict(list)
    for name, label in zip(names, labels, strict=True):
        members[label].append(name)
    together = [m for m in members.values() if len(m) > 1]
    pairs = [(a, b) for m in together for i, a in enumerate(m) for b in m[i + 1:]]
    seeds = {n for n in names if n.endswith(".txt")}
    return WorldLines(len(names), len(together), max(map(len, members.values())), len(pairs),
                      sum(bool(groups[a] & groups[b]) for a, b in pairs), any(seeds <= set(m) for m in members.values()))


if __name__ == "__main__":
    command = sys.argv[1:]
    if command == ["calibrate"]:
        print(json.dumps(calibrate(), indent=2))
    elif command == ["world"]:
        print(world_lines())
    elif command == ["encoders"]:
        for name, english, mixed, story_lines in compare_encoders():
            print(f"{name:35} events: English {english:.3f}, half Spanish {'n/a' if mixed is None else f'{mixed:.3f}'}; "
                  f"story lines {story_lines:.3f}")
    else:
        print({k: v.__dict__ if v else None for k, v in evaluate().items()})


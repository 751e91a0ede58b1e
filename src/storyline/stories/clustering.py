"""Online two-level clustering in the spirit of Miranda et al. (2018): articles join events,
events join story lines, one article at a time.

An article is scored against a bounded set of candidate events (those active near its date),
so adding one costs the same whatever the store holds. The score is the cosine to the event's
centroid, plus a bonus for sharing quoted actors, minus a penalty that grows with the days
between the article and the event. The two thresholds come from calibration on public
labelled data (`python -m bench.stories calibrate`), recorded in `calibration.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from storyline.records import StoryCluster

CALIBRATION = Path(__file__).with_name("calibration.json")
ENTITY_WEIGHT = 0.1


@dataclass(frozen=True)
class Level:
    """How far in time a cluster reaches for candidates, and what a gap of `days` costs at full
    scale. Events are one happening (days); story lines run for years, so time costs little.
    These are design choices; only the thresholds are calibrated on data."""

    days: int
    time_weight: float
    reach: int


EVENT = Level(days=14, time_weight=0.15, reach=14)
STORY = Level(days=365, time_weight=0.05, reach=5 * 365)


@dataclass(frozen=True)
class Thresholds:
    event: float
    story: float

    @classmethod
    def calibrated(cls) -> Thresholds:
        data = json.loads(CALIBRATION.read_text())
        return cls(data["event_threshold"], data["story_threshold"])


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def days_apart(when: str | None, cluster: StoryCluster) -> int | None:
    """Days from a date to the cluster's span (0 inside it), or None when either is undated."""
    day, first, last = _day(when), _day(cluster.first_date), _day(cluster.last_date)
    if day is None or first is None or last is None:
        return None
    return max(0, (first - day).days, (day - last).days)


def score(vector: np.ndarray, when: str | None, actors: set[int], cluster: StoryCluster, level: Level) -> float:
    value = float(vector @ cluster.centroid)
    if actors and cluster.actors:
        value += ENTITY_WEIGHT * len(actors & cluster.actors) / len(actors | cluster.actors)
    gap = days_apart(when, cluster)
    if gap:
        value -= level.time_weight * min(1.0, gap / level.days)
    return value


def best_match(vector: np.ndarray, when: str | None, actors: set[int], candidates: list[StoryCluster],
               threshold: float, level: Level) -> tuple[StoryCluster | None, float]:
    scored = [(score(vector, when, actors, c, level), c) for c in candidates]
    value, cluster = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return (cluster, value) if cluster is not None and value >= threshold else (None, value)


def cluster_offline(vectors: np.ndarray, threshold: float) -> list[int]:
    """Event labels for a sequence of undated articles, as the online clusterer gives them;
    the evaluation uses it to calibrate and score thresholds."""
    clusters: list[StoryCluster] = []
    labels = []
    for vector in vectors:
        match, _ = best_match(vector, None, set(), clusters, threshold, EVENT)
        if match is None:
            match = StoryCluster(len(clusters), np.zeros_like(vector), 0)
            clusters.append(match)
        match.add(vector, None, set())
        labels.append(match.id)
    return labels

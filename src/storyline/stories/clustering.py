"""Online two-level clustering in the spirit of Miranda et al. (2018): articles join events,
events join story lines, one article at a time, across languages.

An article is scored against a bounded set of candidate events (those active near its date),
so adding one costs the same whatever the store holds. The score is the article's average
cosine to the event's members (its dot product with their mean vector), plus a bonus for
sharing quoted actors, minus a penalty that grows with the days between the article and the
event. An average, not the cosine to a normalised centroid: embeddings share a common
direction, and the centroid of a few unrelated articles tends to it and then matches any
article, so one story line swallowed a corpus's unrelated foreign pages; an average over
unrelated members stays as low as any one of them.

The similarity comes from one of two spaces (`python -m bench.stories encoders`): English text
against a cluster with English members is compared with the English model, as before there
were other languages, so English coverage clusters exactly as it did; anything else in the
multilingual space. The multilingual
model's cosines are compressed (unrelated texts about 0.75, related about 0.9), so they are
stretched by a linear map fitted on public pairs to the English model's spread, the scale the
actor bonus and time penalty were chosen on; and because a text and its counterpart in another
language score lower than two texts in one language, a cross-language pair gets a calibrated
offset. Each space has its own thresholds, so candidates are ranked by their margin over the
threshold of the space they were compared in. The map, the thresholds and the offset come from
calibration on public labelled data (`python -m bench.stories calibrate`), in `calibration.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from storyline.records import Representation, StoryCluster
from storyline.settings import settings

CALIBRATION = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Level:
    """How far in time a cluster reaches for candidates, and what a gap of `days` costs at full
    scale. Events are one happening (days); story lines run for years, so time costs little.
    These are design choices; only the thresholds are calibrated on data."""

    name: str
    days: int
    time_weight: float
    reach: int


_STORIES = settings().stories
EVENT = Level("event", days=_STORIES.event_days, time_weight=_STORIES.event_time_weight, reach=_STORIES.event_reach_days)
STORY = Level("story", days=_STORIES.story_days, time_weight=_STORIES.story_time_weight, reach=_STORIES.story_reach_days)


@dataclass(frozen=True)
class Calibration:
    english: dict[str, float]  # level name -> threshold, English model
    multilingual: dict[str, float]  # level name -> threshold, multilingual model (stretched)
    slope: float = 1.0
    intercept: float = 0.0
    crosslingual_offset: float = 0.0

    @classmethod
    def calibrated(cls) -> Calibration:
        data = json.loads(CALIBRATION.read_text())
        scale = data["multilingual"]["similarity_scale"]
        return cls({k: data["english"][k]["threshold"] for k in ("event", "story")},
                   {k: data["multilingual"][k]["threshold"] for k in ("event", "story")},
                   scale["slope"], scale["intercept"], data["crosslingual_offset"]["value"])

    def similarity(self, cosine: float) -> float:
        return self.slope * cosine + self.intercept


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


def margin(item: Representation, when: str | None, actors: set[int], cluster: StoryCluster, level: Level,
           calibration: Calibration) -> float:
    """How far the item's score for the cluster clears the threshold of the space it was compared in."""
    english = cluster.english_mean
    if item.english is not None and english is not None:
        value, threshold = float(item.english @ english), calibration.english[level.name]
    else:
        value, threshold = calibration.similarity(float(item.multilingual @ cluster.mean)), calibration.multilingual[level.name]
        if cluster.languages and not item.languages & cluster.languages:
            value += calibration.crosslingual_offset
    if actors and cluster.actors:
        value += settings().stories.entity_weight * len(actors & cluster.actors) / len(actors | cluster.actors)
    gap = days_apart(when, cluster)
    if gap:
        value -= level.time_weight * min(1.0, gap / level.days)
    return value - threshold


def best_match(item: Representation, when: str | None, actors: set[int], candidates: list[StoryCluster],
               level: Level, calibration: Calibration) -> tuple[StoryCluster | None, float]:
    """The candidate with the largest margin, if that margin is not negative."""
    scored = [(margin(item, when, actors, c, level, calibration), c) for c in candidates]
    value, cluster = max(scored, key=lambda pair: pair[0], default=(-1.0, None))
    return (cluster, value) if cluster is not None and value >= 0 else (None, value)


def cluster_offline(items: list[Representation], calibration: Calibration, level: Level = EVENT) -> list[int]:
    """Labels for a sequence of undated articles, as the online clusterer gives them; the
    evaluation uses it to calibrate and score thresholds."""
    clusters: list[StoryCluster] = []
    labels = []
    for item in items:
        match, _ = best_match(item, None, set(), clusters, level, calibration)
        if match is None:
            match = StoryCluster.empty(len(item.multilingual))
            match.id = len(clusters)
            clusters.append(match)
        match.add(item, None, set())
        labels.append(match.id)
    return labels

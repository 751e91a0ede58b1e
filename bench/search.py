"""Semantic search measured on NeuS: each story's neutral roundup title is the query, the story's
three articles (title and lead, as the store embeds them) among all the split's articles are
what it should find. `calibrate` fits the cosine under which a hit is dropped, on train;
`evaluate` reports recall@10 and the cut-off's precision and recall on val.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

import numpy as np

from bench.data import eval_data_dir
from storyline.analysis import embeddings
from storyline.stories.search import CALIBRATION


@dataclass(frozen=True)
class SearchResult:
    queries: int
    articles: int
    recall_at_10: float  # queries with at least one of their story's articles in the first ten
    all_at_10: float  # queries with every one of them there
    precision: float  # of the hits kept by the cut-off, the share from the query's story
    recall: float  # of the story's articles, the share kept
    hits_per_query: float


def _stories(split: str, limit: int | None) -> tuple[list[str], list[str], list[int]]:
    """(queries, articles, story of each article): a roundup's title, and each article's title and lead."""
    root = eval_data_dir() / "stories-neus"
    sources = (root / f"{split}.source").read_text(encoding="utf-8").splitlines()[:limit]
    targets = (root / f"{split}.target").read_text(encoding="utf-8").splitlines()[:limit]
    queries, articles, story_of = [], [], []
    for story, (source, target) in enumerate(zip(sources, targets, strict=True)):
        queries.append(target.partition("ARTICLE=>")[0].replace("TITLE=>", "").strip().rstrip("."))
        for part in source.split("[SEP]"):
            title, _, body = part.partition("ARTICLE=>")
            if (text := f"{title.replace('TITLE=>', '').strip()}. {body.strip()}"[:1000]).strip(". "):
                articles.append(text)
                story_of.append(story)
    return queries, articles, story_of


def _cosines(split: str, limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Query-by-article cosines, and which pairs are relevant."""
    queries, articles, story_of = _stories(split, limit)
    scores = embeddings.MULTILINGUAL.encode(queries, query=True) @ embeddings.MULTILINGUAL.encode(articles).T
    relevant = np.arange(len(queries))[:, None] == np.asarray(story_of)[None, :]
    return scores, relevant


def calibrate(limit: int = 400, keep: float = 0.95) -> dict:
    """The cosine at or above which `keep` of the articles a query should find score, on train.

    Recall first: a reader searching by meaning wants what is on the subject, and the articles of
    the query's own story are what that looks like at the least; the cut-off that best separates
    one story from the rest (F1 over all pairs) is recorded beside it, and is too strict for
    search (it drops topical hits a reader wants)."""
    scores, relevant = _cosines("train", limit)
    threshold = round(float(np.quantile(scores[relevant], 1 - keep)), 4)
    grid = np.round(np.arange(0.70, 0.95, 0.0025), 4)
    best_f1, best = max((2 * int(((scores >= t) & relevant).sum()) / (int((scores >= t).sum()) + int(relevant.sum())), float(t))
                        for t in grid)
    record = {"command": "python -m bench.search calibrate", "encoder": embeddings.MULTILINGUAL.name, "threshold": threshold,
              "keeps": keep, "data": f"stories-neus train, first {limit} lines: roundup titles as queries, every article of the "
                                    "lines as the index", "story_separating_threshold": best, "story_separating_f1": round(best_f1, 4)}
    CALIBRATION.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def evaluate(limit: int | None = None) -> SearchResult:
    from storyline.stories.search import threshold

    scores, relevant = _cosines("val", limit)
    top = np.argsort(-scores, axis=1)[:, :10]
    found = np.take_along_axis(relevant, top, axis=1)
    kept = scores >= threshold()
    return SearchResult(
        queries=scores.shape[0], articles=scores.shape[1],
        recall_at_10=float(found.any(axis=1).mean()),
        all_at_10=float((found.sum(axis=1) == relevant.sum(axis=1)).mean()),
        precision=float((kept & relevant).sum() / max(1, kept.sum())),
        recall=float((kept & relevant).sum() / relevant.sum()),
        hits_per_query=float(kept.sum(axis=1).mean()),
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["calibrate", "evaluate"])
    arguments = parser.parse_args()
    print(calibrate() if arguments.command == "calibrate" else evaluate())

"""Publication dates on htmldate's Media Cloud 2020 world-news sample, through the whole ingest path."""

from __future__ import annotations

import json
from dataclasses import dataclass

import htmldate

from bench.data import eval_data_dir
from storyline.ingest.article import build_article
from storyline.ingest.decoding import DEFAULT_MAX_BYTES, decode_bytes
from storyline.ingest.errors import IngestError
from storyline.records import GivenMetadata, RawDocument

DATASET = "dates-mediacloud"
REFERENCE = {"htmldate extensive (published, 1,000 pages)": 0.903, "newspaper4k / news-please (published)": 0.68}


@dataclass(frozen=True)
class DatesResult:
    pages: int
    storyline_accuracy: float
    storyline_unknown: int
    htmldate_accuracy: float


def load_pages(limit: int | None = None) -> list[tuple[str, bytes, str]]:
    root = eval_data_dir() / DATASET
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    return [
        (url, (root / "html" / item["file"]).read_bytes(), item["date"])
        for url, item in sorted(labels.items(), key=lambda kv: kv[1]["file"])[:limit]
    ]


def _ours(url: str, data: bytes) -> str | None:
    doc = RawDocument(origin=url, data=data, kind_hint="html", given=GivenMetadata(url=url))
    try:
        iso = build_article(doc, max_bytes=DEFAULT_MAX_BYTES).published.iso
    except IngestError:
        return None
    return iso[:10] if iso else None


def _htmldate_alone(url: str, data: bytes) -> str | None:
    html, _ = decode_bytes(data)
    return htmldate.find_date(html, url=url, extensive_search=True, original_date=True)


def evaluate(limit: int | None = None) -> DatesResult:
    pages = load_pages(limit)
    ours = [_ours(url, data) for url, data, _gold in pages]
    alone = [_htmldate_alone(url, data) for url, data, _gold in pages]
    gold = [g for _u, _d, g in pages]
    return DatesResult(
        pages=len(pages),
        storyline_accuracy=sum(o == g for o, g in zip(ours, gold, strict=True)) / len(pages),
        storyline_unknown=sum(o is None for o in ours),
        htmldate_accuracy=sum(a == g for a, g in zip(alone, gold, strict=True)) / len(pages),
    )

"""Main-text extraction on the Scrapinghub article-extraction benchmark (181 real news pages)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass

import trafilatura

from bench.data import eval_data_dir
from bench.scoring import PRF, averaged_prf, shingle_counts
from storyline.ingest.decoding import decode_bytes
from storyline.ingest.errors import IngestError
from storyline.ingest.html import extract_html

DATASET = "extraction-scrapinghub"
REFERENCE = {"trafilatura 2.0 (published)": 0.958, "Zyte AutoExtract / rs_trafilatura (published)": 0.970}


@dataclass(frozen=True)
class ExtractionResult:
    pages: int
    storyline: PRF
    trafilatura_alone: PRF


def load_pages(limit: int | None = None) -> list[tuple[str, str, str]]:
    """(url, html, expected body) for each page, in a stable order."""
    root = eval_data_dir() / DATASET
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        html, _ = decode_bytes(gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()))
        pages.append((truth[key]["url"], html, truth[key]["articleBody"]))
    return pages


def _ours(html: str, url: str) -> str:
    try:
        return extract_html(html, url).text
    except IngestError:
        return ""


def evaluate(limit: int | None = None) -> ExtractionResult:
    pages = load_pages(limit)
    ours = [shingle_counts(expected, _ours(html, url)) for url, html, expected in pages]
    alone = [
        shingle_counts(expected, trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or "")
        for url, html, expected in pages
    ]
    return ExtractionResult(len(pages), averaged_prf(ours), averaged_prf(alone))

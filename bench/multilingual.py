"""Speed of the multilingual path: ingest (with language per paragraph), translation where
Apertium covers the language, statements, and cross-lingual story placement, on the
non-English pages of the Media Cloud world-news sample."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.dates import load_pages
from storyline.analyze import Analyzer
from storyline.memo import forget_all
from storyline.pipeline import Ingestor
from storyline.store import Store
from storyline.stories.job import Storyteller
from storyline.translation.backends import available_backends
from storyline.translation.job import Translator


def speed() -> dict[str, float]:
    """Articles per second for each stage and for the whole path, and how many articles each saw."""
    pages = [page for page in load_pages() if page.language and page.language != "en"]
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for number, page in enumerate(pages):
            (Path(folder) / f"{number:03}.html").write_bytes(page.data)
        with Store(Path(folder) / "multilingual.db") as store:
            forget_all()  # nothing encoded or parsed before counts
            began = time.perf_counter()
            stages = {
                "ingest": lambda: Ingestor(store).run([folder]).count("stored"),
                "translate": lambda: Translator(store, available_backends()).run().translated,
                "statements": lambda: Analyzer(store).run().articles,
                "stories": lambda: Storyteller(store).run().articles,
            }
            for name, stage in stages.items():
                started = time.perf_counter()
                done = stage()
                rates[name] = done / (time.perf_counter() - started)
                rates[f"{name} articles"] = done
            rates["whole path"] = rates["ingest articles"] / (time.perf_counter() - began)
    return rates

"""Speed of the multilingual path: ingest (with language per paragraph), translation where
Apertium covers the language, statements, and cross-lingual story placement, on the
non-English pages of the Media Cloud world-news sample."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.dates import load_pages
from storyline.jobs.update import update
from storyline.memo import forget_all
from storyline.pipeline import Ingestor
from storyline.store import Store


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
                "translate": lambda: update(store, only=["translate"])[0].counts["translated"],
                "statements": lambda: update(store, only=["statements"])[0].counts["articles"],
                "stories": lambda: update(store, only=["stories"])[0].counts["articles"],
            }
            for name, stage in stages.items():
                started = time.perf_counter()
                done = stage()
                rates[name] = done / (time.perf_counter() - started)
                rates[f"{name} articles"] = done
            rates["whole path"] = rates["ingest articles"] / (time.perf_counter() - began)
    return rates

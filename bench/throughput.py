"""Ingest speed and peak memory on 1,000+ HTML pages, next to trafilatura alone on the same pages;
and the whole path from page to story on the same pages (ingest, then the one update: translation,
statements, vectors, stances on two accepted propositions, shifts, stories, digests, alerts), and
again on those of them that are in English.

The corpus is every real page of the two public sets (281) plus generated
pages: real article paragraphs (the extraction set's ground truth and the
seeds) shuffled into a news-page template with navigation, ads and footer,
so that each page is a distinct article. Each side runs in its own process so
peak memory is its own.
"""

from __future__ import annotations

import gzip
import html
import json
import random
import resource
import shutil
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.data import REPO, eval_data_dir

CORPUS_SIZE = 1000
WHOLE_PATH, ENGLISH_PATH = "whole path", "whole path, English pages"
# Accepted before the pages arrive, as a user follows them; natural for 2020's world news.
PROPOSITIONS = ("Face masks should be mandatory in public.", "Lockdown restrictions should be lifted.")
OUT = REPO / "bench" / "out"

_TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}"><meta property="og:site_name" content="Bench Daily"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a> <a href="/app">Get the app</a></nav>
<div class="ad">Advertisement</div><article><h1>{title}</h1><p class="byline">By Bench Reporter</p>{body}</article>
<aside><h3>Related</h3><ul><li><a href="/a">Other story one</a></li><li><a href="/b">Other story two</a></li></ul></aside>
<footer>© 2025 Bench Daily. All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>"""


def _paragraph_pool() -> list[str]:
    truth = json.loads((eval_data_dir() / "extraction-scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    pool = [p.strip() for item in truth.values() for p in item["articleBody"].split("\n") if len(p.split()) >= 15]
    for seed in sorted((REPO / "examples" / "seeds").glob("*.txt")):
        pool += [p.strip() for p in seed.read_text(encoding="utf-8").split("\n") if len(p.split()) >= 15]
    return pool


def build_corpus(target: Path, size: int = CORPUS_SIZE) -> int:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    data = eval_data_dir()
    count = 0
    for page in sorted((data / "extraction-scrapinghub" / "html").glob("*.html.gz")):
        (target / f"{count:05d}.html").write_bytes(gzip.decompress(page.read_bytes()))
        count += 1
    for page in sorted((data / "dates-mediacloud" / "html").glob("*.html")):
        shutil.copy(page, target / f"{count:05d}.html")
        count += 1
    rng = random.Random(7)
    pool = _paragraph_pool()
    while count < size:
        paragraphs = rng.sample(pool, rng.randint(5, 12))
        title = " ".join(paragraphs[0].split()[:9]).rstrip(".,;:")
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        (target / f"{count:05d}.html").write_text(_TEMPLATE.format(title=html.escape(title), date=date, body=body), encoding="utf-8")
        count += 1
    return count


def english_pages(corpus: Path, target: Path) -> int:
    """The corpus's pages whose extracted text reads as English (the issue's English goal is
    measured on them): ScrapingHub and Media Cloud pages in other languages, and generated pages
    whose paragraphs the pool drew mostly from non-English seeds, are left out."""
    import trafilatura

    from storyline.analysis.language import identify_language

    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    kept = 0
    for page in sorted(corpus.glob("*.html")):
        text = trafilatura.extract(page.read_bytes()) or ""
        if identify_language(text).code == "en":
            shutil.copy(page, target / page.name)
            kept += 1
    return kept


def memory_mb(pid: int | str, field: str) -> float | None:
    """A memory figure the kernel keeps for a process ("VmRSS" now, "VmHWM" its peak), in MB;
    None when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _resident_mb(pid: int | str) -> float:
    return memory_mb(pid, "VmRSS") or 0.0  # a child may be gone between the listing and the read


def _children() -> list[str]:
    mine = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == mine:
                found.append(entry.name)
    return found


class TreeMemory:
    """The peak of this process's and its children's resident memory at one moment, sampled. The
    statements stage's worker processes live only while that stage runs, so adding a worker's own
    peak to this process's would count memory never in use together."""

    def __init__(self, every: float = 0.1):
        self.every, self.peak_mb = every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, _resident_mb("self") + sum(map(_resident_mb, _children())))
            self._stop.wait(self.every)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def _worker(mode: str, corpus: Path, db: Path) -> None:
    with TreeMemory() as memory:
        result = _run_mode(mode, corpus, db)
    print(json.dumps({**result, "tree_peak_mb": memory.peak_mb}))


def _run_mode(mode: str, corpus: Path, db: Path) -> dict:
    started = time.perf_counter()
    if mode == "storyline":
        from storyline.pipeline import Ingestor
        from storyline.store import Store

        with Store(db) as store:
            report = Ingestor(store).run([str(corpus)])
        n, detail = len(report.outcomes), f"{report.count('stored')} stored, {report.count('copy')} copies, {report.count('failed')} failed"
    elif mode in (WHOLE_PATH, ENGLISH_PATH):
        from storyline.jobs.update import update
        from storyline.pipeline import Ingestor
        from storyline.store import Store

        with Store(db) as store:
            for text in PROPOSITIONS:
                store.add_proposition(text)
            ingest_started = time.perf_counter()
            report = Ingestor(store).run([str(corpus)])
            stages = [("ingest", time.perf_counter() - ingest_started)] + [(r.stage, r.seconds) for r in update(store)]
            n = report.count("stored")
            detail = ", ".join(f"{stage} {seconds:.0f} s" for stage, seconds in stages) + f"; {store.statement_count()} statements"
    else:
        import trafilatura

        pages = sorted(corpus.glob("*.html"))
        for page in pages:
            trafilatura.bare_extraction(page.read_bytes(), with_metadata=True)
        n, detail = len(pages), "text + metadata"
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the statements stage's worker processes
    return {"n": n, "seconds": seconds, "peak_mb": _peak_rss_mb(), "children_peak_mb": children, "detail": detail}


def _peak_rss_mb() -> float:
    """This process's own peak resident memory. ru_maxrss would carry the parent's peak across exec."""
    peak = memory_mb("self", "VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(mode: str, corpus: Path, db: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "bench.throughput", "worker", mode, str(corpus), str(db)],
                            cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(modes: tuple[str, ...] = ("storyline", "trafilatura", WHOLE_PATH, ENGLISH_PATH)) -> list[dict]:
    """Each mode in its own process on a fresh store: its pages (or articles stored) a second and peak memory.
    The English whole path reads the corpus's English pages only."""
    corpus, english = OUT / "corpus", OUT / "corpus-en"
    sizes = {corpus: build_corpus(corpus)}
    if ENGLISH_PATH in modes:
        sizes[english] = english_pages(corpus, english)
    db = OUT / "bench.db"
    rows = []
    for mode in modes:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        pages = english if mode == ENGLISH_PATH else corpus
        result = _run(mode, pages, db)
        rows.append({"mode": mode, "pages": sizes[pages], **result, "rate": result["n"] / result["seconds"]})
    return rows


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "worker":
    _worker(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))

"""The task queue on PostgreSQL: the real pages of the two public sets (281, many languages)
queued for ingest, worked by 1 and then 2 `storyline worker` processes on a real server, each
run on a fresh database; seconds until ingest is done and until the analysis is, articles/s.

Ingest and each article's reading (translation, statements, multilingual vector) spread over the
workers; the analysis (one writer, by design) resolves, places, judges and saves on one of them."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.postgres import new_database, postgres_server
from bench.throughput import build_corpus

REAL_PAGES = 281
STORYLINE = [sys.executable, "-m", "storyline.interfaces.cli"]


@dataclass(frozen=True)
class QueueRun:
    workers: int
    pages: int
    articles: int
    ingest_seconds: float  # from the first worker's start until every ingest task succeeded
    total_seconds: float  # until the analysis after the last ingest succeeded too
    failed_jobs: int


def _states(url: str) -> list[tuple[str, str]]:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT task_name, status::text FROM procrastinate_jobs").fetchall()


def _run(server: str, corpus: Path, workers: int, logs: Path) -> QueueRun:
    from storyline.store import Store

    url = new_database(server, f"queue_{workers}")
    env = {**os.environ, "STORYLINE_DB": url}
    subprocess.run([*STORYLINE, "ingest", "--queue", str(corpus)], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    outputs = [(logs / f"worker-{workers}-{n}.log").open("w") for n in range(workers)]
    processes = [subprocess.Popen([*STORYLINE, "worker"], env=env, stdout=output, stderr=subprocess.STDOUT) for output in outputs]
    ingested = None
    try:
        while True:
            states = _states(url)
            if ingested is None and all(s in ("succeeded", "failed") for t, s in states if t == "ingest_input"):
                ingested = time.perf_counter() - started
            if ingested is not None and all(s in ("succeeded", "failed") for _t, s in states):
                break
            time.sleep(0.5)
        total = time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
        for process, output in zip(processes, outputs, strict=True):
            process.wait(timeout=60)
            output.close()
    with Store(url) as store:
        articles = store.counts()["articles"]
    return QueueRun(workers, len(list(corpus.glob("*.html"))), articles, ingested, total, sum(s == "failed" for _t, s in states))


def run() -> list[QueueRun]:
    with tempfile.TemporaryDirectory(prefix="storyline-queue-") as folder, postgres_server() as server:
        corpus = Path(folder) / "pages"
        build_corpus(corpus, REAL_PAGES)
        return [_run(server, corpus, workers, Path(folder)) for workers in (1, 2)]


def report(runs: list[QueueRun]) -> str:
    lines = [f"Task queue on PostgreSQL ({runs[0].pages} real pages queued for ingest, then analysed; `storyline worker` processes, 2 cores):"]
    for r in runs:
        lines.append(f"  {r.workers} worker(s): ingest done in {r.ingest_seconds:.1f} s, analysis too in {r.total_seconds:.1f} s = "
                     f"{r.articles / r.total_seconds:.1f} articles/s from page to story ({r.articles} stored, {r.failed_jobs} failed tasks)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run()))

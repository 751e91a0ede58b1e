"""Processes sharing one store: a new store created by several at once, and the same inputs
ingested side by side, give one article per input and no error."""

from __future__ import annotations

import multiprocessing
import shutil

from sqlalchemy import text

from storyline.pipeline import Ingestor
from storyline.store import Store
from tests.conftest import SEEDS, world_page


def _ingest(path: str, inputs: list[str], start: multiprocessing.Barrier, results: multiprocessing.Queue) -> None:
    start.wait()
    try:
        with Store(path) as store:
            report = Ingestor(store).run(inputs)
        results.put([(o.status, o.detail) for o in report.outcomes])
    except Exception as error:  # the test reads it from the queue
        results.put([("crashed", repr(error))])


def test_parallel_ingests_of_the_same_inputs_into_a_new_store(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SEEDS, inputs, ignore=shutil.ignore_patterns("gold.json"))
    for host in ("globalnews.ca", "novinky.cz", "sn.dk"):
        _url, page = world_page(host)
        (inputs / f"{host}.html").write_bytes(page)
        (inputs / f"{host}-again.html").write_bytes(page.replace(b"<head>", b"<head><!-- a copy -->", 1))
    context = multiprocessing.get_context("fork")
    workers = 3
    start, results = context.Barrier(workers), context.Queue()
    processes = [context.Process(target=_ingest, args=(str(tmp_path / "new.db"), [str(inputs)], start, results))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=240) for _ in processes]
    for process in processes:
        process.join(30)
    problems = [detail for run in outcomes for status, detail in run if status in ("failed", "crashed")]
    assert problems == []
    with Store(tmp_path / "new.db") as store, store.engine.connect() as connection:
        assert store.counts()["articles"] == 8
        assert store.counts()["copies"] == 3
        # No copy of an input points at the article stored from that very input.
        assert connection.execute(text(
            "SELECT count(*) FROM copies JOIN articles ON articles.id = copies.article_id WHERE copies.origin = articles.origin"
        )).scalar() == 0
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"

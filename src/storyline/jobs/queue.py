"""Distributed stages on procrastinate, the task queue that lives in PostgreSQL itself.

Procrastinate needs nothing beside the PostgreSQL server the shared store already is: jobs are
rows, workers lock them with SELECT ... FOR UPDATE SKIP LOCKED and hear of new ones by
LISTEN/NOTIFY. (Celery, RQ or Dramatiq would each add a broker, Redis or RabbitMQ, to run
and watch.)

Three tasks:
- `ingest_input`: one input (a file, a URL, a feed), on any worker, as many at once as there
  are workers. Ingest is idempotent: an input already stored is recognised by its content hash.
  It asks for a reading of each article it stores.
- `read_article`: one article's share of the analysis, on any worker: its translation where it
  needs one; its statements read (the parse), kept in the store under the analysis version and a
  digest of the text read; its multilingual vector (the slow part of placing it in a story),
  stored as the stories stage would. What is kept already is not done again. It then asks for
  the analysis.
- `analyze`: the update (jobs.update) over whatever is new, saving the kept readings. Resolving
  speakers to actors, merging actors and online story clustering need one writer, so it runs one
  at a time across all workers (procrastinate's lock "analysis"), and at most one waits behind it
  (its queueing lock). It leaves the articles whose reading is queued or running (the reader asks
  for the next analysis) and reads any other itself. The update is a no-op on work the analysis
  version has done.

A worker that is killed mid-task stops sending heartbeats; every worker looks for the running
jobs of workers silent longer than `[queue] stalled_seconds` and puts them back in the queue,
so the task runs again elsewhere (ingest and analysis both resume where the store stands).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import inspect, text

from storyline.records import GivenMetadata
from storyline.settings import settings
from storyline.store import Store

INGEST_QUEUE, READING_QUEUE, ANALYSIS_QUEUE = "ingest", "reading", "analysis"
QUEUES = (INGEST_QUEUE, READING_QUEUE, ANALYSIS_QUEUE)
ANALYSIS = "analysis"  # the lock and queueing lock of the analyze task


def _conninfo(store: Store) -> str:
    """The libpq address of the store's server, from its SQLAlchemy URL."""
    if store.engine.dialect.name != "postgresql":
        raise ValueError("the task queue lives in PostgreSQL: give --db postgresql://user:password@host/db")
    return store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def queue_app(store: Store):
    """The procrastinate app over the store's server, its tables created if the database has none."""
    from procrastinate import App, PsycopgConnector, RetryStrategy

    app = App(connector=PsycopgConnector(conninfo=_conninfo(store)))

    @app.task(name="ingest_input", queue=INGEST_QUEUE, pass_context=True,
              retry=RetryStrategy(max_attempts=settings().queue.attempts, wait=1))
    def ingest_input(context, source: str, given: dict) -> None:
        from storyline.pipeline import Ingestor, IngestSettings

        worker_store: Store = context.additional_context["store"]
        report = Ingestor(worker_store, IngestSettings(given=GivenMetadata(**given))).run([source])
        stored = [o.article_id for o in report.outcomes if o.status == "stored" and o.article_id is not None]
        if not _ask_for_readings(read_article, stored):
            _ask_for_analysis(analyze)  # a copy or a failure may still change a story or an alert

    @app.task(name="read_article", queue=READING_QUEUE, pass_context=True,
              retry=RetryStrategy(max_attempts=settings().queue.attempts, wait=1))
    def read_article(context, article_id: int) -> None:
        from storyline.jobs.contract import StageReport
        from storyline.jobs.statements import read_and_keep
        from storyline.jobs.stories import embed_and_keep
        from storyline.jobs.translate import TranslateJob

        worker_store: Store = context.additional_context["store"]
        if worker_store.article_ids_to_translate(among=[article_id]):
            # A backend that fails leaves the article untranslated; the analysis tries again and says so.
            TranslateJob(worker_store).process([article_id], StageReport(TranslateJob.name))
        read_and_keep(worker_store, article_id)
        if not worker_store.article_ids_to_translate(among=[article_id]):  # the lead is the translation's, once there is one
            embed_and_keep(worker_store, article_id)
        _ask_for_analysis(analyze)  # or the one already waiting saves this reading too

    @app.task(name="analyze", queue=ANALYSIS_QUEUE, pass_context=True, lock=ANALYSIS,
              retry=RetryStrategy(max_attempts=settings().queue.attempts, wait=1))
    def analyze(context) -> None:
        from storyline.jobs.contract import UpdateOptions
        from storyline.jobs.update import update

        worker_store: Store = context.additional_context["store"]
        update(worker_store, UpdateOptions(leave=_being_read(worker_store)))

    _ensure_schema(app, store)
    return app


def _ensure_schema(app, store: Store) -> None:
    from storyline.store.base import MIGRATION_LOCK

    with store.engine.begin() as connection:
        if inspect(connection).has_table("procrastinate_jobs"):
            return
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        if not inspect(connection).has_table("procrastinate_jobs"):  # psycopg itself: the schema's "%" are no placeholders
            connection.connection.driver_connection.execute(app.schema_manager.get_schema())


def _ask_for_analysis(analyze) -> bool:
    """Queue the analysis task; False when one is already waiting (it will see this work too)."""
    from procrastinate.exceptions import AlreadyEnqueued

    try:
        analyze.configure(queueing_lock=ANALYSIS).defer()
    except AlreadyEnqueued:
        return False
    return True


def _ask_for_readings(read_article, article_ids: Iterable[int]) -> int:
    """Queue a reading of each article not already waiting for one: how many were asked for."""
    from procrastinate.exceptions import AlreadyEnqueued

    asked = 0
    for article_id in article_ids:
        try:
            read_article.configure(queueing_lock=f"read {article_id}").defer(article_id=article_id)
        except AlreadyEnqueued:
            continue
        asked += 1
    return asked


_BEING_READ = """SELECT DISTINCT (args->>'article_id')::int FROM procrastinate_jobs
WHERE task_name = 'read_article' AND status IN ('todo', 'doing')"""


def _being_read(store: Store) -> frozenset[int]:
    """Articles whose reading waits in the queue or runs on some worker (a killed one's is put back)."""
    with store.engine.connect() as connection:
        return frozenset(connection.execute(text(_BEING_READ)).scalars())


def _inputs(inputs: Iterable[str]) -> Iterator[str]:
    """One task per file: a folder is its files (as ingest reads them), anything else itself."""
    from storyline.ingest.sources import files_under

    for given in inputs:
        path = Path(given)
        yield from files_under(path) if path.is_dir() else [given]


def enqueue_ingest(store: Store, inputs: Iterable[str], given: GivenMetadata) -> int:
    """A task per input, for any worker: how many were queued."""
    app = queue_app(store)
    task = app.tasks["ingest_input"]
    with app.open():
        sources = list(_inputs(inputs))
        for source in sources:
            task.defer(source=source, given=asdict(given))
    return len(sources)


def enqueue_analysis(store: Store) -> bool:
    """A reading of each article the analysis version has not read, for any worker, then the update,
    for one: False when an update is already waiting (it will see this work too)."""
    from storyline.analysis import ANALYSIS_VERSION

    app = queue_app(store)
    with app.open():
        _ask_for_readings(app.tasks["read_article"], store.article_ids_to_analyze(ANALYSIS_VERSION))
        return _ask_for_analysis(app.tasks["analyze"])


_ABANDONED = """SELECT job.id FROM procrastinate_jobs job LEFT JOIN procrastinate_workers worker ON worker.id = job.worker_id
WHERE job.status = 'doing' AND (worker.id IS NULL OR worker.last_heartbeat < now() - make_interval(secs => :silent))"""


async def _recover_abandoned(app, store: Store, every: float, silent_for: float) -> None:
    """Put back in the queue the running jobs of workers that stopped sending heartbeats (killed),
    and of those already pruned for it (a starting worker prunes them, leaving their jobs no worker)."""
    from datetime import datetime, timezone

    def abandoned() -> list[int]:
        with store.engine.connect() as connection:
            return list(connection.execute(text(_ABANDONED), {"silent": silent_for}).scalars())

    while True:
        for job_id in await asyncio.to_thread(abandoned):  # off the loop that sends this worker's heartbeats
            await app.job_manager.retry_job_by_id_async(job_id, retry_at=datetime.now(timezone.utc))
        await asyncio.sleep(every)


def run_worker(store: Store, queues: Iterable[str] = QUEUES, until_idle: bool = False) -> None:
    """Work the queues until stopped (or, with until_idle, until they are empty)."""
    limits = settings().queue
    app = queue_app(store)

    async def work() -> None:
        async with app.open_async():
            recovery = asyncio.create_task(_recover_abandoned(app, store, limits.recover_every_seconds, limits.stalled_seconds))
            try:
                await app.run_worker_async(queues=list(queues), wait=not until_idle, concurrency=1,
                                           additional_context={"store": store},
                                           update_heartbeat_interval=limits.heartbeat_seconds,
                                           stalled_worker_timeout=limits.stalled_seconds)
            finally:
                recovery.cancel()

    asyncio.run(work())

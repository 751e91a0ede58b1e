"""The job contract: pending work, batches, save, one report, progress for whoever watches."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from storyline.analysis import ANALYSIS_VERSION
from storyline.store import Store


@dataclass
class StageReport:
    """What one stage did: counts by name, breakdowns (by backend, by language), failures, and
    the lines a person should read."""

    stage: str
    done: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    breakdown: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    seconds: float = 0.0
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UpdateOptions:
    """What a caller may ask of an update; each stage reads the fields that concern it."""

    since: str | None = None  # statements: only articles ingested on or after this date
    redo: bool = False  # statements: read again the articles this analysis version has read
    libretranslate: str | None = None  # translate: a LibreTranslate server's URL
    # translate, statements: articles queued workers are reading now; they ask for the next analysis when done
    leave: frozenset[int] = frozenset()


class Progress(Protocol):
    """Told when a stage starts (with how much it has to do), as it advances, and when it ends."""

    def waiting(self, holder: str) -> None: ...

    def start(self, title: str, total: int) -> None: ...

    def advance(self, n: int) -> None: ...

    def finish(self, report: StageReport) -> None: ...


class Silent:
    def waiting(self, holder: str) -> None:
        pass

    def start(self, title: str, total: int) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def finish(self, report: StageReport) -> None:
        pass


class LeaseLost(RuntimeError):
    """Another analysis took the store over (this one stopped renewing its lease): stop, do not write."""


class Job:
    """One stage. `prepare` runs first (even with nothing pending), `process` saves each batch
    in its own transaction, so a killed run resumes at the next batch; `finish` tidies up.
    An item `process` cannot handle is recorded under its `item_key` and left out of this stage
    until the analysis version changes; the other items go on."""

    name: ClassVar[str]
    title: ClassVar[str]
    batch_size: int = 1  # items per process() call, each call one transaction

    def __init__(self, store: Store):
        self.store = store
        self.done: set[Any] = set()  # items saved in this run, which the retry of a failed batch leaves out

    @classmethod
    def from_options(cls, store: Store, options: UpdateOptions) -> Job:
        return cls(store)

    def prepare(self) -> None:
        pass

    def pending(self) -> Sequence[Any]:
        raise NotImplementedError

    def item_key(self, item: Any) -> str:
        """How a failed item is recorded and shown: most stages work on article ids."""
        return f"article {item}"

    def process(self, batch: Sequence[Any], report: StageReport) -> None:
        raise NotImplementedError

    def finish(self, report: StageReport) -> None:
        pass

    def describe(self, report: StageReport) -> None:
        """Fill report.summary and report.warnings with what a person should read."""


def _fail(job: Job, item: Any, error: Exception, report: StageReport) -> None:
    key, reason = job.item_key(item), f"{type(error).__name__}: {str(error)[:500]}"
    job.store.record_analysis_failure(job.name, key, ANALYSIS_VERSION, reason)
    report.failures.append((key, reason))


def _process(job: Job, batch: Sequence[Any], report: StageReport) -> None:
    """A batch; when it fails, each of its items alone that `process` has not marked done (a job
    that saves item by item marks them in `job.done`), so one bad item costs only itself."""
    try:
        job.process(batch, report)
        return
    except LeaseLost:
        raise
    except Exception as error:  # whatever one item raises, it is that item's recorded failure
        if len(batch) == 1:
            _fail(job, batch[0], error, report)
            return
    for item in (item for item in batch if item not in job.done):
        try:
            job.process([item], report)
        except LeaseLost:
            raise
        except Exception as error:
            _fail(job, item, error, report)


def run_job(job: Job, progress: Progress | None = None, heartbeat: Callable[[], None] = lambda: None) -> StageReport:
    progress = progress or Silent()
    started = time.perf_counter()
    report = StageReport(job.name)
    job.prepare()
    failed = job.store.failed_items(job.name, ANALYSIS_VERSION)
    items = [item for item in job.pending() if job.item_key(item) not in failed] if failed else job.pending()
    progress.start(job.title, len(items))
    for offset in range(0, len(items), job.batch_size):
        batch = items[offset:offset + job.batch_size]
        _process(job, batch, report)
        report.done += len(batch)
        progress.advance(len(batch))
        heartbeat()
    job.finish(report)
    report.seconds = time.perf_counter() - started
    job.describe(report)
    progress.finish(report)
    return report

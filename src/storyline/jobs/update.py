"""The update: every stage, in the one order that data flows, over whatever is new in a store.

Translation comes first (statements read the English text of languages without rules of their
own), statements before their vectors (stances retrieve by them), vectors before stances (stances
judge the statements near a proposition), stances before shifts (shifts compare them),
statements before stories (speakers weigh in placement), stories before their digests (a story's
summary and sections, computed when its articles change), alerts last (they announce new statements
and shifts). Every stage is a no-op when nothing is new, so the update can run after every ingest.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from storyline.jobs.alerts import AlertsJob
from storyline.jobs.contract import (
    Job,
    LeaseLost,
    Progress,
    Silent,
    StageReport,
    UpdateOptions,
    run_job,
)
from storyline.jobs.digests import DigestsJob
from storyline.jobs.shifts import ShiftsJob
from storyline.jobs.stances import StancesJob
from storyline.jobs.statements import StatementsJob
from storyline.jobs.stories import StoriesJob
from storyline.jobs.translate import TranslateJob
from storyline.jobs.vectors import VectorsJob
from storyline.settings import settings
from storyline.store import Store

LEASE = "analysis"

STAGES: tuple[type[Job], ...] = (TranslateJob, StatementsJob, VectorsJob, StancesJob, ShiftsJob, StoriesJob, DigestsJob, AlertsJob)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


def update(store: Store, options: UpdateOptions = UpdateOptions(), progress: Progress | None = None,
           only: Iterable[str] | None = None) -> list[StageReport]:
    """Run the stages (all, or those named in `only`, always in STAGES order); one report each."""
    chosen = set(STAGE_NAMES if only is None else only)
    if unknown := chosen - set(STAGE_NAMES):
        raise ValueError(f"no stage named {', '.join(sorted(unknown))}; the stages are {', '.join(STAGE_NAMES)}")
    progress = progress or Silent()
    with one_analysis(store, progress) as heartbeat:
        return [run_job(stage.from_options(store, options), progress, heartbeat) for stage in STAGES if stage.name in chosen]


@contextmanager
def one_analysis(store: Store, progress: Progress) -> Iterator:
    """Hold the store's analysis lease for the update, waiting while another process holds it; two
    analyses at once would place the same article twice or save statements for an actor merged away.
    The lease is renewed after every batch; one whose holder was killed lapses after `lease_seconds`."""
    limits = settings().analysis
    holder = f"{socket.gethostname()} pid {os.getpid()} ({uuid.uuid4().hex[:6]})"
    told = False
    while (other := store.take_lease(LEASE, holder, limits.lease_seconds)) is not None:
        if not told:
            progress.waiting(other)
            told = True
        time.sleep(limits.lease_poll_seconds)

    def heartbeat() -> None:
        if (other := store.take_lease(LEASE, holder, limits.lease_seconds)) is not None:
            raise LeaseLost(f"the analysis lease lapsed and {other} took the store over; this analysis stopped")

    try:
        yield heartbeat
    finally:
        store.release_lease(LEASE, holder)

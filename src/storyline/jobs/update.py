"""The update: every stage, in the one order that data flows, over whatever is new in a store.

Translation comes first (statements read the English text of languages without rules of their
own), statements before stances (stances judge them), stances before shifts (shifts compare them),
statements before stories (speakers weigh in placement), alerts last (they announce new statements
and shifts). Every stage is a no-op when nothing is new, so the update can run after every ingest.
"""

from __future__ import annotations

from collections.abc import Iterable

from storyline.jobs.alerts import AlertsJob
from storyline.jobs.contract import Job, Progress, StageReport, UpdateOptions, run_job
from storyline.jobs.shifts import ShiftsJob
from storyline.jobs.stances import StancesJob
from storyline.jobs.statements import StatementsJob
from storyline.jobs.stories import StoriesJob
from storyline.jobs.translate import TranslateJob
from storyline.store import Store

STAGES: tuple[type[Job], ...] = (TranslateJob, StatementsJob, StancesJob, ShiftsJob, StoriesJob, AlertsJob)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


def update(store: Store, options: UpdateOptions = UpdateOptions(), progress: Progress | None = None,
           only: Iterable[str] | None = None) -> list[StageReport]:
    """Run the stages (all, or those named in `only`, always in STAGES order); one report each."""
    chosen = set(STAGE_NAMES if only is None else only)
    if unknown := chosen - set(STAGE_NAMES):
        raise ValueError(f"no stage named {', '.join(sorted(unknown))}; the stages are {', '.join(STAGE_NAMES)}")
    return [run_job(stage.from_options(store, options), progress) for stage in STAGES if stage.name in chosen]

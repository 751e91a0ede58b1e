"""Stances: statements that accepted propositions have not judged yet, in batches.

Each proposition remembers the last statement id it has seen, so a run after new articles
judges only new statements, and an interrupted run resumes at its last saved batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from storyline.jobs.contract import Job, StageReport
from storyline.records import Proposition, StoredStatement
from storyline.settings import settings
from storyline.store import Store


class StancesJob(Job):
    name = "stances"
    title = "Judging stances"

    def __init__(self, store: Store, propositions: list[Proposition] | None = None):
        super().__init__(store)
        self.batch_size = settings().stances.batch
        self.propositions = propositions
        self.scorer = None

    def pending(self) -> Sequence[tuple[Proposition, StoredStatement]]:
        pairs = []
        for proposition in self.propositions if self.propositions is not None else self.store.propositions(status="accepted"):
            statements = sorted(self.store.statements(after_id=self.store.scored_through(proposition.id)), key=lambda s: s.id)
            pairs.extend((proposition, s) for s in statements)
        return pairs

    def process(self, batch: Sequence[tuple[Proposition, StoredStatement]], report: StageReport) -> None:
        if self.scorer is None:
            from storyline.positions.scoring import (
                PositionScorer,  # spaCy loads only when there is something to judge
            )

            self.scorer = PositionScorer(self.store)
        for proposition, pairs in groupby(batch, key=lambda pair: pair[0]):
            statements = [s for _p, s in pairs]
            judged = self.scorer.judge(proposition.text, statements)
            self.store.save_stances(proposition.id, judged, max(s.id for s in statements))
            report.counts["pairs"] += len(statements)
            report.counts["stances"] += len(judged)

    def describe(self, report: StageReport) -> None:
        if report.counts["pairs"]:
            report.summary.append(f"Judged {report.counts['pairs']} statement-proposition pair(s): "
                                  f"{report.counts['stances']} stance(s) taken.")

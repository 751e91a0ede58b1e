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

    def __init__(self, store: Store):
        super().__init__(store)
        self.batch_size = settings().stances.batch
        self.scorer = None

    def pending(self) -> Sequence[tuple[Proposition, StoredStatement]]:
        """Each accepted proposition with the statements past its watermark, in id order; the
        statements are read once, past the lowest watermark, for all of them. A stance is an
        actor's, so statements of unnamed sources are not judged."""
        propositions = self.store.propositions(status="accepted")
        if not propositions:
            return []
        through = {p.id: self.store.scored_through(p.id) for p in propositions}
        statements = sorted(self.store.statements(after_id=min(through.values()), actors_only=True), key=lambda s: s.id)
        return [(p, s) for p in propositions for s in statements if s.id > through[p.id]]

    def item_key(self, item: tuple[Proposition, StoredStatement]) -> str:
        return f"proposition {item[0].id}, statement {item[1].id}"

    def process(self, batch: Sequence[tuple[Proposition, StoredStatement]], report: StageReport) -> None:
        if self.scorer is None:
            from storyline.positions.scoring import PositionScorer  # loads the reader only when there is something to judge

            self.scorer = PositionScorer(self.store)
        for proposition, pairs in groupby(batch, key=lambda pair: pair[0]):
            statements = [s for _p, s in pairs]
            judged = self.scorer.judge(proposition.text, statements)
            self.store.save_stances(proposition.id, judged.stances, max(s.id for s in statements), judged.unsided)
            report.counts["pairs"] += len(statements)
            report.counts["judged"] += judged.judged
            report.counts["stances"] += len(judged.stances)

    def describe(self, report: StageReport) -> None:
        if report.counts["pairs"]:
            report.summary.append(f"Read {report.counts['pairs']} statement-proposition pair(s): {report.counts['judged']} near "
                                  f"enough to judge, {report.counts['stances']} stance(s) taken.")

"""Statement vectors: each actor's statement embedded once, as it is read for stances (its English,
with the sentence before where it points back), when the statement is new rather than when a
proposition first asks. A new proposition then costs a matrix product over stored vectors and
the reader on the near statements, not an encoding of every statement in the store."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.jobs.contract import Job, StageReport
from storyline.records import StoredStatement
from storyline.settings import settings
from storyline.store import Store


class VectorsJob(Job):
    name = "vectors"
    title = "Embedding statements"

    def __init__(self, store: Store):
        super().__init__(store)
        self.batch_size = settings().stances.batch
        self.scorer = None

    def pending(self) -> Sequence[StoredStatement]:
        """An actor's statements with no vector stored by the encoders in use (an unnamed source's
        are never judged): after an encoder changes, its old vectors are made again here, not by
        the first proposition that asks."""
        from storyline.positions.scoring import RETRIEVAL_MODELS

        return self.store.statements(actors_only=True, unembedded=RETRIEVAL_MODELS)

    def item_key(self, item: StoredStatement) -> str:
        return f"statement {item.id}"

    def process(self, batch: Sequence[StoredStatement], report: StageReport) -> None:
        if self.scorer is None:
            from storyline.positions.scoring import PositionScorer  # loads an encoder only when there is something to embed

            self.scorer = PositionScorer(self.store)
        report.counts["statements"] += self.scorer.embed(list(batch))

    def describe(self, report: StageReport) -> None:
        if report.counts["statements"]:
            report.summary.append(f"Embedded {report.counts['statements']} new statement(s) for retrieval, in {report.seconds:.1f} s.")

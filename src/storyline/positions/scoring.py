"""Judge stored statements against accepted propositions, incrementally.

Each proposition remembers the last statement id it has seen, so a run after new articles
judges only new statements, and an interrupted run resumes at its last saved batch.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from storyline.analysis.polarity import (
    lean,
    opens_with_anaphor,
    parse_claim,
    prefetch_phrases,
)
from storyline.analysis.stance import StanceModel, default_model
from storyline.analysis.statements import load_pipeline, speaks_for_no_one
from storyline.records import Proposition, StanceJudged, StoredStatement
from storyline.store import Store

BATCH = 256
DOC_CACHE = 20_000
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?[\"”’]?")


@dataclass
class ScoringReport:
    propositions: int = 0
    statements: int = 0
    stances: int = 0


class PositionScorer:
    def __init__(self, store: Store | None, nlp=None, model: StanceModel | None = None,
                 sentence_before: Callable[[StoredStatement], str | None] | None = None):
        self.store = store
        self.nlp = nlp or load_pipeline()
        self._model = model
        self.sentence_before = sentence_before or self._sentence_before
        self._docs: dict[int, Doc] = {}

    @property
    def model(self) -> StanceModel:
        if self._model is None:
            self._model = default_model()
        return self._model

    def _parsed(self, statements: list[StoredStatement]) -> list[Doc]:
        """Parses, kept for the next proposition: every accepted proposition reads the same statements."""
        missing = [s for s in statements if s.id not in self._docs]
        if len(self._docs) + len(missing) > DOC_CACHE:
            self._docs.clear()
        for statement, doc in zip(missing, self.nlp.pipe(s.text for s in missing), strict=True):
            self._docs[statement.id] = doc
        return [self._docs[s.id] for s in statements]

    def _sentence_before(self, statement: StoredStatement) -> str | None:
        article = self.store.article(statement.article_id)
        before = article.text[:statement.start].rstrip() if article else ""
        sentences = _SENTENCE.findall(before)
        return sentences[-1].strip() if sentences else None

    def judge(self, proposition_text: str, statements: list[StoredStatement]) -> list[StanceJudged]:
        """Stances of the statements that take one on the proposition; the rest are left out."""
        claim = parse_claim(self.nlp, proposition_text)
        leaning = []
        actors = [s for s in statements if not speaks_for_no_one(s.speaker)]
        docs = self._parsed(actors)
        prefetch_phrases(docs, [claim])
        for statement, doc in zip(actors, docs, strict=True):
            found, basis = lean(doc, claim, direct=statement.kind == "direct"), statement.text
            if found is None and opens_with_anaphor(doc) and (context := self.sentence_before(statement)):
                found, basis = lean(self.nlp(context), claim), f"{context} {statement.text}"
                if found:
                    found = replace(found, cues=(*found.cues, f"context: {context}"))
            if found:
                leaning.append((statement, found, basis))
        if not leaning:
            return []
        verdicts = self.model.judge([(proposition_text, basis) for _s, _f, basis in leaning])
        # Confidence is the FNC-1 classifier's probability that the statement is on the proposition's
        # topic. It is not a gate: "Any concession on territorial integrity is not acceptable" never
        # names NATO, yet refuses every trade of land; a low figure tells the reader to check.
        return [StanceJudged(statement.id, found.stance, round(1.0 - verdict.probabilities.get("unrelated", 0.0), 3), found.anchor, found.cues)
                for (statement, found, _basis), verdict in zip(leaning, verdicts, strict=True)]

    def score(self, proposition: Proposition, on_batch: Callable[[int], None] = lambda n: None) -> ScoringReport:
        report = ScoringReport(propositions=1)
        pending = self.store.statements(after_id=self.store.scored_through(proposition.id))
        pending.sort(key=lambda s: s.id)
        for start in range(0, len(pending), BATCH):
            batch = pending[start:start + BATCH]
            judged = self.judge(proposition.text, batch)
            self.store.save_stances(proposition.id, judged, max(s.id for s in batch))
            report.statements += len(batch)
            report.stances += len(judged)
            on_batch(len(batch))
        return report

    def score_accepted(self, on_batch: Callable[[int], None] = lambda n: None) -> ScoringReport:
        total = ScoringReport()
        for proposition in self.store.propositions(status="accepted"):
            report = self.score(proposition, on_batch)
            total.propositions += 1
            total.statements += report.statements
            total.stances += report.stances
        return total

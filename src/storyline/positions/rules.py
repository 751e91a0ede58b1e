"""The rule reader: which side a statement takes, read off its parse (analysis/polarity.py),
with the FNC-1 relatedness of its article as the confidence.

The default reader until the trained one (positions/scoring.py) reads the seeds' news
sentences as well; `[stances] reader = trained` switches. Its word lists were written around
one story, so on other propositions it rarely takes a side (see `bench.stance`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Span

from storyline.analysis import ANALYSIS_VERSION
from storyline.analysis.document import ParsedText, standalone
from storyline.analysis.polarity import (
    ParsedClaim,
    lean,
    opens_with_anaphor,
    parse_claim,
    prefetch_phrases,
)
from storyline.analysis.relatedness import StanceModel, default_model
from storyline.analysis.sentences import sentences_of
from storyline.analysis.statements import load_pipeline, speaks_for_no_one
from storyline.positions.scoring import Judgements
from storyline.records import StanceJudged, StoredStatement
from storyline.settings import settings
from storyline.store import Store


class RuleScorer:
    def __init__(self, store: Store | None, nlp=None, model: StanceModel | None = None,
                 article_text: Callable[[int], str] | None = None):
        self.store = store
        self.nlp = nlp or load_pipeline()
        self._model = model
        self.article_text = article_text or self._stored_text
        self._docs: dict[int, Doc] = {}
        self._articles: dict[int, ParsedText | None] = {}
        self._claims: dict[str, ParsedClaim] = {}
        self._related: dict[tuple[str, int], float] = {}

    @property
    def model(self) -> StanceModel:
        if self._model is None:
            self._model = default_model()
        return self._model

    def _read_parses(self, article_ids: set[int]) -> None:
        """The articles' stored parses (the document model), each read once per scorer."""
        missing = article_ids - self._articles.keys()
        if missing:
            if len(self._articles) + len(missing) > settings().stances.parse_memo:
                self._articles.clear()
                missing = article_ids
            stored = self.store.parses(missing, ANALYSIS_VERSION) if self.store else {}
            self._articles.update({i: ParsedText.from_stored(stored[i]) if i in stored else None for i in missing})

    def _located(self, statement: StoredStatement) -> Span | None:
        """A statement's words in its article's stored parse (read by `_parsed` for its batch)."""
        parsed = self._articles.get(statement.article_id)
        if parsed is None:
            return None
        return parsed.find(statement.text, statement.start if parsed.source == "original" else None)

    def _parsed(self, statements: list[StoredStatement]) -> list[Doc]:
        """Each statement's words as its article's parse has them, kept for the next proposition
        (every accepted proposition reads the same statements). Words no stored parse holds (a
        store-less bench, an article analysed by an older version) are parsed here."""
        missing = [s for s in statements if s.id not in self._docs]
        if len(self._docs) + len(missing) > settings().stances.parse_memo:
            self._docs.clear()
        self._read_parses({s.article_id for s in statements})  # the sentence before a statement reads them too
        unparsed = []
        for statement in missing:
            span = self._located(statement)
            if span is None:
                unparsed.append(statement)
            else:
                self._docs[statement.id] = standalone(span)
        for statement, doc in zip(unparsed, self.nlp.pipe(s.text for s in unparsed), strict=True):
            self._docs[statement.id] = doc
        return [self._docs[s.id] for s in statements]

    def _stored_text(self, article_id: int) -> str:
        article = self.store.article(article_id)
        return f"{article.title or ''}\n{article.text}" if article else ""

    def _sentence_before(self, statement: StoredStatement) -> Doc | None:
        """The sentence before the statement's, parsed (from the stored parse where there is one)."""
        text = self.store.article(statement.article_id).text if self.store else ""
        before = sentences_of(text[:statement.start].rstrip())
        if not before:
            return None
        start, end = before[-1]
        parsed = self._articles.get(statement.article_id)
        span = parsed.span(start, end) if parsed is not None and parsed.source == "original" else None
        return standalone(span) if span is not None else self.nlp(text[start:end])

    def _article_related(self, proposition_text: str, article_ids: set[int]) -> dict[int, float]:
        """FNC-1's own question, asked of each article: is its body about the proposition's claim?"""
        missing = sorted(i for i in article_ids if (proposition_text, i) not in self._related)
        if missing:
            verdicts = self.model.judge([(proposition_text, self.article_text(i)) for i in missing])
            for article_id, verdict in zip(missing, verdicts, strict=True):
                self._related[(proposition_text, article_id)] = 1.0 - verdict.probabilities.get("unrelated", 0.0)
        return {i: self._related[(proposition_text, i)] for i in article_ids}

    def judge(self, proposition_text: str, statements: list[StoredStatement]) -> Judgements:
        """Stances of the statements that take one on the proposition; it keeps no near misses."""
        return Judgements(self._stances(proposition_text, statements), [], len(statements))

    def _stances(self, proposition_text: str, statements: list[StoredStatement]) -> list[StanceJudged]:
        """Stances of the statements that take one on the proposition; the rest are left out."""
        if proposition_text not in self._claims:
            self._claims[proposition_text] = parse_claim(self.nlp, proposition_text)
        claim = self._claims[proposition_text]
        leaning = []
        actors = [s for s in statements if not speaks_for_no_one(s.speaker)]
        docs = self._parsed(actors)
        prefetch_phrases(docs, [claim])
        for statement, doc in zip(actors, docs, strict=True):
            found = lean(doc, claim, direct=statement.kind == "direct")
            if found is None and opens_with_anaphor(doc) and (context := self._sentence_before(statement)):
                found = lean(context, claim)
                if found:
                    found = replace(found, cues=(*found.cues, f"context: {context.text}"))
            if found:
                leaning.append((statement, found))
        if not leaning:
            return []
        # The classifier judges what it was trained on, a whole article against a claim, and its
        # calibrated P(related) is the stance's confidence. An article off the claim's topic (a
        # refugee's "want a safe road to areas in Syria" is no stance on Ukraine's territory)
        # contributes no stance. A single sentence needs no such luck: Yermak's "Any concession
        # on territorial integrity is not acceptable" never names NATO, but its article does.
        related = self._article_related(proposition_text, {s.article_id for s, _found in leaning})
        return [StanceJudged(statement.id, found.stance, round(related[statement.article_id], 3), found.anchor, found.cues)
                for statement, found in leaning if related[statement.article_id] >= settings().stances.related]

"""Relatedness of a text to a claim, as FNC-1 asks it: unrelated, discuss, agree or disagree.

The rule reader (positions/rules.py) takes its confidence from this: the probability that a
statement's article is about the proposition's claim.

A gradient-boosted classifier over sentence-pair features, trained on FNC-1 by
`python -m bench.relatedness train`. The features are the ones that carry stance in news prose:
how close the claim is to the text's best-matching sentences (MiniLM cosines, the
element-wise product and difference of the two vectors, shared content words), and which
cues act on that matching content: negations and refusal verbs ("does not intend",
"rejected", "drop"), hedges ("might", "flexible", "if"), distancing ("allegedly") and
confirmation ("confirmed"). Cues are scoped: a negation counts where the words that follow
it, up to the clause's end, overlap the claim, which is what separates "does not intend to
trade land" from "not a member of NATO right now, so we trade land".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from storyline.analysis import embeddings
from storyline.analysis.sentences import split_sentences
from storyline.lang.en import (
    FNC_CONFIRMATIONS,
    FNC_DISTANCING,
    FNC_HEDGES,
    FNC_NEGATIONS,
    FNC_REFUSALS,
    FNC_STOPWORDS,
)

LABELS = ("agree", "disagree", "discuss", "unrelated")
MODEL_DIR = Path(__file__).parent / "models"
MODEL_FILE = MODEL_DIR / "relatedness.skops"

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|n't")
_CLAUSE_END = re.compile(r"[,;:.!?()\u2013\u2014]|\b(?:but|although|though|while|whereas|however|because|which|who)\b")

CUE_SETS = {"negation": FNC_NEGATIONS, "refusal": FNC_REFUSALS, "hedge": FNC_HEDGES, "distancing": FNC_DISTANCING, "confirmation": FNC_CONFIRMATIONS}

TOP_SENTENCES = 3
MAX_SENTENCES = 40


@dataclass(frozen=True)
class StanceJudgement:
    """Probabilities over LABELS, and the winning label."""

    label: str
    probabilities: dict[str, float]


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("\u2019", "'"))


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in FNC_STOPWORDS and w not in FNC_NEGATIONS and len(w) > 2}


def _stem(word: str) -> str:
    """Crude suffix folding, enough to match 'territories' with 'territory' and 'joining' with 'join'."""
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def body_sentences(text: str) -> list[str]:
    """The first MAX_SENTENCES sentences of a body, as the classifier reads it."""
    return [s for s in split_sentences(text) if len(s) > 1][:MAX_SENTENCES]


def scoped_cues(sentence: str, claim_words: set[str]) -> dict[str, list[str]]:
    """Cue words whose scope (the rest of their clause) holds words of the claim, by cue kind."""
    found: dict[str, list[str]] = {kind: [] for kind in CUE_SETS}
    for clause in _CLAUSE_END.split(sentence.casefold().replace("\u2019", "'")):
        tokens = words(clause or "")
        for i, token in enumerate(tokens):
            for kind, cue_words in CUE_SETS.items():
                if token in cue_words:
                    scope = {_stem(t) for t in tokens[i + 1:i + 12]} | {_stem(t) for t in tokens[max(0, i - 3):i]}
                    if scope & claim_words:
                        found[kind].append(token)
    return found


def _cue_counts(text: str) -> list[float]:
    tokens = words(text)
    return [sum(t in cue_words for t in tokens) for cue_words in CUE_SETS.values()]


def pair_features(claim: str, claim_vector: np.ndarray, sentences: list[str], sentence_vectors: np.ndarray) -> np.ndarray:
    """The feature row for one (claim, text) pair; the text comes as its sentences and their vectors."""
    claim_words = content_words(claim)
    sims = sentence_vectors @ claim_vector if len(sentences) else np.zeros(1, dtype=np.float32)
    order = np.argsort(-sims)[:TOP_SENTENCES] if len(sentences) else np.array([], dtype=int)
    top_text = " ".join(sentences[i] for i in order)
    best = sentence_vectors[order[0]] if len(order) else np.zeros_like(claim_vector)
    text_words = content_words(" ".join(sentences))
    top_words = content_words(top_text)
    overlap = len(claim_words & text_words) / max(1, len(claim_words))
    top_overlap = len(claim_words & top_words) / max(1, len(claim_words))
    scoped = {kind: 0 for kind in CUE_SETS}
    for i in order:
        for kind, cues in scoped_cues(sentences[i], claim_words).items():
            scoped[kind] += len(cues)
    mean_vector = sentence_vectors.mean(axis=0) if len(sentences) else np.zeros_like(claim_vector)
    summary = [
        float(sims.max()), float(np.sort(sims)[-TOP_SENTENCES:].mean()), float(sims[0]),
        float(mean_vector @ claim_vector / (np.linalg.norm(mean_vector) + 1e-9)),
        float((sims > 0.5).sum()), float(len(sentences)),
        overlap, top_overlap, float(len(claim_words)),
        *_cue_counts(claim), *_cue_counts(top_text), *_cue_counts(" ".join(sentences)),
        *scoped.values(),
    ]
    return np.concatenate([np.asarray(summary, dtype=np.float32), claim_vector * best, np.abs(claim_vector - best)])


class StanceModel:
    """The trained classifier with its model card; `judge` scores pairs in batches."""

    def __init__(self, classifier, card: dict):
        self.classifier = classifier
        self.card = card
        self.labels = tuple(str(c) for c in classifier.classes_)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> StanceModel:
        from skops.io import get_untrusted_types, load

        if not path.exists():
            raise FileNotFoundError(f"no stance model at {path}; train one with `make train-relatedness`")
        unknown = get_untrusted_types(file=path)
        # Our own artifact: only scikit-learn's tree and NumPy types may be rebuilt from it.
        allowed = [t for t in unknown if t.startswith(("sklearn.", "numpy.", "builtins."))]
        if len(allowed) != len(unknown):
            raise ValueError(f"stance model {path} holds unexpected types: {sorted(set(unknown) - set(allowed))}")
        card = json.loads(path.with_suffix(".json").read_text()) if path.with_suffix(".json").exists() else {}
        return cls(load(path, trusted=allowed), card)

    def judge(self, pairs: list[tuple[str, str]]) -> list[StanceJudgement]:
        """Stance of each (claim, text) pair."""
        claims = sorted({claim for claim, _ in pairs})
        claim_vectors = dict(zip(claims, embeddings.ENGLISH.encode(claims), strict=True))
        texts = [body_sentences(text) or [text] for _, text in pairs]
        flat = [s for sentences in texts for s in sentences]
        vectors = embeddings.ENGLISH.encode(flat)
        rows, cursor = [], 0
        for (claim, _), sentences in zip(pairs, texts, strict=True):
            rows.append(pair_features(claim, claim_vectors[claim], sentences, vectors[cursor:cursor + len(sentences)]))
            cursor += len(sentences)
        if not rows:
            return []
        probabilities = self.classifier.predict_proba(np.vstack(rows))
        judgements = []
        for p in probabilities:
            by_label = {label: float(p[i]) for i, label in enumerate(self.labels)}
            judgements.append(StanceJudgement(max(by_label, key=by_label.get), by_label))
        return judgements


@lru_cache(maxsize=1)
def default_model() -> StanceModel:
    return StanceModel.load()

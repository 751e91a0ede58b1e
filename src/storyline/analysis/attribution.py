"""Attribution spans learned from PolNeAR: who (source), the words that report (cue), and what
was reported (content).

A linear-chain CRF (CRFsuite) tags every token of a parsed paragraph in BIO form from its words,
its neighbours and its path in the parse: a content token hangs under a reporting verb through a
clausal complement, a source token through the verb's subject, and quotation marks bound what a
speaker said. The model is trained by ``make train-quotes`` (bench/quotes.py) and read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import pycrfsuite
from spacy.tokens import Doc, Token

SpanKind = Literal["SOURCE", "CUE", "CONTENT"]
KINDS: tuple[SpanKind, ...] = ("SOURCE", "CUE", "CONTENT")
MODEL = Path(__file__).with_name("models") / "attribution.crfsuite"
_OPENING = {"“", "«", "„"}
_CLOSING = {"”", "»"}
_ANCESTORS = 4


@dataclass(frozen=True)
class TaggedSpan:
    kind: SpanKind
    start: int  # token indices into the paragraph's Doc, end exclusive
    end: int


@dataclass(frozen=True)
class TaggedAttribution:
    """One content span with the cue and source the tagger pairs it with (either may be missing)."""

    content: TaggedSpan
    cue: TaggedSpan | None
    source: TaggedSpan | None


def _inside_quotes(doc: Doc) -> list[bool]:
    """Whether each token stands inside a quotation (typographic pairs, or straight quotes counted off)."""
    inside, flags = False, []
    for token in doc:
        text = token.text
        if text in _OPENING or (text == '"' and not inside):
            flags.append(False)
            inside = True
        elif text in _CLOSING or (text == '"' and inside):
            flags.append(False)
            inside = False
        else:
            flags.append(inside)
    return flags


def _word(token: Token) -> dict[str, str]:
    return {"lower": token.lower_, "pos": token.pos_, "dep": token.dep_}


def _token(token: Token, quoted: bool) -> dict[str, str | float]:
    features: dict[str, str | float] = {
        "bias": 1.0,
        "lower": token.lower_,
        "lemma": token.lemma_.lower(),
        "suffix": token.lower_[-3:],
        "shape": token.shape_[:4],
        "pos": token.pos_,
        "tag": token.tag_,
        "dep": token.dep_,
        "ent": token.ent_type_ or "-",
        "quoted": float(quoted),
        "sent_start": float(token.is_sent_start or False),
        "sent_end": float(token.i + 1 == token.sent.end),
        "head": f"{token.dep_}>{token.head.lemma_.lower()}",
        "head_pos": f"{token.dep_}>{token.head.pos_}",
    }
    child, clause = token, None
    for depth in range(_ANCESTORS):
        if child.head.i == child.i:
            break
        features[f"arc{depth}"] = f"{child.dep_}>{child.head.lemma_.lower()}"
        if clause is None and child.head.pos_ in ("VERB", "AUX", "NOUN"):
            clause = f"{child.dep_}>{child.head.lemma_.lower()}"
        child = child.head
    features["clause"] = clause or "-"
    features["root"] = token.sent.root.lemma_.lower()
    for dep in {c.dep_ for c in token.children if c.dep_ in ("ccomp", "xcomp", "nsubj", "dobj", "prep", "advcl", "parataxis")}:
        features[f"has_{dep}"] = 1.0
    return features


def paragraph_features(doc: Doc) -> list[dict[str, str | float]]:
    """One feature dict per token: its own, and its two neighbours' words on each side."""
    quoted = _inside_quotes(doc)
    own = [_token(token, flag) for token, flag in zip(doc, quoted, strict=True)]
    words = [_word(token) for token in doc]
    features = []
    for i, base in enumerate(own):
        item = dict(base)
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(doc):
                for key, value in words[j].items():
                    item[f"{offset}:{key}"] = value
                if offset in (-1, 1):
                    item[f"{offset}:quoted"] = float(quoted[j])
            else:
                item[f"{offset}:edge"] = 1.0
        features.append(item)
    return features


def spans_of(labels: list[str]) -> list[TaggedSpan]:
    """BIO labels -> spans; an I- after a different kind opens a span of its own."""
    spans, open_kind, start = [], None, 0
    for i, label in enumerate([*labels, "O"]):
        prefix, _, kind = label.partition("-")
        if open_kind and (prefix != "I" or kind != open_kind):
            spans.append(TaggedSpan(open_kind, start, i))
            open_kind = None
        if prefix in ("B", "I") and open_kind is None:
            open_kind, start = kind, i
    return spans


def _distance(a: TaggedSpan, b: TaggedSpan) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def pair(spans: list[TaggedSpan], doc: Doc) -> list[TaggedAttribution]:
    """Each content with the nearest cue, preferring one in its own sentence, and that cue's source:
    the tagged source holding the cue's grammatical subject, else that subject's phrase from the
    parse, else the nearest tagged source (in the cue's sentence first)."""
    cues = [s for s in spans if s.kind == "CUE"]
    sources = [s for s in spans if s.kind == "SOURCE"]

    def sentence(span: TaggedSpan) -> int:
        return doc[span.start].sent.start

    def subject_source(cue: TaggedSpan) -> TaggedSpan | None:
        subjects = {c.i for t in doc[cue.start:cue.end] for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "poss", "agent")}
        subjects |= {c.i for t in doc[cue.start:cue.end] for a in t.children if a.dep_ == "agent" for c in a.children}
        return next((s for s in sources if any(s.start <= i < s.end for i in subjects)), None)

    def untagged_subject(cue: TaggedSpan) -> TaggedSpan | None:
        subject = next((c for t in doc[cue.start:cue.end] for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or any(content.start <= subject.i < content.end for content in spans if content.kind == "CONTENT"):
            return None
        return TaggedSpan("SOURCE", subject.left_edge.i, subject.right_edge.i + 1)

    found = []
    for content in (s for s in spans if s.kind == "CONTENT"):
        cue = min(cues, key=lambda c: (sentence(c) not in (sentence(content), doc[content.end - 1].sent.start),
                                       _distance(c, content)), default=None)
        anchor = cue or content
        source = subject_source(cue) if cue else None
        if source is None and cue is not None:
            source = untagged_subject(cue)
        if source is None:
            source = min(sources, key=lambda s: (sentence(s) != sentence(anchor), _distance(s, anchor)), default=None)
        found.append(TaggedAttribution(content, cue, source))
    return found


@cache
def _tagger() -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger


def tag(doc: Doc) -> list[TaggedAttribution]:
    """The attributions the trained tagger finds in one parsed paragraph."""
    if len(doc) == 0:
        return []
    labels = _tagger().tag(paragraph_features(doc))
    return pair(spans_of(labels), doc)

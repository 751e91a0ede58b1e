"""Quotation attribution on PolNeAR (2016 US election news, brat standoff annotation).

Each gold attribution has a source span, a cue and a content span. A predicted
statement matches a gold one when their content spans overlap (or, for the
exact figure, cover the same words); its source is right when the span where
we found the speaker ("he", "the senator", "Clinton") overlaps the gold source.
PolNeAR also annotates beliefs and intentions ("Trump believes ...") and
sources such as polls; those count against recall, as they would for anyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.data import eval_data_dir
from bench.scoring import PRF
from storyline.analysis.statements import extract_statements

DATASET = "quotes-polnear"
REFERENCE = {"PARC3 BBC Citron: content F1 exact / overlap": (0.593, 0.833), "source F1 exact": 0.820}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Attribution:
    content: tuple[int, int]
    source: tuple[int, int] | None


@dataclass(frozen=True)
class QuotesResult:
    documents: int
    gold: int
    predicted: int
    content_overlap: PRF
    content_exact: PRF
    content_and_source: PRF


def _parse_ann(text: str) -> list[Attribution]:
    spans: dict[str, tuple[int, int]] = {}
    relations = []
    for line in text.splitlines():
        if line.startswith("T"):
            tag, info, _surface = line.split("\t", 2)
            label, *offsets = info.replace(";", " ").split()
            spans[tag] = (int(offsets[0]), int(offsets[-1]))
        elif line.startswith("E"):
            relations.append(dict(part.split(":") for part in line.split("\t")[1].split()))
    return [
        Attribution(spans[r["Content"]], spans.get(r.get("Source", "")))
        for r in relations if r.get("Content") in spans
    ]


def load_documents(split: str = "dev", limit: int | None = None) -> list[tuple[str, str, list[Attribution]]]:
    root = eval_data_dir() / DATASET / split
    documents = []
    for ann in sorted((root / "attributions").glob("*.ann"))[:limit]:
        text_path = root / "text" / f"{ann.stem.rsplit('_', 1)[0]}.txt"
        documents.append((ann.stem, text_path.read_text(encoding="utf-8"), _parse_ann(ann.read_text(encoding="utf-8"))))
    return documents


def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def predict(text: str) -> list[Attribution]:
    predicted = []
    for statement in extract_statements(text, _paragraphs(text)):
        found = text.find(statement.text, statement.start, statement.end + 2)
        if found < 0:
            continue
        source = (statement.mention_start, statement.mention_end) if statement.mention_start is not None else None
        predicted.append(Attribution((found, found + len(statement.text)), source))
    return predicted


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _same_words(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    return _WORD.findall(text[a[0]:a[1]].casefold()) == _WORD.findall(text[b[0]:b[1]].casefold())


def _prf(matched_predicted: int, predicted: int, matched_gold: int, gold: int) -> PRF:
    precision = matched_predicted / predicted if predicted else 0.0
    recall = matched_gold / gold if gold else 0.0
    return PRF(precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def evaluate(split: str = "dev", limit: int | None = None) -> QuotesResult:
    totals = {"gold": 0, "pred": 0, "overlap_p": 0, "overlap_g": 0, "exact_p": 0, "exact_g": 0, "source_p": 0, "source_g": 0}
    documents = load_documents(split, limit)
    for _name, text, gold in documents:
        predicted = predict(text)
        totals["gold"] += len(gold)
        totals["pred"] += len(predicted)
        for p in predicted:
            totals["overlap_p"] += any(_overlap(p.content, g.content) for g in gold)
            totals["exact_p"] += any(_same_words(text, p.content, g.content) for g in gold)
            totals["source_p"] += any(_overlap(p.content, g.content) and _overlap(p.source, g.source) for g in gold)
        for g in gold:
            totals["overlap_g"] += any(_overlap(p.content, g.content) for p in predicted)
            totals["exact_g"] += any(_same_words(text, p.content, g.content) for p in predicted)
            totals["source_g"] += any(_overlap(p.content, g.content) and _overlap(p.source, g.source) for p in predicted)
    return QuotesResult(
        documents=len(documents),
        gold=totals["gold"],
        predicted=totals["pred"],
        content_overlap=_prf(totals["overlap_p"], totals["pred"], totals["overlap_g"], totals["gold"]),
        content_exact=_prf(totals["exact_p"], totals["pred"], totals["exact_g"], totals["gold"]),
        content_and_source=_prf(totals["source_p"], totals["pred"], totals["source_g"], totals["gold"]),
    )


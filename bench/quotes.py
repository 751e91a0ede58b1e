"""Quotation attribution: PolNeAR (2016 US election news, brat standoff annotation), the shared
sets' real pages, and our labels on the non-English world pages.

    python -m bench.quotes [dev]       # PolNeAR dev through the whole extractor
    python -m bench.quotes train       # make train-quotes: the attribution tagger, and its model card
    python -m bench.quotes pages       # statements and the most quoted actors over the shared sets' pages
    python -m bench.quotes languages   # statements in other languages against bench/labels/

Each gold attribution has a source span, a cue and a content span. A predicted
statement matches a gold one when their content spans overlap (or, for the
exact figure, cover the same words); its source is right when the span where
we found the speaker ("he", "the senator", "Clinton") overlaps the gold source.
PolNeAR also annotates beliefs and intentions ("Trump believes ...") and
sources such as polls; those count against recall, as they would for anyone.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from bench import dates
from bench.data import REPO, eval_data_dir
from bench.scoring import PRF
from bench.throughput import build_corpus
from storyline.analysis import attribution
from storyline.analysis.language import identify_languages
from storyline.analysis.reported_speech import extract_reported_speech
from storyline.analysis.statements import extract_statements, load_pipeline
from storyline.jobs.update import update
from storyline.lang.names import fold, same_person
from storyline.pipeline import Ingestor
from storyline.store import Store

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


def _gold_parts(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every part of every source, cue and content an attribution relation names."""
    parts: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    named: set[str] = set()
    for line in text.splitlines():
        if re.match(r"T\d+\t", line):  # a span's surface text may run over a line break
            tag, info, _surface = line.split("\t", 2)
            label, ranges = info.split(" ", 1)
            parts[tag] = (label, [tuple(map(int, r.split())) for r in ranges.split(";")])
        elif line.startswith("E"):
            named.update(part.split(":")[1] for part in line.split("\t")[1].split()[1:])
    return [(label.upper(), start, end) for tag, (label, ranges) in parts.items()
            if tag in named and label.upper() in attribution.KINDS for start, end in ranges]


def _parse_ann(text: str) -> list[Attribution]:
    spans: dict[str, tuple[int, int]] = {}
    relations = []
    for line in text.splitlines():
        if re.match(r"T\d+\t", line):
            tag, info, _surface = line.split("\t", 2)
            label, *offsets = info.replace(";", " ").split()
            spans[tag] = (int(offsets[0]), int(offsets[-1]))
        elif line.startswith("E"):
            relations.append(dict(part.split(":") for part in line.split("\t")[1].split()))
    return [
        Attribution(spans[r["Content"]], spans.get(r.get("Source", "")))
        for r in relations if r.get("Content") in spans
    ]


def _annotated(split: str, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(name, text, brat annotation) of each annotated article of a split."""
    root = eval_data_dir() / DATASET / split
    return [(ann.stem, (root / "text" / f"{ann.stem.rsplit('_', 1)[0]}.txt").read_text(encoding="utf-8"),
             ann.read_text(encoding="utf-8"))
            for ann in sorted((root / "attributions").glob("*.ann"))[:limit]]


def load_documents(split: str = "dev", limit: int | None = None) -> list[tuple[str, str, list[Attribution]]]:
    return [(name, text, _parse_ann(ann)) for name, text, ann in _annotated(split, limit)]


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


def predict_tagged(text: str) -> list[Attribution]:
    """The attribution tagger alone: every content it tags, with the source it pairs, speaker or not."""
    predicted = []
    for start, end in _paragraphs(text):
        doc = load_pipeline()(text[start:end])
        for found in attribution.tag(doc):
            content = doc[found.content.start:found.content.end]
            source = doc[found.source.start:found.source.end] if found.source else None
            predicted.append(Attribution((start + content.start_char, start + content.end_char),
                                         (start + source.start_char, start + source.end_char) if source else None))
    return predicted


def _overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _same_words(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    return _WORD.findall(text[a[0]:a[1]].casefold()) == _WORD.findall(text[b[0]:b[1]].casefold())


def _prf(matched_predicted: int, predicted: int, matched_gold: int, gold: int) -> PRF:
    precision = matched_predicted / predicted if predicted else 0.0
    recall = matched_gold / gold if gold else 0.0
    return PRF(precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def evaluate(split: str = "dev", limit: int | None = None, predictor=predict) -> QuotesResult:
    """The system's statements (``predict``) or the tagger alone (``predict_tagged``) against the gold."""
    totals = {"gold": 0, "pred": 0, "overlap_p": 0, "overlap_g": 0, "exact_p": 0, "exact_g": 0, "source_p": 0, "source_g": 0}
    documents = load_documents(split, limit)
    for _name, text, gold in documents:
        predicted = predictor(text)
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


# --- Real pages: the shared sets' 281 pages, as a user would run them ---

ACTOR_LABELS = REPO / "bench" / "labels" / "actors-shared-pages.json"
TOP_ACTORS = 50


@dataclass(frozen=True)
class RealPagesResult:
    articles: int
    with_statements: int
    statements: int
    unnamed_statements: int  # statements of unnamed sources ("police", "experts"): kept, no actor
    unnamed: list[tuple[str, int]]  # the most frequent of those sources
    seconds: float  # translation and statements stages
    top: list[tuple[str, str, int]]  # (name, kind, statements) of the most quoted actors
    not_actors: list[str]  # of those, the ones our labels say are no actor (a pronoun, place, outlet, generic noun)
    unlabelled: list[str]


def real_pages() -> RealPagesResult:
    """Statements per article and the most quoted actors over every page of the shared sets."""
    labels = json.loads(ACTOR_LABELS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        pages = Path(folder) / "pages"
        pages.mkdir()
        build_corpus(pages, size=0)
        with Store(Path(folder) / "pages.db") as store:
            Ingestor(store).run([str(pages)])
            began = time.monotonic()
            update(store, only=("translate", "statements"))
            seconds = time.monotonic() - began
            statements = store.statements()
            counts = Counter(s.actor_id for s in statements if s.actor_id is not None)
            actors = {a.id: a for a in store.actors(list(counts))}
            articles = store.article_count()
    top = [(actors[i].name, actors[i].kind, n) for i, n in counts.most_common(TOP_ACTORS)]
    return RealPagesResult(
        articles=articles, with_statements=len({s.article_id for s in statements}), statements=len(statements),
        unnamed_statements=sum(s.actor_id is None for s in statements),
        unnamed=Counter(s.speaker.casefold() for s in statements if s.actor_id is None).most_common(TOP_ACTORS),
        seconds=seconds, top=top, not_actors=[name for name, _kind, _n in top if name in labels["not_actors"]],
        unlabelled=[name for name, _kind, _n in top if name not in labels["not_actors"] and name not in labels["actors"]],
    )


# --- Other languages: our labels on the non-English world pages ---

LANGUAGE_LABELS = REPO / "bench" / "labels" / "statements-world-pages.json"


@dataclass(frozen=True)
class LanguageResult:
    pages: int
    labelled: int  # statements our labels hold
    found: int  # statements the reader found
    right: int  # found ones whose words and speaker a label holds
    recalled: int  # labels some found statement holds


def _said_by(found: str, labelled: str) -> bool:
    return same_person(found, labelled) or fold(found) == fold(labelled)


def languages() -> dict[str, LanguageResult]:
    """Per language: statements the pattern reader finds on our labelled world pages, against the labels."""
    labels = json.loads(LANGUAGE_LABELS.read_text(encoding="utf-8"))["pages"]
    counts: dict[str, Counter] = {}
    for page in dates.load_pages():
        host = next((h for h in labels if h in page.url), None)
        article = dates.ingested(page.url, page.data) if host else None
        if host is None or isinstance(article, Exception):
            continue
        language, _ = identify_languages(article.text, article.paragraphs)
        found = extract_reported_speech(article.text, [(p.start, p.end) for p in article.paragraphs], language.code)
        expected = labels[host]["statements"]

        def holds(statement, label) -> bool:
            return label["words"].casefold() in statement.text.casefold() and _said_by(statement.speaker, label["speaker"])

        tally = counts.setdefault(labels[host]["language"], Counter())
        tally.update(pages=1, labelled=len(expected), found=len(found),
                     right=sum(any(holds(s, label) for label in expected) for s in found),
                     recalled=sum(any(holds(s, label) for s in found) for label in expected))
    return {language: LanguageResult(**{k: tally[k] for k in ("pages", "labelled", "found", "right", "recalled")})
            for language, tally in sorted(counts.items())}


# --- Training the attribution tagger (make train-quotes) ---

# L1 and L2 weights and iterations fit on PolNeAR dev (c1 0.05 / 0.3 / 1.0 / 2.5 / 5.0 tried: 1.0 scored best
# through the whole extractor, 4 MB; stronger L1 gives smaller models at about the same F1).
TRAINING = {"c1": 1.0, "c2": 0.01, "max_iterations": 250, "feature.possible_transitions": True}


def _token_labels(doc, offset: int, parts: list[tuple[str, int, int]]) -> list[str]:
    """BIO labels for one paragraph; a cue or source inside a content (a nested report) wins over it."""
    labels = ["O"] * len(doc)
    for kind in ("CONTENT", "SOURCE", "CUE"):
        for part_kind, start, end in parts:
            if part_kind != kind:
                continue
            span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            for i in range(span.start, span.end):
                labels[i] = f"{'B' if i == span.start else 'I'}-{kind}"
            if span.end < len(doc) and labels[span.end].startswith("I-"):
                labels[span.end] = "B-" + labels[span.end][2:]
    return labels


def training_sequences(split: str, limit: int | None = None):
    """(features, labels) of every paragraph of a split's annotated articles, parsed with the shipped pipeline."""
    documents = _annotated(split, limit)
    paragraphs = []
    for _name, text, ann in documents:
        parts = _gold_parts(ann)
        for start, end in _paragraphs(text):
            paragraphs.append((text[start:end], start, [(k, s, e) for k, s, e in parts if s < end and e > start]))
    docs = load_pipeline().pipe((text for text, _start, _parts in paragraphs), batch_size=64)
    for doc, (_text, start, parts) in zip(docs, paragraphs, strict=True):
        if len(doc):
            yield attribution.paragraph_features(doc), _token_labels(doc, start, parts)


def _card_scores(result: QuotesResult) -> dict[str, float]:
    return {"content_overlap_f1": round(result.content_overlap.f1, 3), "content_exact_f1": round(result.content_exact.f1, 3),
            "content_source_f1": round(result.content_and_source.f1, 3),
            "content_overlap_precision": round(result.content_overlap.precision, 3),
            "content_overlap_recall": round(result.content_overlap.recall, 3)}


def train() -> None:
    """Fits the CRF on PolNeAR train and writes it with its model card; scores on dev follow."""
    began = time.monotonic()
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in training_sequences("train"):
        trainer.append(features, labels)
    trainer.set_params(TRAINING)
    trainer.train(str(attribution.MODEL))
    attribution._tagger.cache_clear()
    annotated = _annotated("train")
    card = {
        "model": "linear-chain CRF (CRFsuite 0.9.12, L-BFGS; deterministic, no seed) over en_core_web_sm 3.8.0 parses, "
                 "BIO tags for source, cue and content",
        "data": f"{DATASET} train: {len(annotated)} annotations of {len({name.rsplit('_', 1)[0] for name, _t, _a in annotated})} "
                "articles (some annotated twice); features in storyline/analysis/attribution.py",
        "parameters": TRAINING,
        "dev": {name: _card_scores(evaluate("dev", predictor=predictor))
                for name, predictor in (("tagger alone", predict_tagged), ("through the extractor", predict))},
        "minutes": round((time.monotonic() - began) / 60, 1),
    }
    attribution.MODEL.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "dev"
    if command == "train":
        train()
    elif command == "pages":
        print(real_pages())
    elif command == "languages":
        for language, result in languages().items():
            print(language, result)
    else:
        print(evaluate(command))

"""Stance: the trained reader on Perspectrum, on FNC-1 split by claim, and on statements about other stories.

    python -m bench.stance train                  # make train-stance: the cross-encoder (bench/stance_training.py)
    python -m bench.stance direction FILE.jsonl   # any file of Perspectrum's format: claim, statement, stance
    python -m bench.stance train-crosslingual     # make train-stance: the head for untranslated statements
    python -m bench.stance compare-e5             # a cross-encoder from multilingual-e5-small against the shipped reader
    python -m bench.stance spanish                # Perspectrum dev statements through Spanish and back (Apertium)
    python -m bench.stance crosslingual           # the same Spanish statements read by the cross-language head
    python -m bench.stance fnc                    # FNC-1, headlines split into fitting and held-out claims
    python -m bench.stance false [spanish]        # stances taken on PolNeAR statements for off-topic propositions

Every figure comes from the system's own decision (`positions.scoring`): retrieval by cosine,
then the reader's side at its threshold. A pair the retrieval drops counts as "no side".
"""

from __future__ import annotations

import json
import random
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench import quotes
from bench.data import eval_data_dir, into_spanish
from bench.fnc import load as load_fnc
from bench.fnc import official_score
from bench.scoring import class_f1, expected_calibration_error
from storyline.analysis import embeddings
from storyline.analysis.sentences import split_sentences
from storyline.analysis.stance_model import default_reader
from storyline.positions.scoring import (
    PositionScorer,
    _side_probability,
    hedges_in,
    side_taken,
)
from storyline.records import UNNAMED, StoredStatement
from storyline.settings import settings

PERSPECTRUM_DEV = "stance-perspectrum/dev.jsonl"
DIRECTION_REFERENCE = {"BERT-base (Popat et al. 2019)": 0.777, "STANCY, BERT + consistency (Popat et al. 2019)": 0.815}
FNC_REFERENCE = {"2017 winner (SOLAT), new claims": 82.02, "RoBERTa fine-tuned (Dulhanty 2019)": 90.0}
FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
FNC_FITTING_SHARE = 0.3  # of the headlines: thresholds are fit on these, scores reported on the rest
FNC_SPLIT_SEED = 20170601
FNC_BODY_SENTENCES = 40
FNC_TOP_SENTENCES = 2
FNC_HEADLINES = 200  # of each part, a random sample: the reader on every FNC-1 pair takes most of an hour on 2 cores
# Propositions PolNeAR's statements speak to, for timing the positions stage.
SPEED_PROPOSITIONS = (
    "Hillary Clinton should be prosecuted over her private email server.",
    "The United States should build a wall on the border with Mexico.",
    "Donald Trump should release his tax returns.",
    "The Affordable Care Act should be repealed.",
    "The United States should ban Muslims from entering the country.",
)
# Propositions about other stories than PolNeAR's (the 2016 US election): every stance taken is false.
OFF_TOPIC = (
    "Ukraine should give up territory in exchange for NATO membership.",
    "Face masks should be mandatory in public.",
    "Commercial whaling should be banned worldwide.",
    "Schools should ban mobile phones in class.",
    "Nuclear power plants should be phased out in Germany.",
)


@dataclass(frozen=True)
class DirectionScores:
    pairs: int
    accuracy: float
    macro_f1: float
    class_f1: dict[str, float]
    forced_macro_f1: float  # support vs oppose by the reader alone, every pair given a side: the papers' setting
    no_side: float  # share of pairs given no side (retrieval or reader)
    retrieved: float  # share of pairs retrieval passes to the reader
    hedged: float  # share of sided pairs the hedge rule would call mixed
    ece: float  # calibration of the confidence of the side taken, 10 bins
    pairs_per_second: float


def read_pairs(path: Path, limit: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit]


def retrieval_similarities(encoder: embeddings.Encoder, pairs: list[tuple[str, str]]) -> np.ndarray:
    """Each (claim, statement) pair's cosine, as retrieval measures it: each claim encoded once."""
    claims = sorted({claim for claim, _statement in pairs})
    claim_vectors = dict(zip(claims, encoder.encode(claims), strict=True))
    return np.einsum("ij,ij->i", encoder.encode([statement for _claim, statement in pairs]),
                     np.vstack([claim_vectors[claim] for claim, _statement in pairs]))


def direction(path: Path | None = None, limit: int | None = None, across_languages: bool = False) -> DirectionScores:
    """Support/oppose on a Perspectrum-format file: per-class F1 and their mean, as the papers report.
    `across_languages` reads the statements as Storyline reads those it has no translation for:
    multilingual-e5 retrieval at the head's threshold, then the cross-language head."""
    rows = read_pairs(path or eval_data_dir() / PERSPECTRUM_DEV, limit)
    path_taken = PositionScorer(None).path(across_languages)
    reader, encoder, retrieval = path_taken.reader, path_taken.encoder, path_taken.retrieval
    reader.probabilities([(rows[0]["claim"], rows[0]["statement"])])  # load before the clock starts
    started = time.perf_counter()
    similarities = retrieval_similarities(encoder, [(r["claim"], r["statement"]) for r in rows])
    near = [i for i, s in enumerate(similarities) if s >= retrieval]
    verdicts = dict(zip(near, reader.probabilities([(rows[i]["claim"], rows[i]["statement"]) for i in near]), strict=True))
    seconds = time.perf_counter() - started
    far = [i for i in range(len(rows)) if i not in verdicts]
    every = {**verdicts, **dict(zip(far, reader.probabilities([(rows[i]["claim"], rows[i]["statement"]) for i in far]), strict=True))}
    forced = ["support" if every[i].support >= every[i].oppose else "oppose" for i in range(len(rows))]
    predicted, confidences, correct, hedged = [], [], [], 0
    for i, row in enumerate(rows):
        side = side_taken(verdicts[i], path_taken.side) if i in verdicts else None
        predicted.append(side or "none")
        if side:
            confidences.append(_side_probability(verdicts[i], side))
            correct.append(side == row["stance"])
            hedged += bool(hedges_in(row["statement"]))
    gold = [r["stance"] for r in rows]
    f1 = {label: class_f1(gold, predicted, label) for label in ("support", "oppose")}
    sided = max(1, len(confidences))
    return DirectionScores(
        len(rows), sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(1, len(rows)),
        sum(f1.values()) / 2, f1, sum(class_f1(gold, forced, label) for label in ("support", "oppose")) / 2,
        predicted.count("none") / max(1, len(rows)), len(near) / max(1, len(rows)),
        hedged / sided, expected_calibration_error(np.array(confidences), np.array(correct, dtype=float)) if confidences else 0.0,
        len(rows) / seconds)


def _direction_in_spanish(limit: int | None, translate_back: bool) -> DirectionScores | None:
    """Perspectrum dev with its statements put into Spanish: read through their translation back
    into English (Apertium spa-eng, as Storyline reads a Spanish article), or across languages."""
    import tempfile

    from storyline.translation.backends import Apertium

    rows = read_pairs(eval_data_dir() / PERSPECTRUM_DEV, limit)
    statements = into_spanish([r["statement"] for r in rows])
    if statements is None:
        return None
    if translate_back:
        backend = Apertium()
        if "es" not in backend.languages():
            return None
        statements = backend.translate("es", statements)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in-spanish.jsonl"
        path.write_text("".join(json.dumps({**r, "statement": e}) + "\n" for r, e in zip(rows, statements, strict=True)))
        return direction(path, across_languages=not translate_back)


def direction_through_spanish(limit: int | None = None) -> DirectionScores | None:
    """The translated path: Spanish statements read through their English translation."""
    return _direction_in_spanish(limit, translate_back=True)


def direction_across_languages(limit: int | None = None) -> DirectionScores | None:
    """The path for languages with no translator: Spanish statements read by the cross-language head."""
    return _direction_in_spanish(limit, translate_back=False)


# --- FNC-1, split by claim ---

@dataclass(frozen=True)
class FncScores:
    pairs: int
    headlines: int
    fnc_score: float  # percent of the best possible, as the competition's scorer.py computes it
    macro_f1: float
    class_f1: dict[str, float]
    related_threshold: float
    side_threshold: float


def fnc_pairs() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """FNC-1's bodies and its (headline, body id, stance) rows."""
    bodies, pairs = load_fnc()
    return bodies, [(p.headline, p.body_id, p.stance) for p in pairs]


def fnc_split(pairs: list[tuple[str, str, str]]) -> tuple[list, list]:
    """By headline: no claim is in both parts (the competition's test set also had new claims).
    Each part is in the shuffled order of its headlines, so its first headlines are a random sample."""
    headlines = sorted({h for h, _b, _s in pairs})
    random.Random(FNC_SPLIT_SEED).shuffle(headlines)
    rank = {h: i for i, h in enumerate(headlines)}
    cut = int(len(headlines) * FNC_FITTING_SHARE)
    ordered = sorted(pairs, key=lambda p: rank[p[0]])
    return [p for p in ordered if rank[p[0]] < cut], [p for p in ordered if rank[p[0]] >= cut]


def _first_headlines(pairs: list[tuple[str, str, str]], count: int | None) -> list[tuple[str, str, str]]:
    kept = list(dict.fromkeys(h for h, _b, _s in pairs))[:count]
    return [p for p in pairs if p[0] in set(kept)]


def _fnc_readings(bodies: dict[str, str], pairs: list[tuple[str, str, str]]) -> list[tuple[float, float, float]]:
    """Per pair: the best sentence cosine, and the strongest support and oppose among the body's
    nearest sentences, as the positions stage reads statements."""
    reader = default_reader()
    sentences = {b: [s for s in split_sentences(bodies[b]) if len(s) > 20][:FNC_BODY_SENTENCES] or [bodies[b][:500]]
                 for b in {b for _h, b, _s in pairs}}
    flat = [(b, s) for b, ss in sentences.items() for s in ss]
    vectors = dict(zip(flat, embeddings.ENGLISH.encode([s for _b, s in flat]), strict=True))
    headlines = sorted({h for h, _b, _s in pairs})
    headline_vectors = dict(zip(headlines, embeddings.ENGLISH.encode(headlines, query=True), strict=True))
    readings, to_read = [], []
    for headline, body, _stance in pairs:
        sims = np.array([vectors[(body, s)] @ headline_vectors[headline] for s in sentences[body]])
        top = [sentences[body][i] for i in np.argsort(-sims)[:FNC_TOP_SENTENCES] if sims[i] >= settings().stances.retrieval]
        readings.append([float(sims.max()), 0.0, 0.0])
        to_read.extend((len(readings) - 1, headline, s) for s in top)
    for (index, _h, _s), verdict in zip(to_read, reader.probabilities([(h, s) for _i, h, s in to_read]), strict=True):
        readings[index][1] = max(readings[index][1], verdict.support)
        readings[index][2] = max(readings[index][2], verdict.oppose)
    return [tuple(r) for r in readings]


def _fnc_label(reading: tuple[float, float, float], related: float, side: float) -> str:
    best, support, oppose = reading
    if best < related:
        return "unrelated"
    if max(support, oppose) < side:
        return "discuss"
    return "agree" if support >= oppose else "disagree"


def fnc(limit_headlines: int | None = FNC_HEADLINES) -> FncScores:
    """Two thresholds (how near a body's best sentence must be to be related, how likely a side
    to agree or disagree rather than discuss) are fit on the fitting headlines; the held-out
    headlines are scored with the competition's scorer."""
    bodies, pairs = fnc_pairs()
    fitting, held_out = fnc_split(pairs)
    fitting, held_out = _first_headlines(fitting, limit_headlines), _first_headlines(held_out, limit_headlines)
    fit_readings = _fnc_readings(bodies, fitting)
    grid = [(r, s) for r in np.arange(0.2, 0.61, 0.025) for s in np.arange(0.5, 0.96, 0.05)]
    related, side = max(grid, key=lambda t: official_score(fitting, [_fnc_label(x, *t) for x in fit_readings]))
    predicted = [_fnc_label(x, related, side) for x in _fnc_readings(bodies, held_out)]
    gold = [s for _h, _b, s in held_out]
    f1 = {label: class_f1(gold, predicted, label) for label in FNC_LABELS}
    return FncScores(len(held_out), len({h for h, _b, _s in held_out}), official_score(held_out, predicted),
                     sum(f1.values()) / len(FNC_LABELS), f1, round(float(related), 3), round(float(side), 3))


# --- False stances on statements about other stories, and speed ---

def polnear_statements(documents: int) -> tuple[list[StoredStatement], list[str]]:
    """Statements the extractor finds in PolNeAR train articles, as the store would hand them over
    to the stances stage: an actor's (an unnamed source's are not judged)."""
    from storyline.analysis.statements import extract_statements

    found, texts = [], []
    for name, text, _gold in quotes.load_documents("train", limit=documents):
        texts.append(text)
        for s in (s for s in extract_statements(text, quotes._paragraphs(text)) if s.speaker_kind != UNNAMED):
            found.append(StoredStatement(len(found) + 1, len(texts) - 1, 0, s.speaker, s.role, s.kind, s.text, text[s.start:s.end],
                                         s.start, s.end, s.cue, s.via, s.date, s.date_kind, name, None, None))
    return found, texts


@dataclass(frozen=True)
class FalseStances:
    articles: int
    statements: int
    per_thousand: float  # stances taken per 1,000 statements, over the off-topic propositions
    judged_per_thousand: float  # statements retrieval hands the reader, per 1,000
    sample: list[tuple[str, str, str]]  # (proposition, stance, statement)
    pairs_per_second: float


def false_stances(documents: int = 150, in_spanish: bool = False) -> FalseStances | None:
    """`in_spanish` puts the statements into Spanish (Apertium) and leaves them untranslated, so
    the cross-language head reads them: None without Apertium."""
    statements, _texts = polnear_statements(documents)
    if in_spanish:
        spanish = into_spanish([s.text for s in statements])
        if spanish is None:
            return None
        statements = [replace(s, text=text, language="es") for s, text in zip(statements, spanish, strict=True)]
    scorer = PositionScorer(store=None)
    scorer.judge(OFF_TOPIC[0], statements[:5])  # load before the clock starts
    started = time.perf_counter()
    taken, judged = [], 0
    for proposition in OFF_TOPIC:
        result = scorer.judge(proposition, statements)
        judged += result.judged
        by_id = {s.id: s for s in statements}
        taken.extend((proposition, j.stance, by_id[j.statement_id].text) for j in result.stances)
    seconds = time.perf_counter() - started
    pairs = len(statements) * len(OFF_TOPIC)
    return FalseStances(documents, len(statements), 1000 * len(taken) / max(1, pairs), 1000 * judged / max(1, pairs),
                        random.Random(0).sample(taken, min(8, len(taken))), pairs / seconds)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["direction"]
    if command == "train":
        from bench.stance_training import train

        print(json.dumps(train(), indent=1))
    elif command == "direction":
        scores = direction(Path(rest[0]) if rest else None)
        print(json.dumps(scores.__dict__, indent=1))
        print(f"forced-choice macro-F1 {scores.forced_macro_f1:.3f}")
        print(f"macro-F1 {scores.macro_f1:.3f}")
    elif command == "compare-e5":
        from bench.stance_training import compare_e5

        print(json.dumps(compare_e5(), indent=1))
    elif command == "train-crosslingual":
        from bench.stance_training import train_crosslingual

        print(json.dumps(train_crosslingual(), indent=1))
    elif command == "spanish":
        print(json.dumps(direction_through_spanish().__dict__, indent=1))
    elif command == "crosslingual":
        print(json.dumps(direction_across_languages().__dict__, indent=1))
    elif command == "fnc":
        print(json.dumps(fnc().__dict__, indent=1))
    elif command == "false":
        print(json.dumps(false_stances(in_spanish=rest == ["spanish"]).__dict__, indent=1))
    else:
        raise SystemExit(__doc__)

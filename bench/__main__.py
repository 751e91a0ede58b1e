"""`make bench`: every evaluation and benchmark, each printed as a table beside its reference."""

from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table

from bench import dates, extraction, quotes, throughput

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
    quo = quotes.evaluate("dev")
    table.add_row(f"{quotes.DATASET} dev ({quo.documents} docs, {quo.gold} attributions)", "content F1 overlap / exact (P / R)",
                  f"{quo.content_overlap.f1:.3f} / {quo.content_exact.f1:.3f} ({quo.content_overlap.precision:.3f} / {quo.content_overlap.recall:.3f})",
                  "—", "PARC3 BBC Citron: content F1 0.833 overlap / 0.593 exact")
    table.add_row(f"{quotes.DATASET} dev", "content + source F1 (P / R)",
                  f"{quo.content_and_source.f1:.3f} ({quo.content_and_source.precision:.3f} / {quo.content_and_source.recall:.3f})",
                  "—", "PARC3 BBC Citron: source F1 0.820 exact (no PolNeAR leaderboard)")
    return table


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


if __name__ == "__main__":
    console.print(_quality_table())
    console.print(_speed_table())
    console.print(_analysis_speed())

"""Interactive reads on a large store: the API's article list, a story page and an actor page on a
store of 10,000 articles, with how many rows each request loads.

The store is made from real pages: the ScrapingHub set and the seeds are ingested and analysed
for real, then fanned out to the size asked for (each copy keeps its template's text, paragraphs,
statements and stored parse, with its own date and hash), and the copies are grouped into stories of five
with random centroids. Pages are read uncached: each request asks for a story or actor not
asked for before.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import event
from sqlalchemy.orm import Session

from bench.data import eval_data_dir
from bench.quotes import DATASET
from bench.stance import SPEED_PROPOSITIONS
from storyline.analysis import ANALYSIS_VERSION
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.records import (
    UNNAMED,
    Article,
    DateEstimate,
    LanguageGuess,
    Outlet,
    OutletMatch,
    Representation,
    StanceJudged,
    Statement,
    StoredArticle,
    StoryCluster,
)
from storyline.store import Store

ARTICLES = 10_000
STORY_SIZE = 5
REQUESTS = 20
SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
# The same benchmark on main before the store was split by aggregate (commit 23a978e, 2026-12-01,
# 10,000 articles, this machine): p50 ms, p95 ms, rows loaded per request.
BEFORE = {
    "/api/articles?limit=20": (944.5, 1161.4, 10_000),
    "/api/stories?limit=20": (163.5, 489.5, 1_963),
    "/stories/{id} (uncached, no digest)": (8196.1, 12726.9, 62_550),
    "/actors/{id} (uncached)": (23267.9, 27538.3, 171_848),
}
DIGEST = "digests stage, one story"  # what a story page no longer computes, timed as the stage does it


@dataclass(frozen=True)
class Latency:
    path: str
    p50_ms: float
    p95_ms: float
    rows: float  # ORM rows loaded per request, on average


def _copy(template: StoredArticle, n: int, day: date) -> Article:
    return Article(
        origin=f"{template.origin}#copy-{n}", raw_hash=f"scale-raw-{n}", text_hash=f"scale-text-{n}", raw_kind=template.raw_kind,
        raw_text="", text=template.text, paragraphs=template.paragraphs, title=f"{template.title or ''} ({n})", url=None,
        author=template.author,
        outlet=OutletMatch(Outlet(template.outlet, template.outlet_domain, template.country), "bench copy") if template.outlet else None,
        country=template.country, language=LanguageGuess(template.language, template.language_confidence),
        published=DateEstimate(day, 1.0, "bench", "bench copy"),
    )


def build(db: Path, size: int = ARTICLES, seed: int = 7) -> None:
    """A store of `size` articles made from the real pages' templates (see the module's docstring)."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder, Store(db) as store:
        pages = sorted((eval_data_dir() / "extraction-scrapinghub" / "html").glob("*.html*"))
        for page in pages:
            (Path(folder) / page.name).write_bytes(page.read_bytes())
        Ingestor(store).run([folder, str(SEEDS)])
        update(store, only=("statements",))
        templates = [store.article(a.id) for a in store.articles()]
        said = {t.id: store.statements(article_ids=[t.id]) for t in templates}
        parsed = store.parses([t.id for t in templates], ANALYSIS_VERSION)  # an analysed store keeps each article's parse
        propositions = [store.add_proposition("Ukraine should give up territory in exchange for NATO membership."),
                        store.add_proposition("Face masks should be mandatory in public.")]
        start, story, event_cluster = date(2022, 1, 1), None, None
        for n in range(size - len(templates)):
            template = templates[n % len(templates)]
            day = start + timedelta(days=rng.randrange(4 * 365))
            article_id = store.add_article(_copy(template, n, day), "bench")
            # The copy's statements go to the template's actors (its unnamed sources stay unnamed).
            copies = [(Statement(s.kind, s.text, s.start, s.end, s.speaker, "person" if s.actor_id else UNNAMED, s.role, s.cue,
                                 s.via, day.isoformat(), s.date_kind), s.actor_id) for s in said[template.id]]
            parse = parsed.get(template.id)
            store.save_statements(article_id, copies, ANALYSIS_VERSION, replace(parse, article_id=article_id) if parse else None)
            if n % STORY_SIZE == 0:
                story, event_cluster = StoryCluster.empty(384), StoryCluster.empty(384)
            vector = rng.random() * np.ones(384, dtype=np.float32)
            item = Representation(vector, vector, frozenset({"en"}))
            for cluster in (event_cluster, story):
                cluster.add(item, day.isoformat(), {a for _s, a in copies if a is not None})
            event_cluster.id, story.id = store.place_article(article_id, event_cluster, story, 1.0)
        statements = store.statements()
        for proposition in propositions:
            chosen = rng.sample(statements, len(statements) // 10)
            judged = [StanceJudged(s.id, rng.choice(("support", "oppose", "mixed")), 0.9, "bench", ()) for s in chosen]
            store.save_stances(proposition, judged, max(s.id for s in statements))
        for found in store.stories_to_label(()):
            store.set_story_label(found.id, f"story {found.id}")


class _RowCounter:
    """Rows the ORM turns into objects, per request."""

    def __init__(self):
        self.rows = 0
        event.listen(Session, "loaded_as_persistent", self._loaded)

    def _loaded(self, _session, _instance) -> None:
        self.rows += 1

    def close(self) -> None:
        event.remove(Session, "loaded_as_persistent", self._loaded)


def _digest(db: Path, story_ids: list[int]) -> list[float]:
    """The digests stage on these stories (their summary and sections), milliseconds each; the
    first story loads the models and is not counted."""
    from storyline.jobs.contract import StageReport
    from storyline.jobs.digests import DigestsJob
    from storyline.stories import DIGEST_RECIPE

    with Store(db) as store:
        job, inputs = DigestsJob(store), dict(store.stories_to_digest(DIGEST_RECIPE))
        times = []
        for story_id in story_ids:
            began = time.perf_counter()
            job.process([(story_id, inputs[story_id])], StageReport(job.name))
            times.append((time.perf_counter() - began) * 1000)
    return times[1:]


def _latency(path: str, times: list[float], rows: list[int]) -> Latency:
    times = sorted(times)
    return Latency(path, statistics.median(times), times[int(0.95 * (len(times) - 1))], statistics.mean(rows))


def measure(db: Path, requests: int = REQUESTS) -> list[Latency]:
    """Story pages twice: with the digest the digests stage stored (as after an update), and
    without one (a story changed since), on different stories."""
    from fastapi.testclient import TestClient

    from storyline.interfaces.api import create_app

    with Store(db) as store:
        story_ids = [s.id for s in store.stories(limit=2 * requests + 2)]
        actor_ids = [a.id for a in store.actors(limit=requests)]
    digested, undigested, warm = story_ids[:requests], story_ids[requests:2 * requests], story_ids[2 * requests:]
    digest_times = _digest(db, [warm[0], *digested])
    paths = {
        "/api/articles?limit=20": [f"/api/articles?limit=20&offset={20 * i}" for i in range(requests)],
        "/api/stories?limit=20": [f"/api/stories?limit=20&offset={20 * i}" for i in range(requests)],
        "/stories/{id} (uncached, digest stored)": [f"/stories/{i}" for i in digested],
        "/stories/{id} (uncached, no digest)": [f"/stories/{i}" for i in undigested],
        "/actors/{id} (uncached)": [f"/actors/{i}" for i in actor_ids],
    }
    counter, found = _RowCounter(), [_latency(DIGEST, digest_times, [0])]
    try:
        with TestClient(create_app(db)) as client:
            client.get(f"/stories/{warm[1]}")  # models load once, not in the timings
            for name, urls in paths.items():
                times, rows = [], []
                for url in urls:
                    counter.rows = 0
                    began = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - began) * 1000)
                    rows.append(counter.rows)
                    assert response.status_code == 200, (url, response.status_code)
                found.append(_latency(name, times, rows))
    finally:
        counter.close()
    return found


@dataclass(frozen=True)
class ProposeTime:
    store: str
    statements: int  # in the store, unnamed sources' included
    spoken: int  # actors' statements: those a proposition judges
    embed_seconds: float  # the update's vectors stage, before any proposition
    first_seconds: float  # the first proposition
    next_seconds: float  # a later one
    judged: int


# Propositions the copies' templates (ScrapingHub pages, the seeds) barely speak to.
COPY_PROPOSITIONS = ("Ukraine should join the European Union.", "Western countries should send tanks to Ukraine.")


def time_propose(db: Path, propositions: tuple[str, str], store_name: str) -> ProposeTime:
    """The update's vectors stage (run when statements are new), then what `storyline propose`
    runs for two new propositions in turn, each from a cold start of the memos."""
    from storyline.memo import forget_all

    times, judged = [], 0
    with Store(db) as store:
        began = time.perf_counter()
        update(store, only=("vectors",))
        embed = time.perf_counter() - began
        for text in propositions:
            forget_all()
            store.add_proposition(text)
            began = time.perf_counter()
            reports = update(store, only=("vectors", "stances"))
            times.append(time.perf_counter() - began)
            judged = reports[-1].counts["judged"]
        return ProposeTime(store_name, store.statement_count(), len(store.statements(actors_only=True)), embed,
                           times[0], times[1], judged)


def build_distinct(db: Path) -> None:
    """A store of real articles whose statements are their own: PolNeAR's 922 (2016 US politics),
    read by the statements stage."""
    with tempfile.TemporaryDirectory() as folder, Store(db) as store:
        for split in ("train", "dev"):
            for page in sorted((eval_data_dir() / DATASET / split / "text").glob("*.txt")):
                (Path(folder) / page.name).write_bytes(page.read_bytes())
        Ingestor(store).run([folder])
        update(store, only=("statements",))


def run(size: int = ARTICLES) -> tuple[int, list[Latency], list[ProposeTime]]:
    with tempfile.TemporaryDirectory() as folder:
        db, distinct = Path(folder) / "scale.db", Path(folder) / "distinct.db"
        build(db, size)
        with Store(db) as store:
            articles = store.article_count()
        found = measure(db)
        copies = time_propose(db, COPY_PROPOSITIONS, f"the {articles:,}-article store of copies")
        build_distinct(distinct)
        real = time_propose(distinct, SPEED_PROPOSITIONS[:2], "PolNeAR's 922 articles")
        return articles, found, [real, copies]


def report(articles: int, found: list[Latency], proposes: list[ProposeTime]) -> str:
    lines = [f"`propose` on {p.store} ({p.statements:,} statements, {p.spoken:,} of them actors'): first proposition "
             f"{p.first_seconds:.1f} s, next {p.next_seconds:.1f} s, {p.judged} judged (goal under 20 s); the update embedded "
             f"the statements beforehand in {p.embed_seconds:.1f} s" for p in proposes]
    lines.append("  (before statement vectors moved into the update, 2026-12-06: PolNeAR 71.2 s / 13.8 s; copies 81.9 / 59.4 s. "
                 "The copies repeat 2,038 texts, each read and encoded once: their figure is not a distinct store's.)")
    lines.append(f"Reads on a store of {articles:,} articles ({REQUESTS} requests each, uncached pages); in brackets, main before "
                 "the store was split by aggregate (23a978e, 10,000 articles):")
    for f in found:
        p50, p95, rows = BEFORE.get(f.path, (float("nan"),) * 3)
        lines.append(f"  {f.path:40} p50 {f.p50_ms:7.1f} ms ({p50:7.1f})   p95 {f.p95_ms:7.1f} ms ({p95:7.1f})   "
                     f"{f.rows:7.0f} rows loaded per request ({rows:,.0f})")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(report(*run(int(sys.argv[1]) if len(sys.argv) > 1 else ARTICLES)))

"""The one update: its stage order, and the document model it keeps (each paragraph parsed once)."""

from collections import Counter
from dataclasses import replace

import pytest
from spacy.language import Language
from sqlalchemy import text

from storyline.jobs.update import STAGE_NAMES, update
from storyline.pipeline import Ingestor
from storyline.settings import settings
from storyline.store import Store
from tests.conftest import SEEDS


@pytest.fixture
def parses(monkeypatch) -> Counter:
    """Every text spaCy's pipeline parses, however it is called, counted."""
    seen: Counter = Counter()
    pipe, call = Language.pipe, Language.__call__

    def counted_pipe(self, texts, *args, **kwargs):
        texts = list(texts)
        seen.update(texts)
        return pipe(self, texts, *args, **kwargs)

    def counted_call(self, text, *args, **kwargs):
        seen[text] += 1
        return call(self, text, *args, **kwargs)

    monkeypatch.setattr(Language, "pipe", counted_pipe)
    monkeypatch.setattr(Language, "__call__", counted_call)
    return seen


def test_the_stages_run_in_one_order_and_a_wrong_name_is_refused(store):
    assert STAGE_NAMES == ("translate", "statements", "vectors", "stances", "shifts", "stories", "digests", "alerts")
    reports = update(store, only=["alerts", "translate"])
    assert [r.stage for r in reports] == ["translate", "alerts"]
    with pytest.raises(ValueError, match="no stage named stance"):
        update(store, only=["stance"])


def test_analyze_parses_each_paragraph_once_and_a_new_proposition_parses_nothing(tmp_path, gold, parses):
    with Store(tmp_path / "seeds.db") as store:
        Ingestor(store).run([str(SEEDS)])
        for proposition in gold["propositions"].values():
            store.add_proposition(proposition)
        reports = {r.stage: r for r in update(store)}
        articles = [store.article(a.id) for a in store.articles()]
        parts = Counter([a.title for a in articles if a.title] + [a.text[p.start:p.end] for a in articles for p in a.paragraphs])
        assert reports["stances"].counts["stances"] > 0 and reports["stories"].counts["articles"] == len(articles)
        others = {text: n for text, n in parses.items() if text not in parts}
        assert not others, f"parsed besides paragraphs and titles: {list(others)[:3]}"
        twice = {text: n for text, n in parses.items() if n > parts.get(text, 1)}
        assert not twice, f"parsed more than once: {list(twice)[:3]}"
        assert sum(parses[p] for p in parts) == sum(parts.values()), "every paragraph and title is parsed, once"

        parses.clear()
        store.add_proposition("Ukraine should hold elections during the war.")
        update(store, only=["vectors", "stances"])  # what `storyline propose` runs: stored vectors and text, no parse
        assert not parses


def said(store: Store) -> list[tuple]:
    return sorted((s.article_id, s.start, s.end, s.speaker, s.text) for s in store.statements())


def test_statements_read_by_worker_processes_are_a_one_process_run_s(tmp_path, monkeypatch, parses):
    """Worker processes parse and read the articles; this one resolves actors and saves them in
    article order: the same statements, speakers and actors as reading them here."""
    with Store(tmp_path / "one.db") as one:
        Ingestor(one).run([str(SEEDS)])
        update(one, only=("statements",))
        expected, actors = said(one), sorted(a.name for a in one.actors())
    parses.clear()
    pooled = replace(settings(), analysis=replace(settings().analysis, workers=2, parallel_from=1))
    monkeypatch.setattr("storyline.jobs.statements.settings", lambda: pooled)
    with Store(tmp_path / "two.db") as two:
        Ingestor(two).run([str(SEEDS)])
        update(two, only=("statements",))
        assert said(two) == expected and sorted(a.name for a in two.actors()) == actors
    assert not parses, "the workers parsed the articles, not this process"


class _WorkersHere:
    """A stand-in for the worker pool that reads in this process, its workers killed after `dies_after` readings."""

    dies_after: int | None = None

    def __init__(self, *_args, **_kwargs):
        pass

    def map(self, function, items):
        for number, item in enumerate(items):
            if number == self.dies_after:
                from concurrent.futures.process import BrokenProcessPool

                raise BrokenProcessPool("a worker was killed")
            yield function(item)

    def shutdown(self):
        pass


def _read_by_workers(monkeypatch, pool: type, failing: int | None = None) -> Counter:
    """The statements stage with a pool of `pool`; how often each article is read (`failing` raises)."""
    from storyline.jobs import statements

    read, reading = Counter(), statements._read_stored

    def counted(pair):
        read[pair[0].id] += 1
        if pair[0].id == failing:
            raise ValueError("the parser gave up")
        return reading(pair)

    pooled = replace(settings(), analysis=replace(settings().analysis, workers=2, parallel_from=1))
    monkeypatch.setattr(statements, "settings", lambda: pooled)
    monkeypatch.setattr(statements, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(statements, "_read_stored", counted)
    return read


def test_a_worker_dying_mid_batch_leaves_the_rest_to_this_process(tmp_path, monkeypatch):
    """Readings already handed back are saved; the articles after them are read here, once."""
    with Store(tmp_path / "one.db") as one:
        Ingestor(one).run([str(SEEDS)])
        update(one, only=("statements",))
        expected = said(one)
    read = _read_by_workers(monkeypatch, type("DiesAfterTwo", (_WorkersHere,), {"dies_after": 2}))
    with Store(tmp_path / "two.db") as two:
        Ingestor(two).run([str(SEEDS)])
        [report] = update(two, only=("statements",))
        assert report.counts["articles"] == len(list(SEEDS.glob("*.txt"))) and not report.failures
        assert said(two) == expected
    assert set(read.values()) == {1}, read


def test_an_article_that_fails_in_a_batch_costs_only_itself(tmp_path, monkeypatch):
    """Its batch is tried again an article at a time; those saved before it are not read or counted twice."""
    read = _read_by_workers(monkeypatch, _WorkersHere, failing=3)
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(SEEDS)])
        [report] = update(store, only=("statements",))
        assert [key for key, _reason in report.failures] == ["article 3"]
        assert report.counts["articles"] == len(list(SEEDS.glob("*.txt"))) - 1
        assert read == Counter({1: 1, 2: 1, 3: 2, 4: 1, 5: 1}), "the failed article alone is read again"


def test_readings_and_vectors_kept_by_queue_workers_are_saved_as_one_process_makes_them(tmp_path, parses, monkeypatch):
    """What `read_article` tasks keep (jobs.queue), the analysis saves as a one-process run would,
    parsing and embedding nothing; a reading of a text that has changed since is stale and read again."""
    from storyline.analysis import ANALYSIS_VERSION
    from storyline.jobs.statements import read_and_keep
    from storyline.jobs.stories import embed_and_keep

    def stories(store: Store) -> list[list[str]]:
        origin = {a.id: a.origin for a in store.articles()}
        return sorted(sorted(origin[i] for i in story.articles) for story in store.stories())

    with Store(tmp_path / "one.db") as one:
        Ingestor(one).run([str(SEEDS)])
        update(one, only=("statements", "stories"))
        expected, actors, placed = said(one), sorted(a.name for a in one.actors()), stories(one)
    with Store(tmp_path / "kept.db") as store:
        Ingestor(store).run([str(SEEDS)])
        ids = store.article_ids_to_analyze(ANALYSIS_VERSION)
        assert all(read_and_keep(store, i) and embed_and_keep(store, i) for i in ids)
        assert not read_and_keep(store, ids[0]) and not embed_and_keep(store, ids[0]), "what is kept is not done again"
        changed = store.article(ids[-1])
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE articles SET title = :title WHERE id = :id"), {"title": "Changed", "id": changed.id})
        parses.clear()
        monkeypatch.setattr("storyline.stories.placement.multilingual_vector", lambda *_: pytest.fail("embedded again"))
        pooled = replace(settings(), analysis=replace(settings().analysis, workers=2, parallel_from=1))
        monkeypatch.setattr("storyline.jobs.statements.settings", lambda: pooled)
        monkeypatch.setattr("storyline.jobs.statements.ProcessPoolExecutor", lambda *_a, **_k: pytest.fail("workers started for readings kept"))
        update(store, only=("statements", "stories"))
        assert set(parses) <= {"Changed", *(changed.text[p.start:p.end] for p in changed.paragraphs)}
        assert "Changed" in parses, "the changed article was read again"
        assert said(store) == expected and sorted(a.name for a in store.actors()) == actors
        assert stories(store) == placed
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM article_readings")).scalar() == 0, "saved readings are gone"
        assert not read_and_keep(store, ids[0]), "an analysed article needs no reading"


def _ends(found) -> list[tuple]:
    return [(s.kind, s.proposition_id, s.actor, s.before.statement.id, s.after.statement.id, s.reason) for s in found]


def test_shifts_are_stored_and_found_again_only_when_their_stances_change(tmp_path, gold):
    from storyline.jobs.contract import UpdateOptions
    from storyline.positions.queries import detect_shifts, shifts
    from storyline.positions.timeline import sortable

    with Store(tmp_path / "seeds.db") as store:
        Ingestor(store).run([str(SEEDS)])
        ids = [store.add_proposition(text) for text in gold["propositions"].values()]
        first = {r.stage: r for r in update(store)}["shifts"]
        assert first.counts["propositions"] == 2 and first.counts["shifts"] > 0
        stored = shifts(store)
        assert _ends(stored) == _ends(sorted((s for i in ids for s in detect_shifts(store, i)), key=lambda s: sortable(s.after)))
        assert update(store, only=["shifts"])[0].counts["propositions"] == 0, "nothing changed, nothing recomputed"
        mover = stored[0].after.statement
        with store.engine.begin() as connection:  # a rename elsewhere (tidy_actors, a later article) changes what is shown
            connection.execute(text("UPDATE actors SET name = 'Renamed Actor' WHERE id = :id"), {"id": mover.actor_id})
        assert update(store, only=["shifts"])[0].counts["propositions"] >= 1
        assert any("Renamed Actor" in s.actor for s in shifts(store, stored[0].proposition_id))  # "A / B" for two actors

        update(store, UpdateOptions(redo=True), only=["statements"])  # new statement ids: stances and their shifts go
        assert shifts(store) == [], "a shift whose statements are gone is gone with them"
        again = {r.stage: r for r in update(store)}["shifts"]
        assert again.counts["propositions"] == 2
        assert [(k, p, a, r) for k, p, a, _b, _e, r in _ends(shifts(store))] == [(k, p, a, r) for k, p, a, _b, _e, r in _ends(stored)]


def test_pages_the_pattern_rules_read_start_no_worker_processes(tmp_path, monkeypatch):
    """A worker loads the parser for seconds before it reads anything; Ukrainian, French and
    Spanish pages (Media Cloud sample) are read by pattern rules in milliseconds, so they start
    none. An English page needs the parse, and starts them."""
    from storyline.jobs.statements import StatementsJob
    from tests.conftest import world_page

    pooled = replace(settings(), analysis=replace(settings().analysis, workers=2, parallel_from=1))
    monkeypatch.setattr("storyline.jobs.statements.settings", lambda: pooled)
    for host in ("zaxid.net", "radio-canada.ca", "bohemia.cu"):
        (tmp_path / f"{host}.html").write_bytes(world_page(host)[1])
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(tmp_path)])
        job = StatementsJob(store)
        assert len(job.pending()) == 3 and job.pool is None
        english = tmp_path / "english"
        english.mkdir()
        (english / "globalnews.html").write_bytes(world_page("globalnews.ca")[1])
        Ingestor(store).run([str(english)])
        job = StatementsJob(store)
        assert len(job.pending()) == 4 and job.pool is not None
        job.pool.shutdown()

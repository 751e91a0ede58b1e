"""The store on a real PostgreSQL server: the demo corpus analysed there must give what it gives
on SQLite, and the API, the pages, search and the page cache must work over it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bench.load import demo_store
from bench.postgres import new_database
from storyline.store import Store


def findings(store: Store) -> dict[str, object]:
    """What a user reads from a store, keyed by what does not depend on row ids."""
    articles = {a.id: a for a in store.articles(with_text=True)}
    origin = {i: a.origin.rsplit("/", 1)[-1] for i, a in articles.items()}
    statements = store.statements()
    said = {s.id: (origin[s.article_id], s.start, s.end) for s in statements}
    propositions = {p.id: p.text for p in store.propositions()}
    from storyline.positions.queries import shifts

    return {
        "articles": sorted((origin[i], a.title, a.published, a.outlet, a.country, a.language, a.text) for i, a in articles.items()),
        "statements": sorted((*said[s.id], s.speaker, s.kind, s.text, s.date) for s in statements),
        "stances": sorted((propositions[p], *said[point.statement.id], point.stance)
                          for p in propositions for point in store.positions(p)),
        "shifts": sorted((propositions[s.proposition_id], s.kind, s.actor, s.before.stance, s.after.stance,
                          s.before.statement.date, s.after.statement.date) for s in shifts(store)),
        "stories": sorted(sorted(origin[i] for i in story.articles) for story in store.stories()),
        "labels": sorted(story.label for story in store.stories()),
        "search": sorted((h.kind, origin[h.article_id]) for h in store.search_text("NATO membership", limit=50)),
    }


@pytest.fixture(scope="module")
def demo_on_postgres(postgres_server_url) -> str:
    url = new_database(postgres_server_url, "demo")
    demo_store(url)
    return url


def test_the_demo_on_postgresql_gives_what_it_gives_on_sqlite(demo_on_postgres, demo_db):
    with Store(demo_on_postgres) as on_postgres, Store(demo_db) as on_sqlite:
        assert on_postgres.engine.dialect.name == "postgresql"
        expected, found = findings(on_sqlite), findings(on_postgres)
    assert len(found["articles"]) == 5 and found["statements"] and found["stances"] and found["shifts"]
    for part in expected:
        assert found[part] == expected[part], part


def test_api_pages_search_and_the_page_cache_over_postgresql(demo_on_postgres, postgres_server_url):
    from storyline.interfaces.api import create_app

    client = TestClient(create_app(demo_on_postgres))
    assert client.get("/api/articles").json()["total"] == 5
    hits = client.get("/api/search", params={"q": "Prystaiko flexible"}).json()["items"]
    assert hits and all("[" in h["snippet"] for h in hits), "each hit marks its matching words"
    story = client.get("/api/stories").json()["items"][0]["id"]
    page = client.get(f"/stories/{story}").text
    assert 'class="cite" href="/articles/' in page and "<mark>" in client.get("/search", params={"q": "NATO"}).text
    with Store(demo_on_postgres) as store:
        before = store.revision()
        proposition = store.add_proposition("Ukraine should hold elections during the war.")
        assert store.revision() > before, "a write from another connection moves the revision the page cache keys on"
    assert "Ukraine should hold elections during the war." in client.get("/propositions").text
    assert client.get(f"/propositions/{proposition}").status_code == 200


def test_two_stores_opening_a_new_database_at_once_migrate_it_once(postgres_server_url):
    from concurrent.futures import ThreadPoolExecutor

    url = new_database(postgres_server_url, "together")

    def opened(_n: int) -> int:
        with Store(url) as store:
            return store.counts()["articles"]

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(opened, range(4))) == [0, 0, 0, 0]


def test_the_cli_takes_a_postgresql_url_and_never_prints_its_password(demo_on_postgres):
    from typer.testing import CliRunner

    from storyline.interfaces.cli import app

    runner = CliRunner()
    report = runner.invoke(app, ["report"], env={"STORYLINE_DB": demo_on_postgres})
    assert report.exit_code == 0 and "5 articles" in report.output
    refused = runner.invoke(app, ["report", "--db", "postgresql://reader:s3cret@127.0.0.1:9/nowhere"])
    assert refused.exit_code == 2 and "Cannot open the store at postgresql+psycopg://reader:***@127.0.0.1:9/nowhere" in refused.output
    assert "s3cret" not in refused.output


def test_statements_however_their_speaker_was_found_fit_their_columns_on_postgresql(postgres_server_url):
    """PostgreSQL holds a VARCHAR to its length, SQLite never did: a Spanish page's statements whose
    subject the verb dropped ("the subject dropped: the speaker before", 39 characters) failed there."""
    from storyline.jobs.update import update
    from storyline.pipeline import Ingestor
    from storyline.records import GivenMetadata, RawDocument
    from tests.conftest import world_page

    url, data = world_page("elsoldesanjuandelrio.com.mx")
    with Store(new_database(postgres_server_url, "long_vias")) as store:
        Ingestor(store).run_documents([url], [RawDocument(origin=url, data=data, kind_hint="html", given=GivenMetadata(url=url))])
        assert not update(store, only=("statements",))[0].failures
        assert any(s.via == "the subject dropped: the speaker before" for s in store.statements())

"""Shared fixtures: the seed corpus with its answer key, real pages, and fresh stores."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from storyline.pipeline import Ingestor
from storyline.store import Store

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fold(text: str) -> str:
    """Compare texts as a reader would: typographic quotes and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def world_page(host: str) -> tuple[str, bytes]:
    """(url, bytes) of the Media Cloud world-news page from `host` (../shared/data/dates-mediacloud)."""
    from bench.dates import load_pages

    return next((page.url, page.data) for page in load_pages() if host in page.url)


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's store (seeds, gold propositions, analysed), built once; copy it before writing to it."""
    from bench.load import demo_store

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    demo_store(db)
    return db


def demo_copy(demo_db: Path, folder: Path) -> Path:
    copy = folder / "demo.db"
    shutil.copyfile(demo_db, copy)
    return copy


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "test.db") as opened:
        yield opened


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The five seeds ingested once through the real pipeline."""
    with Store(tmp_path_factory.mktemp("seeded") / "seeds.db") as opened:
        Ingestor(opened).run([str(SEEDS)])
        yield opened


@pytest.fixture(scope="session")
def seed_articles(seeded_store: Store) -> dict:
    """Stored seed articles keyed by their file name, as in gold.json."""
    return {Path(a.origin).name: a for a in seeded_store.articles(with_text=True)}


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """A real PostgreSQL server for the session, in a temporary folder (Debian's binaries; `make
    install` installs them as root). Tests make their own databases on it (bench.postgres.new_database)."""
    from bench.postgres import binaries, postgres_server

    if binaries() is None:
        pytest.skip("PostgreSQL is not installed (Debian: postgresql; make install does it as root)")
    with postgres_server() as url:
        yield url

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storyline.pipeline import Ingestor
from storyline.store import Store
from storyline.store.models import Base
from storyline.store.upgrade import MIGRATIONS, current_revision, head_revision
from tests.conftest import SEEDS


def _not_full_text(obj, name, type_, reflected, compare_to) -> bool:
    """FTS5 tables and their shadow tables are made by raw SQL in migration 0004, not by models."""
    return not (type_ == "table" and name and "_fts" in name)


def test_migrations_build_exactly_the_models_schema(store):
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": _not_full_text})
        assert compare_metadata(context, Base.metadata) == []


def test_the_newest_migration_file_names_alembic_s_head_and_a_fresh_store_is_at_it(store):
    """Opening a store skips Alembic when the store is at the head the file names give: they must agree."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert all(Path(script.path).name.startswith(f"{script.revision}_") for script in scripts.walk_revisions())
    assert scripts.get_current_head() == head_revision()
    with store.engine.connect() as connection:
        assert current_revision(connection) == head_revision()


def test_an_old_store_is_migrated_when_opened(tmp_path):
    from alembic import command
    from alembic.config import Config

    from storyline.store.upgrade import MIGRATIONS

    with Store(tmp_path / "old.db") as store, store.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0012")  # as a store written before migrations 0013 and 0014 is
        assert not inspect(connection).has_table("leases")
        assert "title" not in {c["name"] for c in inspect(connection).get_columns("translations")}
    with Store(tmp_path / "old.db") as reopened, reopened.engine.connect() as connection:
        assert current_revision(connection) == head_revision()
        assert connection.execute(text("SELECT count(*) FROM analysis_failures")).scalar() == 0
        assert connection.execute(text("SELECT name FROM leases")).scalars().all() == ["analysis"]
        assert "title" in {c["name"] for c in inspect(connection).get_columns("translations")}
        assert "label_language" in {c["name"] for c in inspect(connection).get_columns("stories")}


def test_migration_0018_keys_each_stored_statement_alert_as_the_outbox_does(tmp_path):
    """Alerts recorded before 0018 were keyed by their sentence alone; after it, re-analysed statements
    must still find their old alerts (and not be news again)."""
    from alembic import command
    from alembic.config import Config

    from storyline.alerts.outbox import statement_key
    from storyline.store.upgrade import MIGRATIONS

    statement = {"article_id": 3, "start": 10, "end": 90, "speaker": "Dmytro Kuleba", "text": "Ukraine will not trade land"}
    with Store(tmp_path / "old.db") as store, store.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0017")
        connection.execute(text("INSERT INTO alerts (key, kind, payload, created_at) VALUES (:key, 'statement', :payload, :at)"),
                           {"key": "statement:3:10:90", "payload": json.dumps({"event": "statement", "statement": statement}),
                            "at": datetime(2026, 12, 1)})
    with Store(tmp_path / "old.db") as reopened, reopened.engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM alerts")).scalars().all() == [statement_key(3, 10, 90, "Ukraine will not trade land")]


def test_migration_0020_lets_a_statement_have_no_actor_and_keeps_every_stance(tmp_path):
    """0020 drops the NOT NULL on statements.actor_id in place: a rebuilt table would cascade its
    deletion, with foreign keys on, into every stance and statement vector."""
    from alembic import command
    from alembic.config import Config

    from storyline.jobs.update import update
    from storyline.records import StanceJudged

    with Store(tmp_path / "old.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=("statements",))
        named = [s for s in store.statements() if s.actor_id is not None]
        proposition = store.add_proposition("Ukraine should give up territory for NATO membership")
        store.save_stances(proposition, [StanceJudged(s.id, "oppose", 0.9, "", ()) for s in named[:3]], named[-1].id)
    with Store(tmp_path / "old.db") as store, store.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.downgrade(config, "0019")
        assert not next(c for c in inspect(connection).get_columns("statements") if c["name"] == "actor_id")["nullable"]
        assert connection.execute(text("SELECT count(*) FROM statements WHERE actor_id IS NULL")).scalar() == 0
    with Store(tmp_path / "old.db") as reopened, reopened.engine.connect() as connection:
        assert next(c for c in inspect(connection).get_columns("statements") if c["name"] == "actor_id")["nullable"]
        assert connection.execute(text("SELECT count(*) FROM stances")).scalar() == 3
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert connection.execute(text("SELECT count(*) FROM statements")).scalar() == len(named)


def test_statements_of_unnamed_sources_are_kept_without_an_actor(tmp_path):
    from storyline.analysis import ANALYSIS_VERSION
    from storyline.analysis.statements import extract_statements
    from storyline.jobs.contract import UpdateOptions
    from storyline.jobs.update import update
    from storyline.records import UNNAMED

    def _statements_of(article_id):
        article = store.article(article_id)
        return extract_statements(article.text, [(p.start, p.end) for p in article.paragraphs])

    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=("statements",))
        said = store.statements()
        unnamed = [s for s in said if s.actor_id is None]
        assert unnamed and all(s.speaker and s.sentence for s in unnamed), "read with the source's words and sentence"
        actors = store.actors()
        assert {a.id for a in actors} == {s.actor_id for s in said if s.actor_id is not None}
        assert all(a.statements > 0 for a in actors), "an actor left without statements is dropped, unnamed sources or not"
        assert store.statement_count() == len(said)
        update(store, UpdateOptions(redo=True), only=("statements",))
        assert {a.id for a in store.actors()} == {s.actor_id for s in store.statements() if s.actor_id is not None}
        # An article read again finds only an unnamed source: the actors only it quoted go.
        article_id = unnamed[0].article_id
        others = {s.actor_id for s in store.statements() if s.article_id != article_id}
        only_here = {s.actor_id for s in store.statements(article_ids=[article_id])} - others - {None}
        assert only_here
        kept = next(s for s in _statements_of(article_id) if s.speaker_kind == UNNAMED)
        store.save_statements(article_id, [(kept, None)], ANALYSIS_VERSION)
        store.tidy_actors(only_here)
        assert not only_here & {a.id for a in store.actors()}
        assert [s.actor_id for s in store.statements(article_ids=[article_id])] == [None]


def test_sqlite_store_runs_in_wal_mode(store):
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_reingesting_the_same_articles_is_a_no_op(store):
    Ingestor(store).run([str(SEEDS)])
    before = store.counts()
    report = Ingestor(store).run([str(SEEDS)])
    assert store.counts() == before
    assert {o.status for o in report.outcomes} == {"unchanged"}


def test_reopening_keeps_the_store(tmp_path):
    with Store(tmp_path / "s.db") as first:
        Ingestor(first).run([str(SEEDS / "002_49451109cdc68bcb.txt")])
    with Store(tmp_path / "s.db") as again:
        assert again.counts()["articles"] == 1


def test_syndicated_copy_is_linked_not_stored_twice(store, tmp_path):
    original = (SEEDS / "002_49451109cdc68bcb.txt").read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    # The same wire story elsewhere: another outlet line, a dropped paragraph, its own footer.
    syndicated = "\n\n".join([p.replace("Al Jazeera", "Gulf News") for p in paragraphs if not p.startswith("Fighting has also")])
    (tmp_path / "copy.txt").write_text(syndicated + "\n\nFollow us on social media", encoding="utf-8")
    Ingestor(store).run([str(SEEDS / "002_49451109cdc68bcb.txt")])
    report = Ingestor(store).run([str(tmp_path / "copy.txt")])
    assert report.outcomes[0].status == "copy" and "near-duplicate" in report.outcomes[0].detail
    assert store.counts() == {**store.counts(), "articles": 1, "copies": 1}
    copies = store.article(report.outcomes[0].article_id).copies
    assert copies[0].outlet == "Gulf News" and 0.8 <= copies[0].similarity < 1.0


def test_same_text_under_another_name_is_an_exact_copy(store, tmp_path):
    shutil.copy(SEEDS / "000_60cd841b4f1b7f06.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text((SEEDS / "000_60cd841b4f1b7f06.txt").read_text(encoding="utf-8") + "\n\nAD\n", encoding="utf-8")
    report = Ingestor(store).run([str(tmp_path)])
    assert [o.status for o in report.outcomes] == ["stored", "copy"]
    assert store.article(report.outcomes[0].article_id).copies[0].similarity == 1.0


def test_lines_recurring_across_an_outlet_become_furniture(store, tmp_path):
    promo = "Our morning briefing arrives before breakfast on weekdays"
    for seed in sorted(SEEDS.glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").splitlines()
        first_paragraph = next(i for i, line in enumerate(lines) if len(line.split()) > 30)
        lines.insert(first_paragraph + 1, f"\n{promo}\n")
        (tmp_path / seed.name).write_text("\n".join(lines), encoding="utf-8")
    Ingestor(store).run([str(tmp_path)])
    texts = [a.text for a in sorted(store.articles(with_text=True), key=lambda a: a.id)]
    # Once three articles of the folder carried it, later ones lose it.
    assert promo in texts[0] and promo not in texts[-1]
    assert any(r.reason == "recurs in other articles of this outlet" for a in store.articles(with_text=True) for r in a.removed)


def test_propositions_are_curated_by_the_user(store):
    proposed = store.add_proposition("Ukraine should join NATO.", origin="proposed", status="proposed")
    assert store.propositions(status="accepted") == []
    # Naming it again as a user accepts it rather than duplicating it.
    assert store.add_proposition("Ukraine should join NATO.") == proposed
    assert [p.status for p in store.propositions()] == ["accepted"]
    store.save_stances(proposed, [], through_statement_id=41)
    store.update_proposition(proposed, text="Ukraine should be granted NATO membership.")
    assert store.scored_through(proposed) == 0, "a reworded proposition is judged again from the start"
    other = store.add_proposition("Ukraine should give up territory for NATO membership.")
    store.update_proposition(other, status="dropped")
    assert {p.text: p.status for p in store.propositions()}["Ukraine should give up territory for NATO membership."] == "dropped"
    store.merge_propositions(other, proposed)
    assert [p.id for p in store.propositions()] == [proposed]
    with pytest.raises(KeyError):
        store.update_proposition(999, status="accepted")


def test_content_revision_moves_on_every_write_and_only_then(store, tmp_path):
    Ingestor(store).run([str(SEEDS / "002_49451109cdc68bcb.txt")])
    before = store.revision()
    store.counts(), store.articles(), store.propositions()
    assert store.revision() == before
    proposition = store.add_proposition("Ukraine should join NATO")
    added = store.revision()
    assert added > before
    with Store(store.url) as other_process:
        other_process.update_proposition(proposition, status="rejected")
    assert store.revision() > added


def test_reads_by_id_take_more_ids_than_one_query_binds(store):
    """A redo over a large store asks about every article at once; SQLite refuses a query with more
    variables than it was built for (32,766 by default, 250,000 in Debian's build)."""
    Ingestor(store).run([str(SEEDS)])
    ids = [a.id for a in store.articles()]
    asked = range(1, 300_001)
    assert sorted(store.languages(asked)) == sorted(ids)
    assert store.story_of_articles(asked) == {}  # nothing placed yet

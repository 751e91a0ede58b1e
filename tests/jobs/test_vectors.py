"""Statement vectors: the update embeds each actor's statement once, as the stance reader reads it,
so a new proposition encodes itself and no statement."""

from __future__ import annotations

from storyline.analysis import embeddings
from storyline.jobs.update import update
from storyline.memo import forget_all
from storyline.pipeline import Ingestor
from storyline.positions.scoring import RETRIEVAL_MODELS
from storyline.store import Store
from tests.conftest import SEEDS


def test_the_update_embeds_statements_once_and_a_new_proposition_encodes_only_itself(tmp_path, monkeypatch):
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(SEEDS)])
        reports = {r.stage: r for r in update(store)}  # no proposition yet
        spoken = store.statements(actors_only=True)
        assert reports["vectors"].counts["statements"] == len(spoken) > 0
        left = store.statements(unembedded=RETRIEVAL_MODELS)
        assert all(s.actor_id is None for s in left), "an actor's statement was left without a vector"
        assert update(store, only=["vectors"])[0].counts["statements"] == 0, "embedding again is a no-op"

        forget_all()  # nothing encoded so far is remembered: any statement encoded again shows below
        encoded: list[str] = []
        compute = embeddings.Encoder._vectors

        def recorded(self, texts, query):
            encoded.extend(texts)
            return compute(self, texts, query)

        monkeypatch.setattr(embeddings.Encoder, "_vectors", recorded)
        proposition = "Ukraine should give up territory in exchange for NATO membership."
        store.add_proposition(proposition)
        reports = {r.stage: r for r in update(store, only=["vectors", "stances"])}
        assert reports["stances"].counts["pairs"] == len(spoken) and reports["stances"].counts["stances"] > 0
        assert set(encoded) == {proposition}


def test_vectors_by_an_encoder_no_longer_in_use_are_made_again_by_the_update(tmp_path):
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=["statements", "vectors"])
        first, second = store.statements(actors_only=True)[:2]
        old = store.statement_vectors([first.id], embeddings.ENGLISH.name)
        store.save_statement_vectors(old, "an encoder shipped before")
        assert [s.id for s in store.statements(actors_only=True, unembedded=RETRIEVAL_MODELS)] == [first.id]
        assert update(store, only=["vectors"])[0].counts["statements"] == 1
        assert store.statement_vectors([first.id, second.id], embeddings.ENGLISH.name).keys() == {first.id, second.id}

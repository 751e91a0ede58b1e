"""Actors across the store: one per person whatever the spelling, two Kulebas, resumable analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analysis import actors
from storyline.analysis.actors import ActorDirectory, KnownActor, NewActor, roles_fit
from storyline.jobs.contract import UpdateOptions
from storyline.jobs.update import update
from storyline.lang.names import same_person
from storyline.pipeline import Ingestor
from storyline.store import Store
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> Store:
    with Store(tmp_path_factory.mktemp("analysed") / "a.db") as store:
        Ingestor(store).run([str(SEEDS)])
        update(store, only=("statements",))
        yield store


def _actors_named(store: Store, name: str):
    return [a for a in store.actors() if a.kind == "person" and same_person(a.name, name)]


def test_zelenskyy_is_one_actor_across_outlets(analysed):
    [zelenskyy] = _actors_named(analysed, "Volodymyr Zelenskyy")
    origins = {Path(analysed.article(s.article_id).origin).name[:3] for s in analysed.statements([zelenskyy.id])}
    assert {"001", "002", "004"} <= origins
    assert {"Al Jazeera", "Fars News Agency"} <= set(zelenskyy.outlets)


def test_two_kulebas_stay_two_actors(analysed):
    kulebas = {a.name: a for a in analysed.actors() if a.name.endswith("Kuleba")}
    assert set(kulebas) == {"Dmytro Kuleba", "Oleksii Kuleba"}
    # Seed 000 names only "Kuleba, who previously led Ukraine's Foreign Ministry": that is Dmytro.
    assert "Kuleba" in kulebas["Dmytro Kuleba"].aliases
    assert any("Deputy Prime Minister" in r.role for r in kulebas["Oleksii Kuleba"].roles)


def test_roles_keep_their_dates_and_sources(analysed):
    [prystaiko] = _actors_named(analysed, "Vadym Prystaiko")
    assert any("Ambassador" in r.role and r.date == "2022-02-14" for r in prystaiko.roles)
    assert all(analysed.article(r.article_id) is not None for r in prystaiko.roles)


def test_statements_point_back_to_their_sentence(analysed):
    for statement in analysed.statements():
        article = analysed.article(statement.article_id)
        assert article.text[statement.start:statement.end] == statement.sentence


def test_analysis_resumes_and_rerunning_is_a_no_op(analysed):
    before = analysed.counts()
    assert update(analysed, only=("statements",))[0].counts["articles"] == 0
    redo = update(analysed, UpdateOptions(redo=True), only=("statements",))[0]
    assert redo.counts["articles"] == 5 and analysed.counts() == before


def test_order_of_articles_does_not_change_actors(tmp_path):
    with Store(tmp_path / "reverse.db") as store:
        for seed in sorted(SEEDS.glob("*.txt"), reverse=True):
            Ingestor(store).run([str(seed)])
            update(store, only=("statements",))
        names = {a.name for a in store.actors() if a.kind == "person"}
    assert {"Dmytro Kuleba", "Oleksii Kuleba", "Volodymyr Zelenskyy", "Yevgeny Perebeinis"} <= names
    assert "Kuleba" not in names


@pytest.mark.parametrize(
    ("a", "b", "fit"),
    [("Ukrainian Foreign Minister", "who previously led Ukraine's Foreign Ministry", True),
     ("Deputy Prime Minister", "who previously led Ukraine's Foreign Ministry", False),
     ("President of Ukraine", "Ukrainian President", True)],
)
def test_roles_fit(a, b, fit):
    assert roles_fit([a], [b]) is fit


def test_a_mention_is_matched_against_actors_of_its_surname_only(gold, monkeypatch):
    """Resolving a speaker costs the same in a store of thousands of actors as in one of ten."""
    speakers = sorted({name for article in gold["articles"].values() for name in article["speakers"]})
    crowd = [KnownActor(i, f"Person{i // 26} {chr(97 + i % 26)}{i}", "person") for i in range(5000)]
    directory = ActorDirectory(crowd + [KnownActor(5000 + i, name, "person") for i, name in enumerate(speakers)])
    compared = []
    monkeypatch.setattr(actors, "same_person", lambda a, b: compared.append(a) or same_person(a, b))
    assert directory.resolve("Zelensky", "person", "President of Ukraine") == 5000 + speakers.index("Volodymyr Zelenskyy")
    assert compared == ["Volodymyr Zelenskyy"]
    directory.learn(6000, "Kyslytsya", "person", None)
    directory.learn(6000, "Serhiy Kyslytsya", "person", "Ukraine's UN ambassador")
    assert directory.resolve("Sergiy Kyslytsya", "person", None) == 6000, "found under the name it learned"
    assert isinstance(directory.resolve("Kyslytsya Junior", "person", None), NewActor)

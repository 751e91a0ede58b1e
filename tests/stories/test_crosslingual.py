"""Stories across languages: the seeds, two of them put into Spanish and Catalan by Apertium
(as a translating aggregator would carry them), ingested as pages in those languages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from storyline.analysis.language import identify_language
from storyline.jobs.contract import run_job
from storyline.jobs.translate import TranslateJob
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.store import Store
from storyline.stories.search import semantic_search
from storyline.translation.backends import Apertium
from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not shutil.which("apertium"), reason="Debian's apertium is not installed (make install does it)")

FOREIGN = {"004_a48774530f64b45e.txt": ("eng-spa", "es"), "003_b7ca6e5cc61d3e62.txt": ("eng-cat", "ca")}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    for seed in sorted(SEEDS.glob("*.txt")):
        if seed.name in FOREIGN:
            mode, language = FOREIGN[seed.name]
            text = subprocess.run(["apertium", "-u", mode], input=seed.read_text(encoding="utf-8"), capture_output=True,
                                  text=True, check=True).stdout
            (folder / f"{language}_{seed.name}").write_text(text, encoding="utf-8")
        else:
            shutil.copy(seed, folder / seed.name)
    with Store(folder / "mixed.db") as store:
        Ingestor(store).run([str(folder)])
        translated = run_job(TranslateJob(store, [Apertium()]))
        update(store, only=("statements", "stories"))
        yield store, translated, {Path(a.origin).name[:6]: a for a in store.articles(with_text=True)}


def test_languages_are_found_and_translated_offline(mixed):
    _store, translated, by_name = mixed
    assert by_name["es_004"].language == "es" and by_name["ca_003"].language == "ca"
    assert translated.counts["translated"] == 2 and translated.breakdown["by_backend"] == {"apertium": 2}


def test_the_same_events_in_three_languages_make_one_story_line(mixed):
    store, _translated, by_name = mixed
    [story] = store.stories()
    assert {a.id for a in by_name.values()} == set(story.articles)


def test_the_story_is_headed_in_english(mixed):
    store, _translated, by_name = mixed
    [story] = store.stories()
    english = {a.title for a in by_name.values() if a.language == "en"} | set(store.translated_titles(story.articles).values())
    assert story.label in english and story.label_language is None
    assert {by_name["es_004"].id, by_name["ca_003"].id} <= set(store.translated_titles(story.articles))


def test_statements_come_from_the_original_or_through_the_translation(mixed):
    store, _translated, by_name = mixed
    statements = store.statements()
    spanish = [s for s in statements if s.article_id == by_name["es_004"].id]
    # Spanish has rules of its own: Yermak's quotation is read in Spanish.
    assert any(s.speaker.endswith("Yermak") and s.text.startswith("Nuestros principios") for s in spanish)
    catalan = [s for s in statements if s.article_id == by_name["ca_003"].id]
    # Catalan has none: the English extractor reads the translation, and each statement cites the Catalan sentence.
    kuleba = next(s for s in catalan if s.speaker == "Dmytro Kuleba")
    assert kuleba.via.endswith("in translation")
    assert "Rússia" in by_name["ca_003"].text[kuleba.start:kuleba.end]


def test_semantic_search_in_english_finds_the_spanish_article(mixed):
    store, _translated, by_name = mixed
    hits = semantic_search(store, "Yermak rejects giving up territory for NATO membership", limit=2)
    assert by_name["es_004"].id in {h.article_id for h in hits}


def test_summary_sentences_of_a_translated_article_are_english_and_cite_the_original(mixed):
    from storyline.stories.summaries import body_sentences, summarize

    store, _translated, by_name = mixed
    catalan = by_name["ca_003"]
    sentences = body_sentences(catalan, store.translation(catalan.id))
    assert sentences and all(s.translated_by == "apertium" for s in sentences)
    kuleba = next(s for s in sentences if "Vienna Document" in s.text)
    assert "Viena Document" in catalan.text[kuleba.start:kuleba.end]
    [story] = store.stories()
    members = [store.article(i) for i in story.articles]
    summary = summarize(members, translations=store.translations(list(story.articles)))
    assert {identify_language(s.text).code for s in summary} == {"en"}, "the story's summary reads in English"

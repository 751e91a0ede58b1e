"""The seeds against their answer key: title, outlet, date, boilerplate gone, body kept."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS, fold

SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
_EDITOR_NOTE = re.compile(r"^Update\b.*?:\s")


def _body_lines(raw: str, boilerplate: list[str]) -> list[str]:
    """Prose lines a reader counts as body: long, sentence-final, and before the page's footer furniture."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    prose = [i for i, line in enumerate(lines) if len(line.split()) >= 12 and line.rstrip("”\"'’").endswith((".", "?", "!"))]
    footer = next((i for i, line in enumerate(lines) if i > prose[0] and line in boilerplate), len(lines))
    return [lines[i] for i in prose if i < footer and not _EDITOR_NOTE.match(lines[i])]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_title_matches_answer_key(name, gold, seed_articles):
    assert fold(seed_articles[name].title) == fold(gold["articles"][name]["title"])


@pytest.mark.parametrize("name", SEED_NAMES)
def test_outlet_is_found_where_the_text_names_it(name, gold, seed_articles):
    assert seed_articles[name].outlet == gold["articles"][name]["outlet"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_publication_date_or_unknown(name, gold, seed_articles):
    expected = gold["articles"][name]["published"]
    stored = seed_articles[name].published
    if expected is None:
        assert stored is None, seed_articles[name].published_evidence
    else:
        assert stored is not None and stored[:10] == expected[:10]
        assert seed_articles[name].published_evidence


@pytest.mark.parametrize("name", SEED_NAMES)
def test_boilerplate_lines_are_gone(name, gold, seed_articles):
    paragraphs = {fold(seed_articles[name].text[p.start:p.end]) for p in seed_articles[name].paragraphs}
    for line in gold["articles"][name].get("boilerplate_lines", []):
        assert fold(line) not in paragraphs


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_body_sentence_survives(name, gold, seed_articles):
    raw = (SEEDS / name).read_text(encoding="utf-8")
    clean = fold(seed_articles[name].text)
    body = _body_lines(raw, gold["articles"][name].get("boilerplate_lines", []))
    assert body
    for line in body:
        assert fold(line) in clean, line


def test_duplicated_paragraph_is_kept_once(gold, seed_articles):
    name = "001_3b806ca0330072c3.txt"
    raw = (SEEDS / name).read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines() if len(line.split()) > 12]
    repeated = {line for line in lines if lines.count(line) == gold["articles"][name]["duplicated_paragraphs"] and line.endswith(".")}
    assert repeated
    for line in repeated:
        assert fold(seed_articles[name].text).count(fold(line)) == 1


def test_state_affiliated_outlets_are_marked(seed_articles):
    fars = seed_articles["004_a48774530f64b45e.txt"]
    assert fars.outlet_state_affiliated and fars.country == "IR"
    assert "publisher" in fars.outlet_evidence


def test_al_jazeera_country_comes_from_the_outlet_not_the_app_tag(seed_articles):
    assert seed_articles["002_49451109cdc68bcb.txt"].country == "QA"


def test_removed_lines_keep_their_reasons(seed_articles):
    removed = seed_articles["001_3b806ca0330072c3.txt"].removed
    assert any(r.text == "AD" for r in removed)
    assert all(r.reason for r in removed)


def test_paragraph_offsets_point_into_the_text(seed_articles):
    for article in seed_articles.values():
        for paragraph in article.paragraphs:
            chunk = article.text[paragraph.start:paragraph.end]
            assert chunk == chunk.strip() and chunk


def test_language_is_identified(seed_articles):
    assert all(a.language == "en" and a.language_confidence > 0.9 for a in seed_articles.values())

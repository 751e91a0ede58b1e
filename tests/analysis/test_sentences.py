"""The one sentence splitter, on the ScrapingHub set's hand-checked article bodies."""

import json
import re

import pytest

from bench.data import eval_data_dir
from storyline.analysis.sentences import sentences_of

# Dots that are not sentence ends: an abbreviation before a capital, a decimal, a title.
_NOT_AN_END = re.compile(r"\b(?:U\.S\.|U\.K\.|Mr\.|Mrs\.|Dr\.|St\.) [A-Z]|\d\.\d")
# A plain sentence end: a lower-case word, a stop, then a new sentence's usual opening.
_PLAIN_END = re.compile(r"\b[a-z]{4,}\. (?:The|It|He|She|They|We|In|But|This) ")


@pytest.fixture(scope="module")
def bodies() -> list[str]:
    truth = json.loads((eval_data_dir() / "extraction-scrapinghub" / "ground-truth.json").read_text(encoding="utf-8"))
    return [page["articleBody"] for page in truth.values() if page.get("articleBody")]


def test_abbreviations_and_numbers_stay_inside_one_sentence(bodies):
    checked = 0
    for body in bodies:
        spans = sentences_of(body)
        for match in _NOT_AN_END.finditer(body):
            assert any(a <= match.start() and match.end() <= b for a, b in spans), (match.group(0), body[match.start() - 60:match.end() + 60])
            checked += 1
    assert checked > 100, "the set holds many such dots"


def test_plain_sentence_ends_split(bodies):
    for body in bodies:
        ends = {b for _a, b in sentences_of(body)}
        for match in _PLAIN_END.finditer(body):
            stop = body.index(".", match.start()) + 1
            assert stop in ends, body[match.start() - 60:stop + 40]

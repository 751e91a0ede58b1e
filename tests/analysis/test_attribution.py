"""The trained attribution tagger, on PolNeAR dev articles it never saw in training."""

from __future__ import annotations

import re

import pytest

from bench import quotes
from storyline.analysis import attribution
from storyline.analysis.statements import extract_statements
from storyline.lang.en import GROUP_NOUNS, NAME_TITLES, PRONOUNS, REPORTING_VERBS
from storyline.records import UNNAMED

DEV_DOCUMENTS = 20


@pytest.fixture(scope="module")
def dev():
    return [extract_statements(text, quotes._paragraphs(text)) for _name, text, _gold in quotes.load_documents("dev", limit=DEV_DOCUMENTS)]


def test_bio_labels_become_spans():
    labels = ["B-SOURCE", "I-SOURCE", "B-CUE", "O", "B-CONTENT", "I-CONTENT", "I-SOURCE", "B-CONTENT"]
    assert attribution.spans_of(labels) == [
        attribution.TaggedSpan("SOURCE", 0, 2), attribution.TaggedSpan("CUE", 2, 3),
        attribution.TaggedSpan("CONTENT", 4, 6), attribution.TaggedSpan("SOURCE", 6, 7),
        attribution.TaggedSpan("CONTENT", 7, 8),
    ]


def _listed(cue: str) -> bool:
    """Whether a cue's words include a reporting verb of lang/en.py, in any inflection."""
    return any(word.startswith(verb[:4]) for word in re.findall(r"[a-z]+", cue.casefold()) for verb in REPORTING_VERBS)


def test_reports_with_a_cue_no_word_list_holds_are_found():
    """Gold attributions whose cue is no reporting verb of lang/en.py ("slammed", "in a statement"):
    the rules alone cannot find them; the tagger learnt such cues from PolNeAR train."""
    found = total = 0
    for _name, text, ann in quotes._annotated("dev", limit=DEV_DOCUMENTS):
        parts = quotes._gold_parts(ann)
        contents = [(s, e) for kind, s, e in parts if kind == "CONTENT"]
        tagged = [attributed.content for attributed in quotes.predict_tagged(text)]
        for kind, cue_start, cue_end in parts:
            if kind != "CUE" or _listed(text[cue_start:cue_end]):
                continue
            content = min(contents, key=lambda c: max(c[0] - cue_end, cue_start - c[1], 0))  # the one it reports
            total += 1
            found += any(s < content[1] and content[0] < e for s, e in tagged)
    assert total >= 50
    assert found / total >= 0.8, (found, total)


def test_speakers_are_never_pronouns_bare_group_nouns_or_titles(dev):
    """No actor is a pronoun, a bare group noun or a title; a bare group noun ("officials", "the
    poll") is an unnamed source, and no source of any kind is a pronoun."""
    speakers = {s.speaker for statements in dev for s in statements if s.speaker_kind != UNNAMED}
    unnamed = {s.speaker.casefold() for statements in dev for s in statements if s.speaker_kind == UNNAMED}
    assert speakers and unnamed
    lowered = {s.casefold() for s in speakers}
    assert not (lowered | unnamed) & (PRONOUNS | {"i", "you", "we", "they", "it", "who", "which", "that"})
    assert not {s for s in lowered if len(s.split()) == 1 and s.rstrip("s") in GROUP_NOUNS}
    assert {s for s in unnamed if len(s.split()) == 1 and s.rstrip("s") in GROUP_NOUNS}
    assert not [s for s in speakers if s.split()[0].rstrip(".").casefold() in NAME_TITLES and len(s.split()) > 1]


def _named_by(words: tuple[str, ...]) -> tuple[int, int, list]:
    """Gold attributions on the dev slice whose source is one of `words`: how many, how many a
    statement finds with that word as its mention, and those statements."""
    found = total = 0
    named_statements = []
    for _name, text, gold in quotes.load_documents("dev", limit=DEV_DOCUMENTS):
        chosen = [g for g in gold if g.source and text[g.source[0]:g.source[1]].casefold() in words]
        if not chosen:
            continue
        statements = extract_statements(text, quotes._paragraphs(text))
        for g in chosen:
            total += 1
            named = [s for s in statements if s.mention_start is not None and quotes._overlap((s.mention_start, s.mention_end), g.source)
                     and quotes._overlap((text.find(s.text, s.start), text.find(s.text, s.start) + len(s.text)), g.content)]
            found += bool(named)
            named_statements += named
    return found, total, named_statements


def test_a_speaker_named_by_a_relative_pronoun_is_its_antecedent_named_there():
    """"Sanders, who said ...", "the agency, which said ...": PolNeAR's source is the pronoun, and
    the statement's mention is that pronoun while its speaker is the person or body it stands for."""
    found, total, named = _named_by(("who", "which"))
    assert total >= 5 and found / total >= 0.33, (found, total)
    assert all(s.speaker.casefold() not in ("who", "which") for s in named)


def test_a_body_or_group_goes_on_speaking_as_it_or_they():
    """"The ministry said ... It added": "it" and "they" go on with the statement before when a body,
    a group or an unnamed source ("police said ... They added") made it, and never become speakers of their own."""
    found, total, named = _named_by(("it", "they"))
    assert total >= 10 and found >= 2, (found, total)
    assert all(s.speaker_kind in ("organisation", "group", UNNAMED) and s.speaker.casefold() not in ("it", "they") for s in named)

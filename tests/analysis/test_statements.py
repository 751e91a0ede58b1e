"""Attributed speech on the seeds (against gold.json) and on real sentences in each quote style."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from storyline.analysis.statements import extract_statements
from storyline.lang.names import same_person
from tests.conftest import SEEDS

GOLD = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))

_STOP = {"the", "of", "to", "for", "and", "ukraine", "ukraine's", "ukraine’s", "who", "previously", "led", "former", "at", "time"}


def _statements(article):
    published = date.fromisoformat(article.published[:10]) if article.published else None
    return extract_statements(article.text, [(p.start, p.end) for p in article.paragraphs], published)


def _content_words(role: str) -> set[str]:
    words = {w.casefold().rstrip("s") for w in re.findall(r"[\w’']+", role)}
    return {w for w in words if len(w) >= 4 and w not in _STOP}


@pytest.fixture(scope="module")
def statements_by_seed(seed_articles):
    return {name: _statements(article) for name, article in seed_articles.items()}


def _gold_speakers(gold):
    for name, item in gold["articles"].items():
        for speaker, role in item["speakers"].items():
            yield pytest.param(name, speaker, role, id=f"{name[:3]}-{speaker}")


@pytest.mark.parametrize(("seed", "speaker", "role"), list(_gold_speakers(GOLD)))
def test_every_gold_speaker_is_found_with_a_fitting_role(statements_by_seed, seed, speaker, role):
    found = [s for s in statements_by_seed[seed] if s.speaker_kind == "person" and same_person(s.speaker, speaker)]
    assert found, f"{speaker} not found among {sorted({s.speaker for s in statements_by_seed[seed]})}"
    roles = {s.role for s in found if s.role}
    assert any(_content_words(r) & _content_words(role) for r in roles), f"{speaker}: roles {roles} vs gold '{role}'"


def test_no_statement_from_non_speakers(statements_by_seed):
    speakers = {s.speaker.casefold() for statements in statements_by_seed.values() for s in statements}
    assert not speakers & {"rada", "nato", "kyiv", "rashatudi", "rt", "report"}
    texts = " ".join(s.text for statements in statements_by_seed.values() for s in statements)
    assert "arrived in Berlin" not in texts


def test_statements_cite_their_sentence(seed_articles, statements_by_seed):
    for name, statements in statements_by_seed.items():
        text = seed_articles[name].text
        for statement in statements:
            sentence = text[statement.start:statement.end]
            assert statement.text.strip("“”\" ,.") in sentence or statement.kind == "direct", (statement, sentence)


def test_hedges_and_negation_are_kept(statements_by_seed):
    texts = [s.text for s in statements_by_seed["003_b7ca6e5cc61d3e62.txt"]]
    assert any("that is something we might do" in t for t in texts)
    perebeinis = [s.text for s in statements_by_seed["000_60cd841b4f1b7f06.txt"] if same_person(s.speaker, "Yevhen Perebeinis")]
    assert any("does not intend to trade land" in t for t in perebeinis)


def test_weekday_dates_resolve_against_the_article_date(statements_by_seed):
    peskov = [s for s in statements_by_seed["002_49451109cdc68bcb.txt"] if same_person(s.speaker, "Dmitry Peskov")]
    assert any(s.date == "2025-12-15" and s.date_kind == "event" for s in peskov)


def test_a_day_without_a_year_in_an_undated_article_stays_partial(statements_by_seed):
    """Seed 000 has no date and says only "On October 1": the day is kept, the year is not guessed."""
    october = [s for s in statements_by_seed["000_60cd841b4f1b7f06.txt"] if "would publicly reject" in s.text]
    assert october and all(s.date == "--10-01" and s.date_kind == "event" for s in october)
    assert same_person(october[0].speaker, "Yevhen Perebeinis")


PARAGRAPHS = {
    "curly": "“We will not trade our land for membership in any alliance,” the foreign minister Dmytro Kuleba said on Tuesday.",
    "straight split": '"We are flexible trying to find the best way out," Vadym Prystaiko said. "That is something we might do."',
    "guillemets": "Dmitry Peskov told reporters: «Naturally, this issue is one of the cornerstones of the talks.»",
    "indirect": "Ukrainian President Volodymyr Zelenskyy said that Kyiv would not recognise the occupied territories as Russian.",
    "according to": "There have been no credible offers from Western partners, according to Yevhen Perebeinis.",
}


@pytest.mark.parametrize("style", PARAGRAPHS)
def test_quote_styles(style):
    text = PARAGRAPHS[style]
    statements = extract_statements(text, [(0, len(text))], date(2024, 10, 22))
    assert statements, style
    assert all(s.speaker_kind == "person" for s in statements)
    expected = {"curly": "Dmytro Kuleba", "straight split": "Vadym Prystaiko", "guillemets": "Dmitry Peskov",
                "indirect": "Volodymyr Zelenskyy", "according to": "Yevhen Perebeinis"}[style]
    assert all(same_person(s.speaker, expected) for s in statements)
    if style == "straight split":
        assert [s.kind for s in statements] == ["direct", "direct"]


def test_quote_paragraph_continues_the_previous_speaker():
    text = ('"We are not a member of NATO right now," Vadym Prystaiko said on Monday.\n\n'
            '"They have been coming for us for centuries and centuries, and we will not allow it."')
    paragraphs = [(0, text.index("\n\n")), (text.index("\n\n") + 2, len(text))]
    statements = extract_statements(text, paragraphs, date(2022, 2, 14))
    assert [s.via for s in statements][-1] == "continuation"
    assert all(same_person(s.speaker, "Vadym Prystaiko") for s in statements)


def test_pronoun_and_role_noun_resolve_to_the_right_person():
    text = ("Ukrainian President Volodymyr Zelenskyy met Germany's Defence Minister Boris Pistorius in Berlin on Sunday.\n\n"
            "The President stressed that Ukraine knows how to respond to this challenge.\n\n"
            "Pistorius said the meeting was useful. He added that more air defence would follow.")
    starts = [0, *[m.end() for m in re.finditer("\n\n", text)]]
    ends = [m.start() for m in re.finditer("\n\n", text)] + [len(text)]
    statements = extract_statements(text, list(zip(starts, ends, strict=True)), date(2025, 12, 14))
    knows = next(s for s in statements if "knows how to respond" in s.text)
    assert same_person(knows.speaker, "Volodymyr Zelenskyy") and knows.via == "role noun"
    follow = next(s for s in statements if "air defence" in s.text)
    assert same_person(follow.speaker, "Boris Pistorius") and follow.via == "pronoun"
    assert "Defence Minister" in follow.role and "met" not in follow.role


def test_unnamed_groups_are_speakers_of_their_own_kind(statements_by_seed):
    groups = {s.speaker: s for s in statements_by_seed["002_49451109cdc68bcb.txt"] if s.speaker_kind == "group"}
    assert "Ukrainian officials" in groups and "deliberately attacking the power grid" in groups["Ukrainian officials"].text


def test_speaker_introduced_with_a_colon_owns_the_next_paragraphs_quotation():
    text = ("In a statement on Friday, Kremlin spokesman Dmitry Peskov said:\n\n"
            "“Naturally, this issue is one of the cornerstones, and it is subject to special discussion.”")
    paragraphs = [(0, text.index("\n\n")), (text.index("\n\n") + 2, len(text))]
    [statement] = extract_statements(text, paragraphs, date(2025, 12, 15))
    assert statement.kind == "direct" and statement.via == "introduced with a colon"
    assert same_person(statement.speaker, "Dmitry Peskov") and statement.role == "Kremlin spokesman"


def test_impossible_calendar_dates_do_not_break_an_article():
    text = "On February 30, Ukrainian Foreign Minister Dmytro Kuleba said that Kyiv would not trade land for membership."
    [statement] = extract_statements(text, [(0, len(text))], date(2024, 3, 5))
    assert statement.date == "2024-03-05" and statement.date_kind == "article"


def test_a_person_named_by_their_given_name_after_their_full_name_is_one_speaker():
    """A ScrapingHub article introduces "her brother Dale Ford", then quotes "Dale wrote": the small
    model labels the lone "Dale" an organisation, yet he is Dale Ford."""
    import gzip

    from bench.data import eval_data_dir
    from storyline.ingest.article import build_article
    from storyline.records import GivenMetadata, RawDocument

    page = eval_data_dir() / "extraction-scrapinghub" / "html" / "851498a2b9f4f0b578ac9700c245253dbc147a06c0fb3499adebf1c2d5663c29.html.gz"
    article = build_article(RawDocument(origin=page.name, data=gzip.decompress(page.read_bytes()), kind_hint="html",
                                        given=GivenMetadata()), max_bytes=10_000_000)
    found = extract_statements(article.text, [(p.start, p.end) for p in article.paragraphs])
    speakers = {(s.speaker, s.speaker_kind) for s in found if "Dale" in s.speaker}
    assert speakers == {("Dale Ford", "person")}, speakers


def test_sources_the_text_describes_but_does_not_name_keep_their_statements():
    """A Washington Post report (PolNeAR dev) on a police shooting: "Authorities said ... a curfew
    would continue", "Police said ..." are claims a reader follows; they are kept under their
    unnamed source, where the speaker's words say who, and no actor is made of "police"."""
    from bench.quotes import load_documents

    [(_name, text, gold)] = [d for d in load_documents("dev") if d[0].startswith("wash-post_2016-09-25_phone-video")]
    found = extract_statements(text, [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)])
    unnamed = [s for s in found if s.speaker_kind == "unnamed"]
    curfew = next(s for s in unnamed if "curfew would continue" in s.text)
    assert curfew.speaker == "Authorities" and text[curfew.mention_start:curfew.mention_end] == "Authorities"

    def annotated(statement) -> bool:
        """The annotators mark these words, and the source where we found the speaker, as one attribution."""
        mention = (statement.mention_start, statement.mention_end)
        return any(_overlap(g.source, mention) and _overlap(g.content, (statement.start, statement.end)) for g in gold if g.source)

    # 13 of 18 on 2026-12-06; the misses are mostly sources the annotators tie to another clause.
    assert sum(map(annotated, unnamed)) >= 0.7 * len(unnamed) >= 12, [(s.speaker, s.text[:40]) for s in unnamed if not annotated(s)]
    assert not any(s.speaker_kind != "unnamed" and s.speaker.casefold() in ("police", "authorities") for s in found)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.parametrize("text, speaker", [
    ("MADRID -- Spanish Prime Minister Pedro Sánchez says a national COVID-19 vaccination plan will be launched in January.",
     "Pedro Sánchez"),
    ("PARIS — French President Emmanuel Macron on Monday condemned unilateral border control measures taken by some "
     "European Union countries in a bid to control the coronavirus outbreak.", "Emmanuel Macron"),
    ("WASHINGTON — NASA announced Nov. 18 that it was adding five companies to a contract to perform commercial "
     "deliveries of payloads to the surface of the moon.", "NASA"),
])
def test_a_dateline_is_where_a_story_was_filed_not_who_speaks(text, speaker):
    """Opening sentences of wire stories among the shared sets' pages: the small parser makes the
    dateline the verb's subject, and "PARIS" and "MADRID" were actors."""
    [statement] = extract_statements(text, [(0, len(text))])
    assert statement.speaker == speaker


def test_a_wire_dateline_with_its_agency_names_no_speaker():
    text = ("London, Jun 11 (efe-epa).- The coronavirus pandemic has highlighted the importance of foreign workers in the "
            "United Kingdom, especially in key sectors, and raised questions about the government’s post-Brexit immigration plans.")
    assert not [s for s in extract_statements(text, [(0, len(text))]) if s.speaker == "London"]


def test_a_statement_has_words():
    """A Washington Post column (PolNeAR train): the tagger marks the closing quotation mark of
    'the political equivalent of "The Truman Show."' as a quotation of its own; a mark alone was
    saved as a statement with no text, which no reader can judge or show."""
    from bench.quotes import load_documents

    [(_name, text, _gold)] = [d for d in load_documents("train") if d[0].startswith("wash-post_2016-05-23_the-stark-campaign")]
    found = extract_statements(text, [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)])
    assert len(found) >= 10 and all(any(c.isalnum() for c in s.text) for s in found), [s.text for s in found if len(s.text) < 3]

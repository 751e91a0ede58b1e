"""Statements in Ukrainian, Russian, French, Spanish, German and Portuguese, on real world-news pages (Media Cloud 2020)."""

from __future__ import annotations

import pytest

from storyline.analysis.language import identify_languages
from storyline.analysis.reported_speech import extract_reported_speech
from storyline.ingest.article import build_article
from storyline.lang.names import same_person
from storyline.records import GivenMetadata, RawDocument
from storyline.settings import settings
from tests.conftest import world_page


def statements_on(host: str):
    url, data = world_page(host)
    article = build_article(RawDocument(origin=url, data=data, kind_hint="html", given=GivenMetadata(url=url)), max_bytes=settings().ingest.max_bytes)
    language, _ = identify_languages(article.text, article.paragraphs)
    found = extract_reported_speech(article.text, [(p.start, p.end) for p in article.paragraphs], language.code)
    return article, {s.speaker: s for s in found}


def test_russian_speakers_before_after_and_according_to():
    article, by_speaker = statements_on("mk.ru")
    # "Как сказал Песков, об инаугурации в Кремле не знали, ..."
    assert by_speaker["Песков"].text.startswith("об инаугурации в Кремле не знали")
    # "по словам Лукашенко из инаугурационной речи, белорусы «поднялись ...»"
    assert by_speaker["Лукашенко"].cue.casefold() == "по словам"
    assert "Как" not in by_speaker  # a sentence's first word is not a speaker
    for statement in by_speaker.values():
        assert article.text[statement.mention_start:statement.mention_end] in (statement.speaker, statement.speaker + "а")
        assert statement.start <= statement.mention_start < statement.end


def test_a_quotation_running_over_sentences_is_attributed_at_its_end():
    """«В целом … мест. Реализуя такие проекты, …», - заявил М. Тасмаганбетов: the whole quotation is his."""
    article, by_speaker = statements_on("inform.kz")
    assert by_speaker["Марат Тасмаганбетов"].kind == "indirect"
    closing = by_speaker["М. Тасмаганбетов"]
    assert closing.kind == "direct" and closing.text.startswith("В целом на будущий год")
    assert "Реализуя такие проекты" in closing.text
    assert article.text[closing.start:closing.end].lstrip("«").startswith("В целом на будущий год")
    assert same_person("Марат Тасмаганбетов", "М. Тасмаганбетов")


def test_ukrainian_speaker_after_a_place_and_before_a_colon_quotation():
    """На виступі в Раді Венедіктова заявила: "Я отримала лист …": Рада is where, not who."""
    _, by_speaker = statements_on("24tv.ua")
    assert set(by_speaker) == {"Венедіктова", "Зеленський"}  # "Зеленський з усіх екранів заявляли, що …"
    assert by_speaker["Венедіктова"].kind == "direct"
    assert by_speaker["Венедіктова"].text.startswith("Я отримала лист")


def test_french_reporting_verbs_and_that_clauses():
    _, by_speaker = statements_on("radio-canada.ca")
    kyriaco = by_speaker["Vicky Kyriaco"]
    assert kyriaco.cue == "a souligné" and kyriaco.kind == "indirect"
    assert kyriaco.text.startswith("avoir moins d’élèves")


def test_spanish_quotation_with_role_and_no_institution_as_speaker():
    article, by_speaker = statements_on("larazon.pe")
    said = extract_reported_speech(article.text, [(p.start, p.end) for p in article.paragraphs], "es")
    [carrion] = [s for s in said if s.text.startswith("El daño patrimonial al Estado")]
    assert carrion.speaker == "Silvana Carrión" and carrion.kind == "direct" and carrion.role == "procuradora ad hoc"
    # "Recordó que el acuerdo …": Spanish drops the subject; the speaker is the one before
    [recalled] = [s for s in said if s.text.startswith("el acuerdo de colaboración eficaz")]
    assert recalled.speaker == "Silvana Carrión" and recalled.mention_start is None
    assert "Estado" not in by_speaker  # "la abogada del Estado sostuvo que …": a role, not a name


def test_german_speakers_have_a_given_name_and_a_surname():
    """Every German noun is capitalised: "Die Polizei sagte" names no one, "Heiko Wimmen sagt" does,
    and so does a surname alone once the article has given the full name."""
    article, by_speaker = statements_on("nzz.ch")
    assert set(by_speaker) == {"Philippe Reich", "Heiko Wimmen", "Danny Makki", "Mohammed Bassiki"}
    assert by_speaker["Heiko Wimmen"].text.startswith("Ziel der Sanktionen ist")
    # "sagt der syrische Wirtschaftsjournalist Mohammed Bassiki", then "meint Bassiki": one speaker
    assert article.text[by_speaker["Mohammed Bassiki"].mention_start:by_speaker["Mohammed Bassiki"].mention_end] == "Bassiki"


def test_portuguese_role_and_no_place_as_speaker():
    _, by_speaker = statements_on("economia.ig.com.br")
    mourao = by_speaker["Hamilton Mourão"]
    assert mourao.role == "vice-presidente" and mourao.cue == "disse"
    assert "Congresso" not in by_speaker  # "… no Congresso, destacou que …": where she sits, not who spoke


@pytest.mark.parametrize(("original", "english"), [
    ("Володимир Зеленський", "Volodymyr Zelenskyy"), ("Владимир Зеленский", "Volodymyr Zelensky"),
    ("Дмитрий Песков", "Dmitry Peskov"), ("Dmytro Kouleba", "Dmytro Kuleba"), ("Андрій Єрмак", "Andriy Yermak"),
])
def test_cyrillic_and_french_spellings_name_the_english_actor(original, english):
    assert same_person(original, english)


def test_different_people_stay_apart_across_scripts():
    assert not same_person("Дмитро Кулеба", "Oleksii Kuleba")
    assert not same_person("Песков", "Zelensky")


def test_languages_without_rules_give_no_statements():
    url, data = world_page("tvn24.pl")
    article = build_article(RawDocument(origin=url, data=data, kind_hint="html", given=GivenMetadata(url=url)), max_bytes=settings().ingest.max_bytes)
    assert extract_reported_speech(article.text, [(p.start, p.end) for p in article.paragraphs], "pl") == []

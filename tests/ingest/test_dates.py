from datetime import date, datetime

import pytest

from storyline.ingest.article import build_article
from storyline.ingest.dates import (
    find_dateline,
    resolve_published,
    resolve_weekday_without_year,
)
from storyline.records import GivenMetadata, RawDocument
from tests.conftest import world_page


@pytest.mark.parametrize(
    ("line", "expected", "kind"),
    [
        ("20:01 22.10.2024", datetime(2024, 10, 22, 20, 1), "dateline"),
        ("Update 2/14/22, 5:18 a.m. ET: This article was updated.", datetime(2022, 2, 14, 5, 18), "update-stamp"),
        ("Updated 3:21 PM ET, Tue October 22, 2024", date(2024, 10, 22), "update-stamp"),
        ("Published: October 22, 2024", date(2024, 10, 22), "dateline"),
        ("October 1, 2024 at 3:45 pm", datetime(2024, 10, 1, 15, 45), "dateline"),
        ("2024-10-22T09:30:00Z", datetime(2024, 10, 22, 9, 30), "dateline"),
        ("22 жовтня 2024", date(2024, 10, 22), "dateline"),
        ("22 октября 2024, 14:05", datetime(2024, 10, 22, 14, 5), "dateline"),
        ("14 Aralık 2025 Pazar", date(2025, 12, 14), "dateline"),
        ("یکشنبه ۲۳ آذر ۱۴۰۴ - ۱۸:۳۰", datetime(2025, 12, 14, 18, 30), "dateline"),  # Solar Hijri, as Fars dates its pages
        ("15 декабря 2025, 10:20", datetime(2025, 12, 15, 10, 20), "dateline"),
        ("lunes, 15 de diciembre de 2025", date(2025, 12, 15), "dateline"),
        ("13/02/2022", date(2022, 2, 13), "dateline"),
    ],
)
def test_datelines_in_many_shapes(line, expected, kind):
    found = find_dateline(line)
    assert found is not None and found.value == expected and found.kind == kind


@pytest.mark.parametrize(
    "line",
    [
        "Russia annexed Ukraine's southern Crimean peninsula in 2014.",
        "On October 1, Perebeinis stated that Western partners would publicly reject any proposition.",
        "Vadym Prystaiko, at the time Ukrainian foreign minister, gives a press conference in Berlin on December 20, 2019.",
        "http://www.ipabionline.com/2013/02/ahmadinejad-siapa-menghina-sahabat.html#ixzz2PpyAj3AN",  # a line of a real page
    ],
)
def test_sentences_mentioning_dates_are_not_datelines(line):
    assert find_dateline(line) is None


def test_weekday_fixes_the_year():
    day, why = resolve_weekday_without_year("Sunday, December 14", date(2026, 11, 23), "launched in February 2022")
    assert day == date(2025, 12, 14)
    assert "Sunday" in why


def test_weekday_that_fits_several_years_stays_unknown():
    # 22 October was a Tuesday in 2019 and 2024: with no year in the text, both are plausible.
    day, why = resolve_weekday_without_year("Tuesday, October 22", date(2026, 11, 23), "")
    assert day is None and "several years" in why


def test_weekday_never_resolves_into_the_future():
    day, _ = resolve_weekday_without_year("Monday, December 14", date(2026, 11, 23), "in 2026")
    assert day is None


def test_unknown_rather_than_a_guess():
    estimate = resolve_published(body_text="On October 1, Perebeinis stated that partners would reject it.")
    assert estimate.value is None and estimate.method == "none"


def test_given_date_wins_and_is_cited():
    estimate = resolve_published(header_lines=("20:01 22.10.2024",), given="2024-10-23", given_source="feed entry date")
    assert estimate.iso == "2024-10-23" and "feed entry" in estimate.evidence


def test_html_metadata_is_read():
    html = '<html><head><meta property="article:published_time" content="2024-10-22T20:01:00+03:00"></head><body><p>Text.</p></body></html>'
    estimate = resolve_published(html=html, url="https://example.org/news/item")
    assert estimate.iso.startswith("2024-10-22") and estimate.method == "html-metadata"


def test_a_utc_timestamp_is_read_as_the_newsrooms_calendar_day():
    """Radio-Canada stamps its article 2020-08-25T00:23Z: 20:23 on August 24 in Toronto, the day it ran."""
    url, page = world_page("radio-canada.ca")
    article = build_article(RawDocument(origin=url, data=page, kind_hint="html", given=GivenMetadata(url=url)), max_bytes=10_000_000)
    assert article.published.iso[:10] == "2020-08-24"
    assert "UTC, read in America/Toronto" in article.published.evidence


def test_the_day_in_the_address_wins_over_a_converted_utc_stamp():
    """Sputnik's 22:57 UTC on April 28 is past midnight in Moscow, but its address says 20200428."""
    url, page = world_page("sputniknews.com/radio")
    article = build_article(RawDocument(origin=url, data=page, kind_hint="html", given=GivenMetadata(url=url)), max_bytes=10_000_000)
    assert article.published.iso[:10] == "2020-04-28" and "UTC" not in article.published.evidence

import csv
from importlib import resources

from storyline.ingest.outlets import (
    by_domain,
    country_from_domain,
    outlet_table,
    resolve_outlet,
)


def test_bundled_table_covers_hundreds_of_outlets_worldwide():
    with resources.files("storyline.data").joinpath("outlets.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    assert len({row["domain"] for row in rows}) == len(rows)
    assert len({row["country"] for row in rows}) >= 80
    assert all(len(row["country"]) == 2 and row["state_affiliated"] in {"0", "1"} for row in rows)


def test_seed_outlets_are_in_the_table():
    names = {outlet.name for outlet in outlet_table().values()}
    assert {"Newsweek", "Fars News Agency", "Al Jazeera", "Ukrinform"} <= names


def test_domain_lookup_strips_subdomains():
    assert by_domain("https://www.newsweek.com/ukraine-nato-1679198").name == "Newsweek"
    assert by_domain("https://english.alarabiya.net/News").country == "SA"
    assert by_domain("https://edition.cnn.com/2024/10/22/europe").name == "CNN International"


def test_an_outlet_cited_in_the_body_is_not_the_publisher():
    match = resolve_outlet(header_lines=("Kyiv says no",), first_paragraph="According to RT, the plan was announced last week.")
    assert match is None


def test_wire_dateline_names_the_agency():
    match = resolve_outlet(first_paragraph="KYIV, Oct 22 (Reuters) - Ukraine's president said on Tuesday ...")
    assert match.outlet.name == "Reuters" and "wire dateline" in match.evidence


def test_unlisted_domain_still_gives_outlet_and_country():
    match = resolve_outlet(url="https://www.example-news.com.ua/politics/1")
    assert match.outlet.domain == "example-news.com.ua" and match.outlet.country == "UA"


def test_generic_country_domains_say_nothing():
    assert country_from_domain("https://news.io/x") is None
    assert country_from_domain("https://bbc.co.uk/x") == "GB"

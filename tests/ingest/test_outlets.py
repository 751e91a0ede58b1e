import csv
from importlib import resources

import pytest

from storyline.ingest.article import build_article
from storyline.ingest.outlets import (
    by_domain,
    country_from_domain,
    outlet_table,
    plain_name,
    resolve_outlet,
)
from storyline.records import RawDocument
from tests.conftest import world_page


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


@pytest.mark.parametrize("host,outlet,country", [("zaxid.net", "ZAXID.NET", "UA"), ("nzz.ch", None, "CH"), ("tvn24.pl", None, "PL"),
                                                 ("novinky.cz", None, "CZ")])
def test_a_page_with_no_url_given_is_known_by_its_own_address(host, outlet, country):
    """Real pages (the Media Cloud sample) ingested as files: the canonical link or og:url gives
    the URL, and through it the outlet and the country, as `--url` would."""
    url, page = world_page(host)
    article = build_article(RawDocument(origin="page.html", data=page, kind_hint="html"), max_bytes=10_000_000)
    assert article.url and host in article.url and article.country == country
    assert outlet is None or article.outlet.outlet.name == outlet


@pytest.mark.parametrize("host,address", [
    ("bizwest.com", "https://bizwest.com/2020/03/11/loft-clothing-store-at-twenty-ninth-street-in-boulder-to-close/loft/"),
    ("aryanews.com", "http://aryanews.com/News/120200622120908039/"),
])
def test_an_address_the_head_does_not_hold_is_found_where_the_page_states_it(host, address):
    """BizWest's canonical link lands in the body once a stray element closes the head; Arya News
    gives og:url as a path, and its og:image names the host."""
    _url, page = world_page(host)
    article = build_article(RawDocument(origin="page.html", data=page, kind_hint="html"), max_bytes=10_000_000)
    assert article.url.startswith(address)


@pytest.mark.parametrize("host,bad", [("aryanews.com", "copy"), ("dln.com", "Copyright"), ("chosun.com", "://")])
def test_outlet_names_are_names_not_copyright_lines_or_urls(host, bad):
    url, page = world_page(host)
    article = build_article(RawDocument(origin="page.html", data=page, kind_hint="html"), max_bytes=10_000_000)
    name = article.outlet.outlet.name
    assert bad not in name and not any(ch.isdigit() for ch in name), name


@pytest.mark.parametrize("host,title", [
    ("novinky.cz", "Janovická knihovna zve na výstavu o nebezpečném živobytí převaděčů na Šumavě"),
    ("malaymail.com", "2022 world athletics championships set for July 15-24"),
    ("nzz.ch", "Neue US-Sanktionen erschüttern die syrische Wirtschaft"),
    ("timesofindia", "Farmers protests continue for eleventh day: Top developments | India News"),
    ("dailymail.co.uk", "Henderson would be right to finish season at Sheff Utd - Wilder"),  # the man quoted, not the site
])
def test_titles_lose_the_site_name_pages_add_to_them(host, title):
    """Real pages (the Media Cloud sample): a headline becomes a story's label, so "| Malay Mail"
    and "- Novinky.cz" go, whether the part names the outlet, the page's site name or its host."""
    _url, page = world_page(host)
    article = build_article(RawDocument(origin="page.html", data=page, kind_hint="html"), max_bytes=10_000_000)
    assert article.title == title


def test_plain_name_keeps_names_and_refuses_what_is_not_one():
    assert plain_name("Guinéenews©") == "Guinéenews"
    assert plain_name("(c) alarmeringen.nl - All rights reserved") == "alarmeringen.nl"
    assert plain_name("Mix 107.3 KIOW") == "Mix 107.3 KIOW" and plain_name("24 Канал") == "24 Канал"
    assert plain_name("1999-2005 Factoría de Comunicación. Tel. +34 914 000 000") is None
    assert plain_name("https://akhbarelyom.com/") is None
    assert plain_name("خبرآنلاین - سایت خبرگزاری خبرآنلاین | Khabaronline News Agency") == "Khabaronline News Agency"

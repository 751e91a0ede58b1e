"""The REST API through the real app (Starlette's TestClient) on a store built from the seeds."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from storyline.interfaces.api import create_app
from tests.conftest import SEEDS, demo_copy


@pytest.fixture(scope="module")
def client(tmp_path_factory, demo_db):
    db = demo_copy(demo_db, tmp_path_factory.mktemp("api"))
    return TestClient(create_app(db))


def test_articles_are_paginated_and_filtered(client):
    page = client.get("/api/articles", params={"limit": 2}).json()
    assert page["total"] == 5 and len(page["items"]) == 2 and "text" not in page["items"][0]
    assert [a["outlet"] for a in client.get("/api/articles", params={"country": "ir"}).json()["items"]] == ["Fars News Agency"]
    one = client.get(f"/api/articles/{page['items'][0]['id']}").json()
    assert one["text"] and one["paragraphs"]
    assert one["languages"] == ["en"] and one["english"] == {"source": "original"}
    assert {p["language"] for p in one["paragraphs"]} <= {"en", None}


def test_errors_are_json_with_a_message(client):
    missing = client.get("/api/articles/999")
    assert missing.status_code == 404 and missing.json() == {"error": "no article with id 999"}
    invalid = client.get("/api/articles", params={"limit": 0})
    assert invalid.status_code == 422 and "limit" in invalid.json()["error"]
    assert client.get("/api/positions", params={"proposition": "no such thing"}).status_code == 404


def test_statements_positions_and_shifts_carry_provenance(client):
    said = client.get("/api/statements", params={"speaker": "Zelensky", "limit": 500}).json()
    assert said["total"] >= 10 and all(s["speaker"] == "Volodymyr Zelenskyy" for s in said["items"])
    timeline = client.get("/api/positions", params={"proposition": "pursue", "actor": "Zelenskyy"}).json()
    assert "oppose" in {p["stance"] for p in timeline["items"] if p["date"] == "2025-12-14"}  # his offer to drop the goal
    assert all(p["article_id"] and p["sentence"] and p["end"] > p["start"] for p in timeline["items"])
    found = client.get("/api/shifts").json()["items"]
    assert ("shift", "Volodymyr Zelenskyy") in {(s["kind"], s["actor"]) for s in found}  # all the gold ones: tests/positions
    assert all(end["article_id"] and end["sentence"] and end["end"] > end["start"] for s in found for end in (s["before"], s["after"]))


def test_stories_and_search(client):
    [story] = client.get("/api/stories").json()["items"]
    detail = client.get(f"/api/stories/{story['id']}").json()
    assert len(detail["summary"]) == 5 and {t["outlet"] for t in detail["takes"]} >= {"Al Jazeera", "Fars News Agency"}
    hits = client.get("/api/search", params={"q": "Perebeinis"}).json()["items"]
    assert {h["kind"] for h in hits} == {"article", "statement"}
    semantic = client.get("/api/search", params={"q": "land for NATO membership", "semantic": True}).json()["items"]
    assert len(semantic) == 5 and all(h["title"] and h["sentence"] for h in semantic)
    # Under the fitted cut-off nothing is a hit: a query on another subject finds nothing, not the five seeds.
    assert client.get("/api/search", params={"q": "recipe for apple pie", "semantic": True}).json()["items"] == []


def test_the_openapi_spec_validates_and_lists_every_endpoint(client):
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").json()
    validate(spec)  # raises on any violation of the OpenAPI 3.1 schema
    assert {"/api/articles", "/api/stories", "/api/actors", "/api/statements", "/api/positions", "/api/search", "/api/ingest",
            "/api/webhooks", "/api/webhooks/{webhook_id}", "/api/webhooks/{webhook_id}/deliveries"} <= set(spec["paths"])


def test_webhooks_through_the_api_need_the_token_and_refuse_private_targets(tmp_path):
    client = TestClient(create_app(tmp_path / "hooks.db", write_token="s3cret"))
    token = {"Authorization": "Bearer s3cret"}
    assert client.get("/api/webhooks").status_code == 401
    assert client.post("/api/webhooks", json={"url": "https://93.184.216.34/hook"}).status_code == 401
    refused = client.post("/api/webhooks", json={"url": "http://169.254.169.254/latest/meta-data/"}, headers=token)
    assert refused.status_code == 422 and "private, loopback or reserved" in refused.json()["error"]
    bad_kind = client.post("/api/webhooks", json={"url": "https://93.184.216.34/hook", "kinds": ["gossip"]}, headers=token)
    assert bad_kind.status_code == 422
    made = client.post("/api/webhooks", json={"url": "http://127.0.0.1:9/hook", "allow_private": True, "secret": "x", "kinds": ["shift"]},
                       headers=token)
    assert made.status_code == 201 and made.json()["secret"] is True and made.json()["kinds"] == ["shift"]
    assert made.json()["about"] is None, "a webhook without a subject hears about everything"
    unknown = client.post("/api/webhooks", json={"url": "https://93.184.216.34/hook", "about": "story:7"}, headers=token)
    assert unknown.status_code == 422 and "there is no story 7" in unknown.json()["error"]
    hook = made.json()["id"]
    assert [h["url"] for h in client.get("/api/webhooks", headers=token).json()["items"]] == ["http://127.0.0.1:9/hook"]
    assert client.get(f"/api/webhooks/{hook}/deliveries", headers=token).json()["items"] == []
    assert client.delete(f"/api/webhooks/{hook}", headers=token).status_code == 204
    assert client.delete(f"/api/webhooks/{hook}", headers=token).status_code == 404


def test_ingest_needs_the_write_token_and_then_analyses_in_the_background(tmp_path):
    from tests.conftest import world_page

    db = tmp_path / "ingest.db"
    read_only = TestClient(create_app(db))
    body = {"articles": [{"text": (SEEDS / "001_3b806ca0330072c3.txt").read_text(encoding="utf-8"), "outlet": "Ukrinform"}]}
    refused = read_only.post("/api/ingest", json=body)
    assert refused.status_code == 403 and "read-only" in refused.json()["error"]
    client = TestClient(create_app(db, write_token="s3cret"))
    assert client.post("/api/ingest", json=body).status_code == 401
    assert client.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    bad = client.post("/api/ingest", json={"articles": [{"url": "https://example.org/"}]}, headers={"Authorization": "Bearer s3cret"})
    assert bad.status_code == 422 and "html or its text" in bad.json()["error"]
    empty = client.post("/api/ingest", json={"articles": [{"html": ""}]}, headers={"Authorization": "Bearer s3cret"})
    assert empty.status_code == 202 and [o["status"] for o in empty.json()["outcomes"]] == ["failed"], empty.text
    url, html = world_page("zaxid.net")
    body["articles"].append({"html": html.decode("utf-8", "replace"), "url": url})
    accepted = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
    assert accepted.status_code == 202, accepted.text
    assert [o["status"] for o in accepted.json()["outcomes"]] == ["stored", "stored"] and accepted.json()["analysis"] == "queued"
    # TestClient runs background tasks before returning: the articles are analysed and in stories.
    articles = client.get("/api/articles").json()["items"]
    assert {a["outlet"] for a in articles} >= {"Ukrinform"} and {a["language"] for a in articles} == {"en", "uk"}
    assert client.get("/api/statements", params={"speaker": "Zelenskyy"}).json()["total"] >= 1
    # The Ukrainian page (weather) is a story of its own, headed by its title marked as untranslated, as is its summary.
    ukrainian = next(s for s in client.get("/api/stories").json()["items"] if s["label_language"] == "uk")
    detail = client.get(f"/api/stories/{ukrainian['id']}").json()
    assert detail["events"][0]["headline"]["language"] == "uk" and detail["summary"]
    assert all(s["language"] == "uk" and s["translated_by"] is None for s in detail["summary"])
    page = client.get(f"/stories/{ukrainian['id']}").text
    assert f'<h1><span lang="uk">{escape(ukrainian["label"])}</span>' in page and "(uk, untranslated)" in page
    again = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"}).json()
    assert [o["status"] for o in again["outcomes"]] == ["unchanged", "unchanged"] and again["analysis"] == "not requested"


def test_ids_too_large_and_digits_that_are_not_numbers_are_json_errors(client):
    """Issue 21, items 13: both were plain-text 500s."""
    huge = client.get(f"/api/articles/{2 ** 70}")
    assert huge.status_code == 404 and "error" in huge.json()
    assert client.get(f"/api/stories/{2 ** 64}").status_code == 404
    superscript = client.get("/api/positions", params={"proposition": "²"})
    assert superscript.status_code == 404 and "error" in superscript.json()

"""Webhooks as a subscriber meets them: a local receiver, down then up, told once about each
statement and shift that lands after it registered; and the SSRF guard on their targets."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from bench.load import free_port
from storyline.alerts.delivery import deliver_due, retry_delay
from storyline.alerts.guard import UnsafeTarget, check_target
from storyline.alerts.outbox import record_alerts, register_webhook
from storyline.jobs.contract import UpdateOptions
from storyline.jobs.statements import ANALYSIS_VERSION, statements_of
from storyline.jobs.update import update
from storyline.pipeline import Ingestor
from storyline.records import Alert
from storyline.settings import settings
from storyline.store import Store, utc_now
from tests.conftest import SEEDS

FIRST_RETRY = timedelta(seconds=settings().alerts.first_retry_seconds)

LATE_SEED = "002_49451109cdc68bcb.txt"  # Al Jazeera, 2025-12-14: Zelenskyy offers to drop the NATO goal
SECRET = "s3cret"


class Receiver:
    """A webhook endpoint on 127.0.0.1 that keeps what it is sent."""

    def __init__(self, port: int):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def analyse(store: Store) -> None:
    update(store, only=("statements", "stances", "shifts"))


@pytest.fixture
def early_store(tmp_path, gold):
    """Four seeds (2022-2024) analysed, with both propositions, before the 2025 article lands."""
    early = tmp_path / "early"
    early.mkdir()
    for seed in SEEDS.glob("00*.txt"):
        if seed.name != LATE_SEED:
            (early / seed.name).write_bytes(seed.read_bytes())
    with Store(tmp_path / "alerts.db") as store:
        Ingestor(store).run([str(early)])
        for text in gold["propositions"].values():
            store.add_proposition(text)
        analyse(store)
        yield store


def test_receiver_down_then_up_gets_each_new_statement_and_the_shift_once(early_store, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    register_webhook(early_store, url, secret=SECRET, allow_private=True)
    assert record_alerts(early_store) == 0, "what the store held before the webhook is history, not news"

    Ingestor(early_store).run([str(SEEDS / LATE_SEED)])
    analyse(early_store)
    new = record_alerts(early_store)
    assert new > 0 and record_alerts(early_store) == 0, "recording twice makes nothing new"

    # The receiver is down: every delivery fails, is logged, and waits FIRST_RETRY.
    start = utc_now()
    report = deliver_due(early_store, now=start)
    assert (report.delivered, report.retrying, report.failed) == (0, new, 0)
    log = early_store.delivery_log()
    assert len(log) == new and all(a.error and "ConnectError" in a.error and a.status == "pending" for a in log)
    assert deliver_due(early_store, now=start + FIRST_RETRY / 2).retrying == 0, "not due again before the backoff"

    receiver = Receiver(port)
    try:
        # A restart: a fresh Store on the same file picks the deliveries up when due.
        with Store(early_store.url.removeprefix("sqlite:///")) as restarted:
            assert deliver_due(restarted, now=start + FIRST_RETRY + timedelta(seconds=1)).delivered == new
            assert deliver_due(restarted, now=start + timedelta(days=3)).delivered == 0
            assert record_alerts(restarted) == 0
            assert [h.delivered for h in restarted.webhooks()] == [new]
    finally:
        receiver.close()

    assert len(receiver.received) == new
    assert len({headers["X-Storyline-Delivery"] for headers, _ in receiver.received}) == new
    for headers, body in receiver.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Storyline-Signature"], expected)
    payloads = [json.loads(body) for _, body in receiver.received]
    said = [p["statement"] for p in payloads if p["event"] == "statement"]
    assert said and {s["outlet"] for s in said} == {"Al Jazeera"}, "only the late article's statements are news"
    late = [s for s in early_store.statements() if s.outlet == "Al Jazeera"]
    assert len(said) == len(late), "each statement is news once, several in one sentence too"
    shifts = [p["shift"] for p in payloads if p["event"] == "shift"]
    zelenskyy = [s for s in shifts if s["actor"] == "Volodymyr Zelenskyy" and s["kind"] == "shift"]
    assert len(zelenskyy) == 1
    assert (zelenskyy[0]["before"]["stance"], zelenskyy[0]["after"]["stance"]) == ("support", "oppose")
    assert zelenskyy[0]["after"]["sentence"] in early_store.article(zelenskyy[0]["after"]["article_id"]).text


def test_backoff_doubles_and_a_delivery_is_given_up_after_the_last_attempt(early_store, monkeypatch):
    assert [retry_delay(n) for n in (1, 2, 3)] == [FIRST_RETRY, FIRST_RETRY * 2, FIRST_RETRY * 4]
    assert retry_delay(30) == timedelta(hours=6)
    two_attempts = replace(settings(), alerts=replace(settings().alerts, max_attempts=2))
    monkeypatch.setattr("storyline.alerts.delivery.settings", lambda: two_attempts)
    register_webhook(early_store, f"http://127.0.0.1:{free_port()}/hook", kinds=("statement",), allow_private=True)
    Ingestor(early_store).run([str(SEEDS / LATE_SEED)])
    analyse(early_store)
    new = record_alerts(early_store)
    owed = early_store.webhooks()[0].pending
    assert 0 < owed < new, "a webhook for statements is not owed the shift"
    start = utc_now()
    assert deliver_due(early_store, now=start).retrying == owed
    assert deliver_due(early_store, now=start + timedelta(hours=1)).failed == owed
    assert deliver_due(early_store, now=start + timedelta(days=30)).failed == 0
    assert [h.failed for h in early_store.webhooks()] == [owed]


def test_a_webhook_about_one_story_actor_or_proposition_hears_only_about_it(early_store, gold):
    update(early_store, only=("stories",))
    (story,) = early_store.stories()
    zelenskyy = next(a.id for a in early_store.actors() if a.name == "Volodymyr Zelenskyy")
    membership = next(p.id for p in early_store.propositions() if p.text == gold["propositions"]["ukraine_in_nato"])
    subjects = [None, f"story:{story.id}", f"actor:{zelenskyy}", f"proposition:{membership}"]
    for n, about in enumerate(subjects):
        register_webhook(early_store, f"http://127.0.0.1:9/{n}", about=about, allow_private=True)
    Ingestor(early_store).run([str(SEEDS / LATE_SEED)])
    update(early_store, only=("statements", "stories", "stances", "shifts"))
    record_alerts(early_store)

    heard: dict[str | None, list[dict]] = {about: [] for about in subjects}
    for due in early_store.claim_due_deliveries(utc_now(), timedelta(minutes=1), limit=10_000):
        heard[due.webhook.about].append(json.loads(due.body))
    everything = heard[None]
    late = {p["statement"]["article_id"] for p in everything if p["event"] == "statement"}
    assert len(late) == 1 and early_store.story_of_articles(late) == {next(iter(late)): story.id}
    assert len(heard[f"story:{story.id}"]) == len(everything), "the late article joined the story: all of it is about the story"
    by_zelenskyy = heard[f"actor:{zelenskyy}"]
    assert by_zelenskyy and len(by_zelenskyy) < len(everything)
    assert all(p["statement"]["actor_id"] == zelenskyy for p in by_zelenskyy if p["event"] == "statement")
    assert any(p["event"] == "shift" for p in by_zelenskyy), "his shift is about him"
    on_membership = heard[f"proposition:{membership}"]
    assert on_membership and all(p["event"] == "shift" and p["shift"]["proposition_id"] == membership for p in on_membership)
    assert [h.about for h in early_store.webhooks()] == subjects


@pytest.mark.parametrize(("about", "refusal"), [("story:999", "there is no story 999"), ("planet:1", "follow one of"),
                                                 ("actor:x", "follow one of"), ("proposition:12345678901234567890", "follow one of")])
def test_a_webhook_about_nothing_the_store_holds_is_refused(store, about, refusal):
    with pytest.raises(ValueError, match=refusal):
        register_webhook(store, "https://93.184.216.34/hook", about=about)
    assert store.webhooks() == []


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/hook", "http://localhost/hook", "http://10.0.0.5/hook", "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://100.64.0.1/",
    "http://0.0.0.0/", "ftp://93.184.216.34/hook", "file:///etc/passwd", "http://no-such-host.invalid/hook",
])
def test_targets_inside_the_network_or_unreachable_are_refused(url):
    with pytest.raises(UnsafeTarget):
        check_target(url)


def test_public_and_explicitly_allowed_targets_pass():
    check_target("https://93.184.216.34/hook")
    check_target("http://127.0.0.1:8000/hook", allow_private=True)


def test_statements_a_re_analysis_finds_are_news_and_those_said_before_are_not(early_store):
    """Re-analysis replaces an article's statements, and SQLite may give the new rows the freed ids,
    below the alert watermark: they must still be looked at, and only the new ones alerted."""

    last = max(a.id for a in early_store.articles())
    found = statements_of(early_store.article(last), early_store.translation(last))
    assert len(found) > 2
    early_store.save_statements(last, [(s, None) for s in found[2:]], ANALYSIS_VERSION)  # an older analysis missed two
    register_webhook(early_store, "http://127.0.0.1:9/hook", kinds=("statement",), allow_private=True)
    early_store.save_statements(last, [(s, None) for s in found], ANALYSIS_VERSION)
    assert record_alerts(early_store) == 2
    assert {json.loads(d.body)["statement"]["text"] for d in early_store.claim_due_deliveries(utc_now(), timedelta(minutes=1))} == \
        {found[0].text, found[1].text}
    update(early_store, UpdateOptions(redo=True), only=("statements",))
    assert record_alerts(early_store) == 0, "statements said before are not news again"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_post_goes_to_the_address_checked_not_to_a_second_lookup(store, monkeypatch, scheme):
    """DNS rebinding: a name that answers a public address to our check and a private one to the
    next lookup must not steer the POST inside; then the check before the next try refuses it."""
    answers = iter(["93.184.216.34", "93.184.216.34", "127.0.0.1", "127.0.0.1"])
    monkeypatch.setattr("storyline.alerts.guard.socket.getaddrinfo",
                        lambda host, port, **_: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))])
    sent = []

    def receiver(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.host, request.url.port, request.headers["host"], request.extensions.get("sni_hostname")))
        return httpx.Response(500)

    register_webhook(store, f"{scheme}://hooks.example.org:8443/storyline", kinds=("statement",))
    store.record_alerts([Alert("statement:1:0:10", "statement", {"event": "statement"})])
    with httpx.Client(transport=httpx.MockTransport(receiver)) as client:
        start = utc_now()
        assert deliver_due(store, now=start, client=client).retrying == 1
        assert sent == [("93.184.216.34", 8443, "hooks.example.org:8443", "hooks.example.org" if scheme == "https" else None)]
        assert deliver_due(store, now=start + timedelta(minutes=5), client=client).retrying == 1
    assert len(sent) == 1 and "127.0.0.1" in store.delivery_log()[0].error


def test_registering_a_private_target_is_refused_and_stores_nothing(store):
    with pytest.raises(UnsafeTarget, match="private, loopback or reserved"):
        register_webhook(store, "http://127.0.0.1:9/hook")
    with pytest.raises(ValueError, match="alert kinds"):
        register_webhook(store, "https://93.184.216.34/hook", kinds=("tweets",))
    assert store.webhooks() == []


def test_an_article_posted_to_the_api_reaches_the_webhook_through_the_servers_worker(early_store):
    import time

    from fastapi.testclient import TestClient

    from storyline.interfaces.api import create_app

    port = free_port()
    receiver = Receiver(port)
    try:
        register_webhook(early_store, f"http://127.0.0.1:{port}/hook", kinds=("shift",), allow_private=True)
        app = create_app(early_store.url.removeprefix("sqlite:///"), write_token="t", deliver_alerts=True)
        with TestClient(app) as client:  # runs the lifespan: the delivery worker starts
            text = (SEEDS / LATE_SEED).read_text(encoding="utf-8")
            posted = client.post("/api/ingest", json={"articles": [{"text": text, "outlet": "Al Jazeera", "country": "QA"}]},
                                 headers={"Authorization": "Bearer t"})
            assert posted.status_code == 202
            for _ in range(60):
                if receiver.received:
                    break
                time.sleep(0.5)
        shifts = [json.loads(body)["shift"] for _, body in receiver.received]
        assert ("Volodymyr Zelenskyy", "support", "oppose") in [(s["actor"], s["before"]["stance"], s["after"]["stance"]) for s in shifts]
    finally:
        receiver.close()

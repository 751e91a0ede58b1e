"""Translation into English: Apertium offline, a LibreTranslate server by URL, and a clear
message where nothing covers a language. Real pages from the Media Cloud world-news sample."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from storyline.jobs.contract import run_job
from storyline.jobs.translate import TranslateJob
from storyline.pipeline import Ingestor
from storyline.translation.backends import Apertium, LibreTranslate, TranslationError
from storyline.translation.translate import translate_article, untranslated_note
from tests.conftest import world_page

needs_apertium = pytest.mark.skipif(not shutil.which("apertium"), reason="Debian's apertium is not installed (make install does it)")


def _ingest(store, tmp_path, *hosts: str) -> list[int]:
    paths = []
    for host in hosts:
        _url, data = world_page(host)
        path = tmp_path / f"{host}.html"
        path.write_bytes(data)
        paths.append(str(path))
    Ingestor(store).run(paths)
    return [a.id for a in store.articles()]


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """LibreTranslate's API as documented (/languages, /translate with a list of q): a stand-in
    for the user's server, which records what it was asked."""

    requests: list[dict] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._answer([{"code": "uk", "name": "Ukrainian", "targets": ["en"]}, {"code": "en", "name": "English", "targets": ["uk"]}])

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLibreTranslate.requests.append(body)
        self._answer({"translatedText": [f"[en] {len(q.split())} words" for q in body["q"]]})

    def _answer(self, payload) -> None:
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def libretranslate_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeLibreTranslate.requests = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@needs_apertium
def test_apertium_translates_a_spanish_page_sentence_by_sentence(store, tmp_path):
    [article_id] = _ingest(store, tmp_path, "larazon.pe")
    report = run_job(TranslateJob(store, [Apertium()]))
    assert report.counts["translated"] == 1 and report.breakdown["by_backend"] == {"apertium": 1}
    article, translation = store.article(article_id), store.translation(article_id)
    assert translation.backend == "apertium" and translation.source_language == "es"
    assert " the " in translation.text and " el " not in translation.text
    # Every English sentence points at its Spanish original, and back.
    quote = article.text.index("“El daño patrimonial")
    english = translation.english_of(quote, quote + 20)
    assert "harm" in english or "damage" in english
    segment = next(s for s in translation.segments if s.original_start <= quote < s.original_end)
    assert translation.original_of(segment.start, segment.end) == (segment.original_start, segment.original_end)
    assert len(translation.paragraphs()) == len({s.paragraph for s in translation.segments})
    assert article.title.startswith("Faenón de Toledo") and "Peruvian State" in translation.title
    # Translated once: a second run has nothing to do.
    assert run_job(TranslateJob(store, [Apertium()])).counts["translated"] == 0


@needs_apertium
def test_a_translation_stored_before_titles_were_translated_gets_its_title_and_keeps_its_analysis(store, tmp_path):
    [article_id] = _ingest(store, tmp_path, "larazon.pe")
    run_job(TranslateJob(store, [Apertium()]))
    with store.engine.begin() as connection:  # as migration 0014 leaves a translation made before it
        connection.exec_driver_sql("UPDATE translations SET title = NULL")
        connection.exec_driver_sql("UPDATE articles SET analyzed_version = 1")
    assert store.article_ids_to_translate() == [article_id]
    assert run_job(TranslateJob(store, [Apertium()])).counts["translated"] == 1
    assert "Peruvian State" in store.translation(article_id).title and store.article_ids_to_translate() == []
    assert store.article_ids_to_analyze(1) == []  # the same English text: nothing to read again


def test_a_language_no_backend_covers_keeps_its_original_and_says_why(store, tmp_path):
    _ingest(store, tmp_path, "zaxid.net")
    report = run_job(TranslateJob(store, [Apertium()]))
    assert report.counts["translated"] == 0 and report.breakdown["untranslated"] == {"uk": 1}
    assert untranslated_note("uk") == "not translated (no model for uk)"


def test_libretranslate_server_by_url(store, tmp_path, libretranslate_url):
    [article_id] = _ingest(store, tmp_path, "zaxid.net")
    report = run_job(TranslateJob(store, [LibreTranslate(libretranslate_url), Apertium()]))
    assert report.breakdown["by_backend"] == {"libretranslate": 1}
    [request] = FakeLibreTranslate.requests
    assert request["source"] == "uk" and request["target"] == "en" and len(request["q"]) > 3
    translation = store.translation(article_id)
    assert translation.text.startswith("[en] ")
    # The title travels first, with the sentences of its language, and comes back as the English title.
    assert request["q"][0] == store.article(article_id).title and translation.title == "[en] 9 words"
    assert len(translation.segments) == len(request["q"]) - 1


def test_an_unreachable_server_is_reported_and_the_next_backend_is_tried(store, tmp_path):
    _ingest(store, tmp_path, "zaxid.net")
    down = LibreTranslate("http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(TranslationError, match="did not answer"):
        down.languages()
    report = run_job(TranslateJob(store, [LibreTranslate("http://127.0.0.1:9"), Apertium()]))
    assert report.breakdown["untranslated"] == {"uk": 1} and report.failures == []


def test_paragraphs_already_in_english_are_kept(store, tmp_path, libretranslate_url, seed_articles):
    """Only the paragraphs in the backend's language go to it."""
    _ingest(store, tmp_path, "zaxid.net")
    article = store.article(store.articles()[0].id)
    english = seed_articles["003_b7ca6e5cc61d3e62.txt"]
    first = english.text[english.paragraphs[1].start:english.paragraphs[1].end]
    mixed = type(article)(**{**article.__dict__, "text": article.text + "\n\n" + first, "paragraphs": (
        *article.paragraphs, type(article.paragraphs[0])(99, len(article.text) + 2, len(article.text) + 2 + len(first), "body", "en"))})
    translation = translate_article(mixed, lambda language: LibreTranslate(libretranslate_url) if language == "uk" else None)
    assert translation.text.endswith(first)
    assert all(first not in q for request in FakeLibreTranslate.requests for q in request["q"])


class FailingLibreTranslate(FakeLibreTranslate):
    def do_POST(self):  # noqa: N802
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_a_server_error_is_reported_per_article_and_retried_next_run(store, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FailingLibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        [article_id] = _ingest(store, tmp_path, "zaxid.net")
        url = f"http://127.0.0.1:{server.server_address[1]}"
        report = run_job(TranslateJob(store, [LibreTranslate(url)]))
        [(failed_id, reason)] = report.failures
        assert failed_id == f"article {article_id}" and "500" in reason
        assert store.translation(article_id) is None
        assert store.article_ids_to_translate() == [article_id], "nothing half-written: the next run tries again"
    finally:
        server.shutdown()
